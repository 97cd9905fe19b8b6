import io

import pytest

from panels.models import (
    Application,
    Invitation,
    InvitationAddress,
    LotteryRun,
    Meeting,
    PanelPage,
    PrintBatch,
    Recommendation,
    Score,
)

pytestmark = pytest.mark.django_db


def _counts():
    return [
        m.objects.count()
        for m in (
            PanelPage,
            Application,
            LotteryRun,
            Meeting,
            Score,
            Recommendation,
            InvitationAddress,
            Invitation,
            PrintBatch,
        )
    ]


def _assert_recruiting_panel():
    recruiting = PanelPage.objects.get(slug="citizen-commissioner-panel")
    assert recruiting.applications.count() == 300
    assert recruiting.applications.filter(email="panel@example.org").exists()


def _assert_drawn_panel():
    drawn = PanelPage.objects.get(slug="libraries-citizen-panel")
    run = drawn.lottery_runs.get()
    assert run.status == LotteryRun.COMPLETED and run.algorithm_used == "maximin"
    members = Application.objects.members().filter(panel=drawn)
    assert members.count() == 8
    assert members.filter(email="panel@example.org").exists()
    assert Score.objects.filter(option__panel=drawn).count() == 8 * 6 * 6
    assert Recommendation.objects.get(panel=drawn).published_at is not None
    return drawn


def _assert_panel_invited_by_letter():
    by_letter = PanelPage.objects.get(slug="libraries-review-panel")
    assert InvitationAddress.objects.filter(panel=by_letter).count() > 2500
    assert Invitation.objects.filter(panel=by_letter).count() == 600
    registrations = Application.objects.filter(panel=by_letter)
    assert registrations.count() == 30
    assert set(registrations.values_list("channel", flat=True)) == {"letter", "phone", "paper"}
    assert registrations.filter(status=Application.SELECTED).count() == 8
    batches = PrintBatch.objects.filter(panel=by_letter, status=PrintBatch.READY)
    assert batches.get(kind=PrintBatch.INVITATIONS).letters == 600
    assert batches.get(kind=PrintBatch.RESULTS).letters > 0


def _assert_papers_only_for_officers(panel):
    from wagtail.models import CollectionViewRestriction

    from accounts.roles import OFFICER

    paper = panel.meetings.first().papers.first().document
    restriction = CollectionViewRestriction.objects.get(collection=paper.collection)
    assert restriction.restriction_type == CollectionViewRestriction.GROUPS
    assert list(restriction.groups.values_list("name", flat=True)) == [OFFICER]


def test_demo_loads_both_panels_and_is_idempotent(home_page):
    from accounts import demo as accounts_demo
    from commissioning import demo as commissioning_demo
    from panels import demo

    out = io.StringIO()
    commissioning_demo.load(stdout=out)
    accounts_demo.load(stdout=out)
    demo.load(stdout=out)
    first = _counts()
    demo.load(stdout=out)
    assert _counts() == first

    _assert_recruiting_panel()
    drawn = _assert_drawn_panel()
    _assert_panel_invited_by_letter()
    _assert_papers_only_for_officers(drawn)


def test_demo_activity_is_dated_in_the_past_and_has_wards(home_page):
    from django.utils import timezone

    from accounts import demo as accounts_demo
    from commissioning import demo as commissioning_demo
    from commissioning.models import Participation
    from panels import demo

    out = io.StringIO()
    commissioning_demo.load(stdout=out)
    accounts_demo.load(stdout=out)
    demo.load(stdout=out)
    # An older demo dated applications in the weeks ahead: a reload moves them back.
    recruiting = PanelPage.objects.get(slug="citizen-commissioner-panel")
    future = timezone.now() + timezone.timedelta(days=5)
    recruiting.applications.filter(email="panel@example.org").update(created_at=future)
    Participation.objects.filter(engagement=recruiting).update(created_at=future)
    demo.load(stdout=out)

    now = timezone.now()
    assert not Application.objects.filter(created_at__gt=now).exists()
    assert not Participation.objects.filter(
        engagement__in=PanelPage.objects.all(), created_at__gt=now
    ).exists()
    applications = recruiting.applications.all()
    assert all(recruiting.opens_at <= a.created_at <= now for a in applications)
    assert not applications.filter(ward__isnull=True).exists()
    assert not Participation.objects.filter(engagement=recruiting, ward__isnull=True).exists()
    drawn = PanelPage.objects.get(slug="libraries-citizen-panel")
    assert not drawn.applications.filter(created_at__gt=drawn.closes_at).exists()
    members = Application.objects.members().filter(panel=drawn)
    assert not members.filter(user__ward__isnull=True).exists()
    # The draw was announced and made after applications closed.
    run = drawn.lottery_runs.get()
    assert drawn.closes_at < run.announced_at <= run.finished_at < now
    assert recruiting.is_open() and not recruiting.lottery_runs.exists()
