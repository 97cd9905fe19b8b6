"""Public pages, the members' space and the officers' lottery pages, through HTTP."""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import ModelLogEntry, PageLogEntry

from panels.models import Application, LotteryRun, Meeting, Quota, Recommendation, Score
from tests.panels.factories import (
    ApplicationFactory,
    CriterionFactory,
    OptionFactory,
    make_panel,
    make_pool,
    set_quotas,
)

pytestmark = pytest.mark.django_db


def _answers(**extra):
    return {
        "name": "Jo Bloggs",
        "phone": "",
        "gender": "woman",
        "age_band": "25-34",
        "availability": ["weekend"],
        "consent": "on",
        **extra,
    }


# ---------------------------------------------------------------- public page


def test_panel_page_shows_seed_and_recommendation(client, panel, officer):
    LotteryRun.objects.create(panel=panel, seats=4, seed=987654, algorithm_requested="maximin")
    Recommendation.objects.create(
        panel=panel, text="Set up a staff-led mutual.", published_at=timezone.now()
    )
    response = client.get(panel.url)
    assert response.status_code == 200
    assert b"987654" in response.content
    assert b"Set up a staff-led mutual." in response.content
    assert b"Apply to join the panel" in response.content


def test_draft_recommendation_is_not_public(client, panel):
    Recommendation.objects.create(panel=panel, text="Draft words")
    assert b"Draft words" not in client.get(panel.url).content


@pytest.mark.parametrize("signed_in", [False, True])
def test_panel_page_queries_do_not_grow_with_data(
    client, panel, resident, django_assert_num_queries, signed_in
):
    if signed_in:
        client.force_login(resident)
    client.get(panel.url)  # warm caches (site, settings)

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(panel.url).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    make_pool(panel, [(40, {})])
    for n in range(8):
        Meeting.objects.create(
            panel=panel,
            title=f"Meeting {n}",
            starts_at=timezone.now() + timedelta(days=n),
            location="Hall",
        )
    LotteryRun.objects.create(panel=panel, seats=4, seed=5, algorithm_requested="maximin")
    with django_assert_num_queries(small):
        client.get(panel.url)


# ---------------------------------------------------------------- applying


def test_apply_needs_sign_in(client, panel):
    response = client.get(panel.url + "apply/")
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_apply_bad_input_keeps_answers_and_explains(client, panel, resident):
    client.force_login(resident)
    response = client.post(panel.url + "apply/", _answers(gender="", consent=""))
    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content
    assert "Tick the box to agree to the use of your answers for the selection." in content
    assert "What is your gender?" in content
    assert 'value="Jo Bloggs"' in content
    assert not Application.objects.exists()


def test_apply_then_see_status(client, panel, resident):
    client.force_login(resident)
    response = client.post(panel.url + "apply/", _answers())
    assert response.status_code == 200
    assert b"Application received" in response.content
    application = Application.objects.get()
    assert (application.user, application.email, application.gender) == (
        resident,
        resident.email,
        "woman",
    )
    # A second visit shows the application, not a second form.
    assert b"Application received" in client.get(panel.url + "apply/").content


def test_apply_honeypot_refused(client, panel, resident):
    client.force_login(resident)
    response = client.post(panel.url + "apply/", _answers(website_url="http://spam.example"))
    assert response.status_code == 200
    assert not Application.objects.exists()


def test_apply_rate_limited(client, panel, resident, settings):
    client.force_login(resident)
    for _ in range(11):
        response = client.post(panel.url + "apply/", _answers(consent=""))
    assert b"too many times" in response.content


def test_apply_when_closed_says_so(client, home_page, resident):
    now = timezone.now()
    panel = make_panel(
        home_page, opens_at=now - timedelta(days=9), closes_at=now - timedelta(days=1)
    )
    client.force_login(resident)
    response = client.post(panel.url + "apply/", _answers())
    assert b"not open" in response.content
    assert not Application.objects.exists()


# ---------------------------------------------------------------- panel space


@pytest.fixture
def member(panel, resident):
    ApplicationFactory(
        panel=panel, user=resident, email=resident.email, status=Application.SELECTED
    )
    return resident


