"""Applications, the lottery (announce, start, execute), replacements, scores, recommendation."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.models import ModelLogEntry

from commissioning.models import Participation
from panels import services
from panels.models import Application, LotteryEntry, LotteryRun, Recommendation, Score
from tests.pages import built_once
from tests.panels.factories import (
    CriterionFactory,
    OptionFactory,
    make_panel,
    make_pool,
    panel_site,
    set_quotas,
)

pytestmark = pytest.mark.django_db


@built_once
def tree():
    """The site and one open panel with its officer, made once for the module."""
    return panel_site()


@pytest.fixture
def home_page(tree):
    return tree["home"]


@pytest.fixture
def officer(tree):
    return tree["officer"]


@pytest.fixture
def panel(tree):
    return tree["panel"]


def _data(**extra):
    return {
        "name": "Jo Bloggs",
        "gender": "woman",
        "age_band": "25-34",
        "availability": ["weekend"],
        "consent": True,
        **extra,
    }


# ---------------------------------------------------------------- applications


def test_application_records_participation(panel, resident):
    application = services.application_submit(panel=panel, user=resident, data=_data())
    assert application.email == "resident@example.org"
    assert application.status == Application.APPLIED
    assert Participation.objects.filter(engagement=panel, user=resident).exists()


def test_one_application_per_person(panel, resident):
    services.application_submit(panel=panel, user=resident, data=_data())
    with pytest.raises(ValidationError, match="already applied"):
        services.application_submit(panel=panel, user=resident, data=_data(name="Again"))
    assert Application.objects.filter(panel=panel).count() == 1


def test_application_needs_consent(panel, resident):
    with pytest.raises(ValidationError) as error:
        services.application_submit(panel=panel, user=resident, data=_data(consent=False))
    assert "consent" in error.value.message_dict
    assert not Application.objects.exists()


def test_application_refused_when_recruitment_closed(home_page, resident):
    now = timezone.now()
    panel = make_panel(
        home_page, opens_at=now - timedelta(days=10), closes_at=now - timedelta(days=1)
    )
    with pytest.raises(ValidationError, match="closed"):
        services.application_submit(panel=panel, user=resident, data=_data())
    assert not Application.objects.exists()


# ---------------------------------------------------------------- the lottery


@pytest.fixture
def pool(panel, officer):
    """Applicants to a panel whose applications are then closed, ready for the draw."""
    apps = make_pool(
        panel,
        [
            (6, {"gender": "woman", "age_band": "16-24"}),
            (6, {"gender": "woman", "age_band": "65-74"}),
            (5, {"gender": "man", "age_band": "16-24"}),
            (5, {"gender": "man", "age_band": "65-74"}),
        ],
    )
    set_quotas(
        panel,
        {
            "gender": {"woman": (2, 2), "man": (2, 2)},
            "age_band": {"16-24": (1, 3), "65-74": (1, 3)},
        },
    )
    services.applications_close(panel=panel, user=officer)
    return apps


def _run_draw(panel, officer, capture, seed=4321, kind=LotteryRun.DRAW):
    run = services.lottery_announce(panel=panel, user=officer, seed=seed, kind=kind)
    with capture(execute=True):
        services.lottery_start(run=run, user=officer)
    run.refresh_from_db()
    return run


def _assert_run_recorded(run, panel):
    """The run keeps its seed, quotas and every entry's chance; returns the entries."""
    assert (run.status, run.algorithm_used, run.seed) == (LotteryRun.COMPLETED, "maximin", 4321)
    assert run.quotas["gender"]["woman"] == [2, 2]
    entries = list(run.entries.all())
    assert len(entries) == 22
    assert entries[0].attributes.keys() == {"gender", "age_band"}
    assert sum(e.probability for e in entries) == pytest.approx(panel.seats)
    assert run.min_probability == pytest.approx(min(e.probability for e in entries))
    # Maximin: men (10 for 2 seats) and women (12 for 2 seats) -> lowest chance 2/12.
    assert run.min_probability == pytest.approx(2 / 12, abs=1e-6)
    return entries


