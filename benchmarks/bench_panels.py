"""The panel lottery beside `sortition-algorithms`' own call on the same pool.

Two pools: 300 applicants for 20 seats and 1,000 for 30, five attributes,
maximin (CBC via `mip`). For each, alternately for 3 rounds on the small pool
and 1 on the large one (BENCH_PANELS_ROUNDS sets both; the median is reported):

- the project's draw: `services.lottery_execute`, the background task's work
  (read the frozen pool, `panels.draw.draw`, write every probability and the
  result, progress written to the run as it goes);
- the project's `panels.draw.draw` alone (no database);
- the library's own call: `run_stratification` on the same people, the same
  quotas and the same seed, with its standard output sent to /dev/null.

The ratio project / library is the figure against the target (≤ 1.1 ×).
Also: the feasibility check, the fairness achieved (the lowest selection
probability as a share of the equal share), and how many progress updates
reached the run (what the officer's page shows while the task runs).

Run with `python -m benchmarks panels` (a fresh migrated SQLite database).
"""

import contextlib
import os
import random
import statistics
import sys
import time

# (applicants, seats, rounds): the large pool's draw takes minutes, so one round.
POOLS = [(300, 20, 3), (1000, 30, 1)]
ATTRIBUTES = ["ward", "age_band", "gender", "ethnicity", "disability"]
SEED = 8675309
ROUNDS = os.environ.get("BENCH_PANELS_ROUNDS")  # rounds for every pool, if set


def _programme():
    from django.utils.text import slugify
    from wagtail.models import Page

    from commissioning.demo import WARDS
    from commissioning.models import ProgrammeIndexPage, ProgrammePage, Ward
    from coproduce.models import HomePage

    for name, prefixes, population, shares in WARDS:
        Ward.objects.get_or_create(
            slug=slugify(name),
            defaults={
                "name": name,
                "postcode_prefixes": prefixes,
                "population": population,
                "demographics": shares,
            },
        )
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Bench home", slug="bench-home"))
    index = home.add_child(instance=ProgrammeIndexPage(title="Programmes", slug="programmes"))
    return index.add_child(instance=ProgrammePage(title="Bench programme", slug="bench-programme"))


def _panel(programme, seats, slug):
    from django.utils import timezone

    from panels.models import PanelPage

    now = timezone.now()
    return programme.add_child(
        instance=PanelPage(
            title=f"Bench panel {slug}",
            slug=slug,
            stage="plan",
            opens_at=now - timezone.timedelta(days=30),
            closes_at=now - timezone.timedelta(days=1),
            purpose="<p>Bench</p>",
            commitment="Bench",
            eligibility="Bench",
            seats=seats,
            attributes=ATTRIBUTES,
            algorithm=PanelPage.MAXIMIN,
        )
    )


def _applicants(panel, count):
    from commissioning.models import Ward
    from panels.models import Application

    rng = random.Random(SEED)
    wards = list(Ward.objects.order_by("pk"))
    total = sum(w.population for w in wards)

    def pick(shares):
        values, weights = zip(*shares.items(), strict=True)
        return rng.choices(values, weights=weights)[0]

    apps = []
    for n in range(count):
        ward = pick({w: w.population / total for w in wards})
        answers = {key: pick(ward.demographics[key]) for key in ATTRIBUTES if key != "ward"}
        apps.append(
            Application(
                panel=panel,
                name=f"Applicant {n}",
                email=f"a{n}-{panel.pk}@example.net",
                ward=ward,
                consent=True,
                **answers,
            )
        )
    Application.objects.bulk_create(apps)


@contextlib.contextmanager
def _stdout_to_devnull():
    """The library's solver prints to descriptor 1; send it nowhere while it is timed."""
    sys.stdout.flush()
    saved = os.dup(1)
    with open(os.devnull, "wb") as sink:
        os.dup2(sink.fileno(), 1)
        try:
            yield
        finally:
            os.dup2(saved, 1)
            os.close(saved)


def _library(pool, quotas, seats):
    """`sortition-algorithms`' own call on the pool; returns its seconds."""
    from sortition_algorithms.core import run_stratification
    from sortition_algorithms.settings import Settings

    from panels.draw import build_features, build_people

    features = build_features(quotas)
    people = build_people(pool, features)
    settings = Settings(
        id_column="id",
        columns_to_keep=[],
        selection_algorithm="maximin",
        solver_backend="mip",
        random_number_seed=SEED,
    )
    started = time.perf_counter()
    with _stdout_to_devnull():
        ok, committees, report = run_stratification(features, people, seats, settings)
    seconds = time.perf_counter() - started
    assert ok, report.as_text()
    return seconds


