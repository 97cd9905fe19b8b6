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

The ratio project / library is the figure against the target (≤ 1.1 ×), in
wall seconds and in CPU seconds (the solver runs in this process, so its CPU
counts; on a shared machine the CPU ratio is the one to judge).
BENCH_PANELS_POOLS chooses pools, e.g. "1000_30".
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
# Which pools to draw, as "300_20,1000_30" (default both).
ONLY = {p for p in os.environ.get("BENCH_PANELS_POOLS", "").split(",") if p}


@contextlib.contextmanager
def _clock():
    """Wall and CPU seconds of the block (CPU: every thread of this process, the solver's too).

    CPU seconds are what a ratio is judged on when the machine is shared: the
    wall time of a minutes-long draw follows whatever else runs beside it.
    """
    timing = {}
    wall, cpu = time.perf_counter(), time.process_time()
    yield timing
    timing["wall"] = time.perf_counter() - wall
    timing["cpu"] = time.process_time() - cpu


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
    with _clock() as timing, _stdout_to_devnull():
        ok, committees, report = run_stratification(features, people, seats, settings)
    assert ok, report.as_text()
    return timing


def _project_pure(pool, quotas, seats):
    from panels.draw import draw

    with _clock() as timing:
        draw(pool=pool, quotas=quotas, seats=seats, seed=SEED)
    return timing


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
    with (
        _Counting(services.RunProgress),
        mock.patch("panels.tasks.lottery_notify_task"),
        _clock() as timing,
    ):
        run = services.lottery_execute(run_id=run.pk)
    assert run.status == LotteryRun.COMPLETED, run.error
    return timing, run, _Counting.writes


def _reset(panel):
    """Put the pool back to waiting so the next round draws it afresh."""
    from panels.models import Application, LotteryRun

    LotteryRun.objects.filter(panel=panel).delete()
    Application.objects.filter(panel=panel).update(status=Application.APPLIED)


def _timings(**runs):
    """Medians, ratios to the library and every run, in wall and in CPU seconds."""
    figures = {}
    for clock in ("wall", "cpu"):
        median = {name: statistics.median(t[clock] for t in runs[name]) for name in runs}
        for name, timings in runs.items():
            figures[f"{name}_{clock}_seconds"] = round(median[name], 2)
            figures[f"{name}_{clock}_runs"] = [round(t[clock], 2) for t in timings]
        for name in ("draw", "task"):
            figures[f"{clock}_ratio_{name}_to_library"] = round(
                median[name] / median["library"], 3
            )
    return figures


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
    equal_share = seats / applicants
    total = run.entries.aggregate(total=Sum("probability"))["total"]
    return {
        "applicants": applicants,
        "seats": seats,
        "attributes": len(ATTRIBUTES),
        "quota_values": sum(len(values) for values in quotas.values()),
        "rounds": rounds,
        "feasibility_check_seconds": round(feasibility_seconds, 2),
        **_timings(library=library, draw=pure, task=task),
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
        if ONLY and f"{applicants}_{seats}" not in ONLY:
            continue
        rounds = int(ROUNDS or rounds)
        figures[f"{applicants}_{seats}"] = _one_pool(programme, officer, applicants, seats, rounds)
        print(f"  {applicants}/{seats}: {figures[f'{applicants}_{seats}']}", flush=True)
    return figures