def _assert_seats_filled_within_quotas(entries, panel):
    selected = [e.application for e in entries if e.selected]
    assert len(selected) == 4
    assert sorted(a.gender for a in selected) == ["man", "man", "woman", "woman"]
    assert Application.objects.members().filter(panel=panel).count() == 4
    assert Application.objects.filter(panel=panel, status=Application.NOT_SELECTED).count() == 18


def _assert_everyone_told_and_logged(run):
    # Everyone in the pool is told the result.
    assert len(mail.outbox) == 22
    assert sum("You have a place" in m.subject for m in mail.outbox) == 4
    run.refresh_from_db()
    assert run.notified_at is not None
    actions = set(ModelLogEntry.objects.values_list("action", flat=True))
    assert {
        "panels.lottery_announce",
        "panels.lottery_start",
        "panels.lottery_complete",
    } <= actions


def test_draw_records_everything(panel, pool, officer, django_capture_on_commit_callbacks):
    run = _run_draw(panel, officer, django_capture_on_commit_callbacks)
    entries = _assert_run_recorded(run, panel)
    _assert_seats_filled_within_quotas(entries, panel)
    _assert_everyone_told_and_logged(run)


def test_recorded_draw_reproduces_from_its_seed(
    panel, pool, officer, django_capture_on_commit_callbacks
):
    from panels.selectors import run_reproduces

    run = _run_draw(panel, officer, django_capture_on_commit_callbacks)
    assert run_reproduces(run=run)
    # A different seed over the same record is a different lottery (and would be noticed).
    LotteryEntry.objects.filter(run=run, selected=True).update(selected=False)
    first = LotteryEntry.objects.filter(run=run).order_by("pk").first()
    LotteryEntry.objects.filter(pk=first.pk).update(selected=True)
    assert not run_reproduces(run=run)


def test_second_draw_cannot_run_at_once(panel, pool, officer, django_capture_on_commit_callbacks):
    run = services.lottery_announce(panel=panel, user=officer)
    # A second announcement while one is pending is refused…
    with pytest.raises(ValidationError, match="already announced or running"):
        services.lottery_announce(panel=panel, user=officer)
    # …and the database refuses it even if a service is bypassed.
    with pytest.raises(IntegrityError), transaction.atomic():
        LotteryRun.objects.create(
            panel=panel, seats=4, seed=1, algorithm_requested="maximin", status=LotteryRun.QUEUED
        )
    # Starting a run that another request already started is refused.
    LotteryRun.objects.filter(pk=run.pk).update(status=LotteryRun.RUNNING)
    with pytest.raises(ValidationError, match="only one draw can run at a time"):
        services.lottery_start(run=run, user=officer)
    assert not LotteryEntry.objects.exists()


def test_stuck_draw_can_be_cancelled_after_an_hour(panel, pool, officer):
    run = services.lottery_announce(panel=panel, user=officer)
    LotteryRun.objects.filter(pk=run.pk).update(
        status=LotteryRun.RUNNING, started_at=timezone.now()
    )
    run.refresh_from_db()
    with pytest.raises(ValidationError, match="cannot be cancelled"):
        services.lottery_cancel(run=run, user=officer)
    later = timezone.now() + timedelta(hours=2)
    assert services.lottery_is_stuck(run, now=later)
    services.lottery_cancel(run=run, user=officer, now=later)
    run.refresh_from_db()
    assert run.status == LotteryRun.CANCELLED
    services.lottery_announce(panel=panel, user=officer)  # the panel is free again


def test_start_refuses_infeasible_quotas_with_reasons(panel, pool, officer):
    set_quotas(panel, {"gender": {"non-binary": (1, 1)}})
    run = services.lottery_announce(panel=panel, user=officer)
    with pytest.raises(ValidationError) as error:
        services.lottery_start(run=run, user=officer)
    assert "only 0 applicants gave it" in " ".join(error.value.messages)
    run.refresh_from_db()
    assert run.status == LotteryRun.ANNOUNCED