def _project_pure(pool, quotas, seats):
    from panels.draw import draw

    started = time.perf_counter()
    draw(pool=pool, quotas=quotas, seats=seats, seed=SEED)
    return time.perf_counter() - started


class _Counting:
    """Counts the progress writes that reach the run (what the officer's page shows)."""

    writes = 0

    def __init__(self, wrapped):
        self.wrapped = wrapped

    def __enter__(self):
        original = self.wrapped._save

        def counted(progress_self, progress, message, force=False):
            before = progress_self.last
            original(progress_self, progress, message, force)
            if progress_self.last != before:
                _Counting.writes += 1

        self.original = original
        self.wrapped._save = counted
        return self

    def __exit__(self, *exc):
        self.wrapped._save = self.original


def _project_task(panel, officer):
    """The background task's work for one run of `panel`: (seconds, run, progress writes)."""
    from unittest import mock

    from panels import services
    from panels.models import LotteryRun

    run = services.lottery_announce(panel=panel, user=officer, seed=SEED)
    with mock.patch("panels.tasks.lottery_draw_task"):
        services.lottery_start(run=run, user=officer)
    _Counting.writes = 0
    with _Counting(services.RunProgress), mock.patch("panels.tasks.lottery_notify_task"):
        started = time.perf_counter()
        run = services.lottery_execute(run_id=run.pk)
        seconds = time.perf_counter() - started
    assert run.status == LotteryRun.COMPLETED, run.error
    return seconds, run, _Counting.writes


def _reset(panel):
    """Put the pool back to waiting so the next round draws it afresh."""
    from panels.models import Application, LotteryRun

    LotteryRun.objects.filter(panel=panel).delete()
    Application.objects.filter(panel=panel).update(status=Application.APPLIED)


def _one_pool(programme, officer, applicants, seats, rounds):
    from django.db.models import Sum

    from panels import selectors
    from panels.models import Quota

    panel = _panel(programme, seats, f"bench-panel-{applicants}")
    _applicants(panel, applicants)
    Quota.objects.bulk_create(
        Quota(panel=panel, attribute=key, value=value, minimum=low, maximum=high)
        for key, values in selectors.quota_proposals(panel=panel).items()
        for value, (low, high) in values.items()
    )
    started = time.perf_counter()
    checked = selectors.feasibility(panel=panel)
    feasibility_seconds = time.perf_counter() - started
    assert not checked["problems"], [p.message for p in checked["problems"]]
    pool = {str(pk): attributes for pk, attributes in checked["snapshot"].items()}
    quotas = checked["quotas"]

    library, pure, task = [], [], []
    for n in range(rounds):
        if n:
            _reset(panel)
        library.append(_library(pool, quotas, seats))
        pure.append(_project_pure(pool, quotas, seats))
        seconds, run, writes = _project_task(panel, officer)
        task.append(seconds)
    library_s, pure_s, task_s = (statistics.median(x) for x in (library, pure, task))
    equal_share = seats / applicants
    total = run.entries.aggregate(total=Sum("probability"))["total"]
    return {
        "applicants": applicants,
        "seats": seats,
        "attributes": len(ATTRIBUTES),
        "quota_values": sum(len(values) for values in quotas.values()),
        "rounds": rounds,
        "feasibility_check_seconds": round(feasibility_seconds, 2),
        "library_run_stratification_seconds": round(library_s, 2),
        "project_draw_seconds": round(pure_s, 2),
        "project_task_seconds": round(task_s, 2),
        "ratio_draw_to_library": round(pure_s / library_s, 3),
        "ratio_task_to_library": round(task_s / library_s, 3),
        "library_runs": [round(x, 2) for x in library],
        "project_draw_runs": [round(x, 2) for x in pure],
        "project_task_runs": [round(x, 2) for x in task],
        "progress_writes_last_run": writes,
        "algorithm_used": run.algorithm_used,
        "min_probability": round(run.min_probability, 5),
        "equal_share": round(equal_share, 5),
        "min_probability_share_of_equal": round(run.min_probability / equal_share, 3),
        "probabilities_sum": round(total, 6),
    }


def run():
    from django.conf import settings

    from accounts.models import User

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    officer = User.objects.create_superuser(email="bench@example.org", password=None)
    programme = _programme()
    figures = {}
    for applicants, seats, rounds in POOLS:
        rounds = int(ROUNDS or rounds)
        figures[f"{applicants}_{seats}"] = _one_pool(programme, officer, applicants, seats, rounds)
        print(f"  {applicants}/{seats}: {figures[f'{applicants}_{seats}']}", flush=True)
    return figures