def test_space_is_members_and_officers_only(
    client, home_page, panel, member, officer, user_factory
):
    other_panel = make_panel(home_page)
    client.force_login(member)
    assert client.get(panel.url + "space/").status_code == 200
    assert client.get(other_panel.url + "space/").status_code == 403
    client.force_login(user_factory())
    assert client.get(panel.url + "space/").status_code == 403
    client.force_login(officer)
    assert client.get(panel.url + "space/").status_code == 200


def test_meeting_page_shows_details(client, panel, member):
    meeting = Meeting.objects.create(
        panel=panel,
        title="First meeting",
        starts_at=timezone.now(),
        location="Kelderby Library",
        agenda="Welcome",
    )
    client.force_login(member)
    response = client.get(panel.url + f"space/meetings/{meeting.pk}/")
    assert b"Kelderby Library" in response.content and b"Welcome" in response.content


def test_scoring_through_the_form(client, panel, member):
    option = OptionFactory(panel=panel, title="Staff mutual")
    cost = CriterionFactory(panel=panel, title="Cost")
    client.force_login(member)
    url = panel.url + f"space/score/{option.pk}/"
    response = client.post(url, {f"score_{cost.pk}": "9", f"rationale_{cost.pk}": "Great value"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Give “Cost” a score from 0 to 5." in content
    assert "Great value" in content
    assert not Score.objects.exists()
    response = client.post(url, {f"score_{cost.pk}": "4", f"rationale_{cost.pk}": "Great value"})
    assert response.status_code == 302
    assert Score.objects.get().value == 4


def test_scoring_another_panels_option_is_not_found(client, home_page, panel, member):
    other_option = OptionFactory(panel=make_panel(home_page))
    client.force_login(member)
    assert client.get(panel.url + f"space/score/{other_option.pk}/").status_code == 404


def test_officers_cannot_score(client, panel, officer):
    option = OptionFactory(panel=panel)
    client.force_login(officer)
    assert client.get(panel.url + f"space/score/{option.pk}/").status_code == 403


def test_results_and_publishing_the_recommendation(client, panel, member):
    option = OptionFactory(panel=panel, title="Keep in-house")
    criterion = CriterionFactory(panel=panel, title="Outcomes")
    Score.objects.create(member=member, option=option, criterion=criterion, value=3)
    client.force_login(member)
    response = client.get(panel.url + "space/results/")
    assert b"Keep in-house" in response.content and b"3.00" in response.content
    response = client.post(panel.url + "space/recommendation/", {"text": "", "action": "publish"})
    assert b"Write the recommendation before saving it." in response.content
    response = client.post(
        panel.url + "space/recommendation/", {"text": "Keep it in-house.", "action": "publish"}
    )
    assert response.status_code == 302
    assert b"Keep it in-house." in client.get(panel.url).content


def test_member_withdraws(client, panel, member):
    client.force_login(member)
    client.post(panel.url + "space/membership/", {"action": "withdraw"})
    assert Application.objects.get(user=member).status == Application.WITHDRAWN
    assert client.get(panel.url + "space/").status_code == 403


# ---------------------------------------------------------------- officers' admin pages


def test_lottery_admin_only_for_the_panels_officers(client, panel, officer, user_factory):
    from accounts.roles import roles_sync

    other = user_factory(is_staff=True)
    other.groups.add(roles_sync()["officer"])
    url = f"/admin/panels/lottery/panel/{panel.pk}/"
    client.force_login(other)
    response = client.get(url)
    # Wagtail turns a refusal into a redirect to the dashboard with a message.
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    client.force_login(officer)
    assert client.get(url).status_code == 200


def test_applications_admin_lists_only_own_panels(client, home_page, panel, officer):
    ApplicationFactory(panel=panel, name="Mine Applicant")
    ApplicationFactory(panel=make_panel(home_page), name="Their Applicant")
    client.force_login(officer)
    from django.urls import reverse

    content = client.get(reverse("panels_application:index")).content
    assert b"Mine Applicant" in content
    assert b"Their Applicant" not in content


def test_officer_runs_the_lottery_from_the_admin(
    client, panel, officer, django_capture_on_commit_callbacks
):
    make_pool(panel, [(6, {"gender": "woman"}), (6, {"gender": "man"})])
    client.force_login(officer)
    url = f"/admin/panels/lottery/panel/{panel.pk}/"
    client.post(url, {"action": "propose"})
    assert Quota.objects.filter(panel=panel).exists()
    set_quotas(panel, {"gender": {"woman": (2, 2), "man": (2, 2), "non-binary": (0, 4)}})
    client.post(url, {"action": "announce"})
    run = LotteryRun.objects.get()
    assert str(run.seed).encode() in client.get(panel.url).content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "start", "run": run.pk})
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == LotteryRun.COMPLETED
    page = client.get(f"/admin/panels/lottery/run/{run.pk}/").content.decode()
    assert "maximin used" in page
    assert 'http-equiv="refresh"' not in page
    page = client.get(f"/admin/panels/lottery/run/{run.pk}/?verify=1").content.decode()
    assert "the same members were selected" in page
    # Actions on the panel page go to the page's history, on runs to the model log.
    assert PageLogEntry.objects.filter(page=panel, action="panels.quotas_propose").exists()
    assert set(ModelLogEntry.objects.values_list("action", flat=True)) >= {
        "panels.lottery_announce",
        "panels.lottery_start",
        "panels.lottery_complete",
    }