def test_only_the_panels_officers_run_its_lottery(panel, pool, user_factory):
    other = user_factory(is_staff=True)
    with pytest.raises(ValidationError, match="officers"):
        services.lottery_announce(panel=panel, user=other)


def test_first_draw_only_once(panel, pool, officer, django_capture_on_commit_callbacks):
    _run_draw(panel, officer, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError, match="already been drawn"):
        services.lottery_announce(panel=panel, user=officer)


def test_replacements_respect_remaining_quotas(
    panel, pool, officer, django_capture_on_commit_callbacks
):
    _run_draw(panel, officer, django_capture_on_commit_callbacks)
    members = list(Application.objects.members().filter(panel=panel))
    with pytest.raises(ValidationError, match="every seat is filled"):
        services.lottery_announce(panel=panel, user=officer, kind=LotteryRun.REPLACEMENT)
    leaver = next(m for m in members if m.gender == "woman")
    leaver.user = officer  # officers may also record a withdrawal
    services.member_withdraw(application=leaver, user=officer)
    mail.outbox.clear()
    run = _run_draw(
        panel, officer, django_capture_on_commit_callbacks, seed=99, kind=LotteryRun.REPLACEMENT
    )
    assert run.seats == 1
    # The panel still needs exactly one more woman; men are already at their maximum.
    assert run.quotas["gender"]["woman"] == [1, 1]
    assert run.quotas["gender"]["man"] == [0, 0]
    [replacement] = [e.application for e in run.entries.filter(selected=True)]
    assert replacement.gender == "woman"
    assert replacement.pk != leaver.pk
    assert Application.objects.members().filter(panel=panel).count() == 4
    assert run.entries.filter(application=leaver).count() == 0
    # Only the replacement is emailed this time.
    assert [m.to for m in mail.outbox] == [[replacement.email]]


def test_failed_draw_is_recorded(
    panel, pool, officer, monkeypatch, django_capture_on_commit_callbacks
):
    from panels import draw as draw_module

    def broken(**kwargs):
        raise draw_module.DrawError("No panel meets the quotas.")

    monkeypatch.setattr(services, "draw", broken)
    run = _run_draw(panel, officer, django_capture_on_commit_callbacks)
    assert run.status == LotteryRun.FAILED
    assert "No panel meets the quotas." in run.error
    # A failed run no longer blocks a new announcement.
    services.lottery_announce(panel=panel, user=officer)


# ---------------------------------------------------------------- scores and recommendation


@pytest.fixture
def member(panel, resident):
    Application.objects.create(
        panel=panel,
        user=resident,
        name="Jo",
        email=resident.email,
        consent=True,
        status=Application.SELECTED,
    )
    return resident


def test_member_scores(panel, member):
    option, criterion = OptionFactory(panel=panel), CriterionFactory(panel=panel)
    services.score_record(
        panel=panel, user=member, option=option, criterion=criterion, value=4, rationale=" Good "
    )
    services.score_record(panel=panel, user=member, option=option, criterion=criterion, value="5")
    score = Score.objects.get()
    assert (score.value, score.rationale) == (5, "")


@pytest.mark.parametrize("value", [-1, 6, "7", "2.5", "", None, "abc"])
def test_score_outside_0_to_5_refused(panel, member, value):
    option, criterion = OptionFactory(panel=panel), CriterionFactory(panel=panel)
    with pytest.raises(ValidationError, match="0 to 5"):
        services.score_record(
            panel=panel, user=member, option=option, criterion=criterion, value=value
        )
    assert not Score.objects.exists()


