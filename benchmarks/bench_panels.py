"""The panel lottery: 300 applicants, 20 seats, 5 attributes, maximin (CBC via `mip`).

Figures: the feasibility check (quotas against the pool, with one solver
call), the draw itself (the background task's work: the maximin
distribution, the rounding and writing every probability), and the fairness
the draw achieved: the lowest selection probability as a share of the equal
share (seats / applicants; 1.0 would mean everyone had the same chance).

Run with `python -m benchmarks panels` (a fresh migrated SQLite database).
"""

import random
import time

APPLICANTS = 300
SEATS = 20
ATTRIBUTES = ["ward", "age_band", "gender", "ethnicity", "disability"]
SEED = 8675309


def _panel():
    from django.utils.text import slugify
    from wagtail.models import Page

    from commissioning.demo import WARDS
    from commissioning.models import ProgrammeIndexPage, ProgrammePage, Ward
    from coproduce.models import HomePage
    from panels.models import PanelPage

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
    programme = index.add_child(
        instance=ProgrammePage(title="Bench programme", slug="bench-programme")
    )
    from django.utils import timezone

    now = timezone.now()
    return programme.add_child(
        instance=PanelPage(
            title="Bench panel",
            slug="bench-panel",
            stage="plan",
            opens_at=now - timezone.timedelta(days=30),
            closes_at=now - timezone.timedelta(days=1),
            purpose="<p>Bench</p>",
            commitment="Bench",
            eligibility="Bench",
            seats=SEATS,
            attributes=ATTRIBUTES,
            algorithm=PanelPage.MAXIMIN,
        )
    )


def _applicants(panel):
    from commissioning.models import Ward
    from panels.models import Application

    rng = random.Random(SEED)
    wards = list(Ward.objects.all())
    total = sum(w.population for w in wards)

    def pick(shares):
        values, weights = zip(*shares.items(), strict=True)
        return rng.choices(values, weights=weights)[0]

    apps = []
    for n in range(APPLICANTS):
        ward = pick({w: w.population / total for w in wards})
        answers = {key: pick(ward.demographics[key]) for key in ATTRIBUTES if key != "ward"}
        apps.append(
            Application(
                panel=panel,
                name=f"Applicant {n}",
                email=f"a{n}@example.net",
                ward=ward,
                consent=True,
                **answers,
            )
        )
    Application.objects.bulk_create(apps)


def run():
    from django.conf import settings
    from django.db.models import Sum

    from accounts.models import User
    from panels import selectors, services
    from panels.models import LotteryRun, Quota

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    officer = User.objects.create_superuser(email="bench@example.org", password=None)
    panel = _panel()
    _applicants(panel)
    Quota.objects.bulk_create(
        Quota(panel=panel, attribute=key, value=value, minimum=low, maximum=high)
        for key, values in selectors.quota_proposals(panel=panel).items()
        for value, (low, high) in values.items()
    )

    started = time.perf_counter()
    checked = selectors.feasibility(panel=panel)
    feasibility_seconds = time.perf_counter() - started
    assert not checked["problems"], [p.message for p in checked["problems"]]

    run = services.lottery_announce(panel=panel, user=officer, seed=SEED)
    # Queue the run without its task, then time the task's work on its own.
    from unittest import mock

    with mock.patch("panels.tasks.lottery_draw_task"):
        services.lottery_start(run=run, user=officer)
    started = time.perf_counter()
    with mock.patch("panels.tasks.lottery_notify_task"):
        run = services.lottery_execute(run_id=run.pk)
    draw_seconds = time.perf_counter() - started
    assert run.status == LotteryRun.COMPLETED, run.error

    equal_share = SEATS / APPLICANTS
    total = run.entries.aggregate(total=Sum("probability"))["total"]
    return {
        "applicants": APPLICANTS,
        "seats": SEATS,
        "attributes": len(ATTRIBUTES),
        "quota_values": sum(len(values) for values in checked["quotas"].values()),
        "algorithm_used": run.algorithm_used,
        "feasibility_check_seconds": round(feasibility_seconds, 2),
        "draw_seconds": round(draw_seconds, 2),
        "min_probability": round(run.min_probability, 5),
        "equal_share": round(equal_share, 5),
        "min_probability_share_of_equal": round(run.min_probability / equal_share, 3),
        "probabilities_sum": round(total, 6),
    }