def test_quota_table_bad_input_is_explained(client, panel, officer):
    client.force_login(officer)
    url = f"/admin/panels/lottery/panel/{panel.pk}/"
    response = client.post(
        url,
        {
            "action": "save_quotas",
            "q-gender-woman-min": "3",
            "q-gender-woman-max": "1",
            "q-gender-man-min": "1",
            "q-gender-man-max": "2",
        },
    )
    assert response.status_code == 200
    assert "The minimum cannot be more than the maximum." in response.content.decode()
    # All or nothing: the valid row was not saved either.
    assert not Quota.objects.exists()
    response = client.post(url, {"action": "save_quotas", "q-gender-woman-min": "x"})
    assert "enter whole numbers" in response.content.decode()


def test_running_draw_page_refreshes_itself(client, panel, officer):
    run = LotteryRun.objects.create(
        panel=panel,
        seats=4,
        seed=5,
        algorithm_requested="maximin",
        status=LotteryRun.RUNNING,
        progress=40,
    )
    client.force_login(officer)
    page = client.get(f"/admin/panels/lottery/run/{run.pk}/").content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page
    assert "40%" in page


def test_results_queries_do_not_grow_with_scores(
    client, panel, member, user_factory, django_assert_num_queries
):
    options = [OptionFactory(panel=panel) for _ in range(2)]
    criteria = [CriterionFactory(panel=panel) for _ in range(2)]
    Score.objects.create(member=member, option=options[0], criterion=criteria[0], value=3)
    client.force_login(member)
    client.get(panel.url + "space/results/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(panel.url + "space/results/")
    for n in range(6):
        scorer = user_factory()
        for option in options:
            for criterion in criteria:
                Score.objects.create(
                    member=scorer, option=option, criterion=criterion, value=n % 6
                )
    with django_assert_num_queries(len(ctx.captured_queries)):
        assert client.get(panel.url + "space/results/").status_code == 200


def test_officer_records_a_withdrawal_in_the_admin(client, panel, officer, member):
    application = Application.objects.get(user=member)
    client.force_login(officer)
    client.post(
        f"/admin/panels/lottery/panel/{panel.pk}/",
        {"action": "withdraw", "application": application.pk},
    )
    application.refresh_from_db()
    assert application.status == Application.WITHDRAWN


def test_panel_summary_for_officers(panel, member):
    from commissioning.summaries import engagement_summary

    option, criterion = OptionFactory(panel=panel, title="Mutual"), CriterionFactory(panel=panel)
    Score.objects.create(member=member, option=option, criterion=criterion, value=4)
    summary = engagement_summary(panel)
    labels = {f.label: f.value for f in summary.figures}
    assert labels["Members"] == "1 of 4 seats"
    assert summary.tables[0].rows[0][:3] == [1, "Mutual", 4.0]