def test_option_or_criterion_from_another_panel_refused(home_page, panel, member):
    other = make_panel(home_page)
    option, criterion = OptionFactory(panel=panel), CriterionFactory(panel=panel)
    with pytest.raises(ValidationError, match="criterion belongs to another panel"):
        services.score_record(
            panel=panel,
            user=member,
            option=option,
            criterion=CriterionFactory(panel=other),
            value=3,
        )
    with pytest.raises(ValidationError, match="option belongs to another panel"):
        services.score_record(
            panel=panel,
            user=member,
            option=OptionFactory(panel=other),
            criterion=criterion,
            value=3,
        )
    assert not Score.objects.exists()


def test_scores_for_an_option_are_all_or_nothing(panel, member):
    option = OptionFactory(panel=panel)
    good, bad = CriterionFactory(panel=panel), CriterionFactory(panel=panel)
    with pytest.raises(ValidationError):
        services.scores_record(
            panel=panel, user=member, option=option, rows=[(good, 3, ""), (bad, 9, "")]
        )
    assert not Score.objects.exists()


def test_non_members_cannot_score(panel, resident, officer):
    option, criterion = OptionFactory(panel=panel), CriterionFactory(panel=panel)
    for user in (resident, officer):
        with pytest.raises(ValidationError, match="Only members"):
            services.score_record(
                panel=panel, user=user, option=option, criterion=criterion, value=3
            )


def test_withdrawn_member_can_no_longer_score(panel, member):
    application = Application.objects.get(user=member)
    services.member_withdraw(application=application, user=member)
    option, criterion = OptionFactory(panel=panel), CriterionFactory(panel=panel)
    with pytest.raises(ValidationError):
        services.score_record(
            panel=panel, user=member, option=option, criterion=criterion, value=3
        )


def test_recommendation_written_and_published(panel, member, resident, user_factory):
    with pytest.raises(ValidationError):
        services.recommendation_save(
            panel=panel, user=user_factory(), text="Outsiders cannot write this."
        )
    services.recommendation_save(panel=panel, user=member, text="We recommend a staff-led mutual.")
    recommendation = services.recommendation_publish(panel=panel, user=member)
    assert recommendation.published_at is not None
    assert Recommendation.objects.get().text == "We recommend a staff-led mutual."


# ---------------------------------------------------------------- lottery timing


def test_the_draw_needs_applications_closed(panel, officer):
    make_pool(panel, [(3, {"gender": "woman"}), (3, {"gender": "man"})])
    with pytest.raises(ValidationError, match="Applications are still open"):
        services.lottery_announce(panel=panel, user=officer)
    assert not LotteryRun.objects.exists()
    # A run announced by other means still cannot start while applications are open.
    run = LotteryRun.objects.create(panel=panel, seats=4, seed=7, algorithm_requested="maximin")
    with pytest.raises(ValidationError, match="Applications are still open"):
        services.lottery_start(run=run, user=officer)
    run.refresh_from_db()
    assert run.status == LotteryRun.ANNOUNCED


def test_an_officer_closes_applications_early_once_and_it_is_recorded(panel, officer, resident):
    from wagtail.models import PageLogEntry

    from panels.models import PanelPage

    original = panel.closes_at
    services.applications_close(panel=panel, user=officer)
    stored = PanelPage.objects.get(pk=panel.pk)
    assert stored.state() == "closed" and stored.closes_at < original
    assert stored.applications_closed_at == stored.closes_at
    entry = PageLogEntry.objects.get(page=panel, action="panels.applications_close")
    assert entry.user == officer
    with pytest.raises(ValidationError, match="not open"):
        services.applications_close(panel=stored, user=officer)
    with pytest.raises(ValidationError, match="closed"):
        services.application_submit(panel=stored, user=resident, data=_data())
    # Publishing an older draft of the page does not reopen applications.
    stored.save_revision().publish()
    revision = stored.revisions.order_by("pk").first()
    assert revision.as_object().closes_at == stored.closes_at
    assert PanelPage.objects.get(pk=panel.pk).state() == "closed"


def test_only_the_panels_officers_close_applications(panel, editor, resident):
    for user in (editor, resident):
        with pytest.raises(ValidationError, match="officers"):
            services.applications_close(panel=panel, user=user)


def test_no_applications_after_the_draw_whatever_the_dates(panel, resident):
    LotteryRun.objects.create(
        panel=panel,
        seats=4,
        seed=3,
        algorithm_requested="maximin",
        status=LotteryRun.COMPLETED,
    )
    assert panel.is_open()  # an editor reopened the dates, say
    with pytest.raises(ValidationError, match="has been drawn"):
        services.application_submit(panel=panel, user=resident, data=_data())
    assert not Application.objects.exists()


def test_access_needs_are_limited(panel, resident):
    with pytest.raises(ValidationError) as error:
        services.application_submit(
            panel=panel, user=resident, data=_data(access_needs="x" * 1001)
        )
    assert "1,000 characters or fewer" in error.value.message_dict["access_needs"][0]
    assert not Application.objects.exists()


# ---------------------------------------------------------------- the end of the appraisal


def test_publishing_locks_scores_and_the_recommendation(panel, member, officer):
    option, criterion = OptionFactory(panel=panel), CriterionFactory(panel=panel)
    services.score_record(panel=panel, user=member, option=option, criterion=criterion, value=2)
    services.recommendation_save(panel=panel, user=member, text="In-house.")
    services.recommendation_publish(panel=panel, user=member)
    with pytest.raises(ValidationError, match="scores are final"):
        services.score_record(
            panel=panel, user=member, option=option, criterion=criterion, value=5
        )
    assert Score.objects.get().value == 2
    with pytest.raises(ValidationError, match="already been published"):
        services.recommendation_save(panel=panel, user=member, text="Outsource after all.")
    with pytest.raises(ValidationError, match="already been published"):
        services.recommendation_publish(panel=panel, user=member)
    assert Recommendation.objects.get().text == "In-house."
    # Membership ends with the panel.
    application = Application.objects.get(user=member)
    with pytest.raises(ValidationError, match="finished its work"):
        services.member_withdraw(application=application, user=member)
    with pytest.raises(ValidationError, match="finished its work"):
        services.member_withdraw(application=application, user=officer)
    application.refresh_from_db()
    assert application.status == Application.SELECTED


def test_an_officer_reopens_the_appraisal_with_a_reason(panel, member, officer):
    option, criterion = OptionFactory(panel=panel), CriterionFactory(panel=panel)
    services.recommendation_save(panel=panel, user=member, text="In-house.")
    services.recommendation_publish(panel=panel, user=member)
    with pytest.raises(ValidationError, match="officers"):
        services.appraisal_reopen(panel=panel, user=member, reason="We want another go.")
    with pytest.raises(ValidationError) as error:
        services.appraisal_reopen(panel=panel, user=officer, reason=" ")
    assert "reason" in error.value.message_dict
    services.appraisal_reopen(panel=panel, user=officer, reason="New cost figures arrived.")
    from wagtail.models import PageLogEntry

    entry = PageLogEntry.objects.get(page=panel, action="panels.appraisal_reopen")
    assert entry.user == officer
    assert entry.data["reason"] == "New cost figures arrived."
    assert Recommendation.objects.get().published_at is None
    services.score_record(panel=panel, user=member, option=option, criterion=criterion, value=4)
    services.recommendation_publish(panel=panel, user=member)
    assert Recommendation.objects.get().published_at is not None


def test_recommendation_and_reasons_are_limited(panel, member):
    with pytest.raises(ValidationError) as error:
        services.recommendation_save(panel=panel, user=member, text="x" * 102_400)
    assert "102,400 characters long" in error.value.message_dict["text"][0]
    assert not Recommendation.objects.exists()
    option, criterion = OptionFactory(panel=panel), CriterionFactory(panel=panel)
    with pytest.raises(ValidationError, match="2,000 characters or fewer"):
        services.score_record(
            panel=panel,
            user=member,
            option=option,
            criterion=criterion,
            value=3,
            rationale="y" * 2001,
        )
    assert not Score.objects.exists()
