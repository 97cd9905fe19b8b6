"""Public pages, the members' space and the officers' lottery pages, through HTTP."""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import ModelLogEntry, PageLogEntry

from panels.models import Application, LotteryRun, Meeting, Quota, Recommendation, Score
from tests.pages import built_once
from tests.panels.factories import (
    ApplicationFactory,
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
    # A panel that has published its recommendation no longer recruits.
    assert b"Apply to join the panel" not in response.content
    assert b"Recruitment is over" in response.content


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
    assert b"Applications closed on" in response.content
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
    # While applications are open, the page says so and the draw is refused.
    page = client.get(url).content.decode()
    assert "Applications are open until" in page
    response = client.post(url, {"action": "announce"})
    assert "Close them before the draw" in response.content.decode()
    assert not LotteryRun.objects.exists()
    client.post(url, {"action": "close_applications"})
    assert PageLogEntry.objects.filter(page=panel, action="panels.applications_close").exists()
    client.post(url, {"action": "announce"})
    run = LotteryRun.objects.get()
    assert str(run.seed).encode() in client.get(panel.url).content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "start", "run": run.pk})
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == LotteryRun.COMPLETED
    page = client.get(f"/admin/panels/lottery/run/{run.pk}/").content.decode()
    assert "Maximin used" in page
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
    LotteryRun.objects.create(
        panel=panel,
        seats=4,
        seed=5,
        algorithm_requested="maximin",
        algorithm_used="maximin",
        status=LotteryRun.COMPLETED,
        min_probability=0.25,
    )
    summary = engagement_summary(panel)
    labels = {f.label: f.value for f in summary.figures}
    assert labels["Members"] == "1 of 4 seats"
    assert labels["Draw"] == "Maximin, seed 5"
    assert summary.tables[0].rows[0][:3] == [1, "Mutual", 4.0]


# ---------------------------------------------------------------- ward from the profile


def test_application_form_prefills_the_ward_from_the_profile(client, home_page, resident):
    from tests.panels.factories import WardFactory

    WardFactory(name="Ashby")
    fernhill = WardFactory(name="Fernhill")
    resident.ward = fernhill
    resident.save()
    panel = make_panel(home_page, attributes=["ward", "gender"])
    client.force_login(resident)
    content = client.get(panel.url + "apply/").content.decode()
    assert f'<option value="{fernhill.pk}" selected>Fernhill</option>' in content
    assert "Your profile says Fernhill" in content
    assert "council's website" not in content


# ---------------------------------------------------------------- after the draw


def test_after_the_draw_the_page_names_the_reserve_list_and_refuses_applications(
    client, panel, resident, user_factory
):
    reserve = user_factory()
    ApplicationFactory(
        panel=panel, user=reserve, email=reserve.email, status=Application.NOT_SELECTED
    )
    LotteryRun.objects.create(
        panel=panel, seats=4, seed=11, algorithm_requested="maximin", status="completed"
    )
    assert panel.is_open()  # the dates alone would still invite applications
    client.force_login(resident)
    page = client.get(panel.url).content.decode()
    assert "Apply to join the panel" not in page
    assert "reserve list" in page and "No one can join the reserve list now" in page
    response = client.post(panel.url + "apply/", _answers())
    assert "has been drawn" in response.content.decode()
    assert not Application.objects.filter(user=resident).exists()
    client.force_login(reserve)
    assert "You are on the reserve list" in client.get(panel.url).content.decode()


# ---------------------------------------------------------------- when the panel ends


def test_finished_panel_space_has_no_membership_actions_or_scoring(client, panel, member):
    option, criterion = OptionFactory(panel=panel), CriterionFactory(panel=panel)
    Recommendation.objects.create(panel=panel, text="Mutual.", published_at=timezone.now())
    client.force_login(member)
    page = client.get(panel.url + "space/").content.decode()
    assert "Leave the panel" not in page
    assert "Confirm my place" not in page
    assert f"space/score/{option.pk}/" not in page
    response = client.post(panel.url + f"space/score/{option.pk}/", {f"score_{criterion.pk}": "5"})
    assert response.status_code == 302 and response["Location"].endswith("space/results/")
    assert not Score.objects.exists()
    response = client.post(panel.url + "space/membership/", {"action": "withdraw"})
    assert Application.objects.get(user=member).status == Application.SELECTED
    page = client.get(panel.url + "space/recommendation/").content.decode()
    assert "Mutual." in page and "Reopen the appraisal" not in page
    response = client.post(
        panel.url + "space/recommendation/", {"text": "Changed", "action": "publish"}
    )
    assert Recommendation.objects.get().text == "Mutual."


def test_officer_reopens_from_the_space_with_a_reason(client, panel, officer, member):
    Recommendation.objects.create(panel=panel, text="Mutual.", published_at=timezone.now())
    client.force_login(officer)
    url = panel.url + "space/recommendation/"
    response = client.post(url, {"reason": ""})
    assert "Say why the appraisal is being reopened." in response.content.decode()
    assert Recommendation.objects.get().published_at is not None
    client.post(url, {"reason": "New costs."})
    assert Recommendation.objects.get().published_at is None
    assert PageLogEntry.objects.filter(page=panel, action="panels.appraisal_reopen").exists()


def test_members_and_officers_read_the_reasons(client, panel, member, officer):
    option, criterion = OptionFactory(panel=panel, title="Mutual"), CriterionFactory(panel=panel)
    Score.objects.create(
        member=member, option=option, criterion=criterion, value=4, rationale="Staff own it."
    )
    for user in (member, officer):
        client.force_login(user)
        page = client.get(panel.url + "space/results/").content.decode()
        assert "Staff own it." in page
        assert member.display_name not in page.split("Members' reasons")[1]


def test_overlong_recommendation_is_explained_and_kept(client, panel, member):
    client.force_login(member)
    text = "word " * 20_480
    response = client.post(panel.url + "space/recommendation/", {"text": text, "action": "save"})
    content = response.content.decode()
    assert "There is a problem" in content
    assert "Shorten the recommendation to 20,000 characters or fewer" in content
    assert text.strip() in content  # the members' words are kept in the box
    assert 'maxlength="' not in content
    assert not Recommendation.objects.exists()


def test_overlong_access_needs_are_explained_and_kept(client, panel, resident):
    client.force_login(resident)
    needs = "a" * 1200
    response = client.post(panel.url + "apply/", _answers(access_needs=needs))
    content = response.content.decode()
    assert "1,000 characters or fewer (you wrote 1200)" in content
    assert needs in content
    assert not Application.objects.exists()


# ---------------------------------------------------------------- officers see labels


def test_officer_views_show_labels_not_codes(client, home_page, officer):
    from django.urls import reverse

    from tests.panels.factories import WardFactory

    ward = WardFactory(name="Fernhill")
    panel = make_panel(home_page, officers=[officer], attributes=["ward", "age_band", "gender"])
    application = ApplicationFactory(
        panel=panel,
        ward=ward,
        age_band="16-24",
        gender="prefer-not",
        ethnicity="",
        service_user="carer",
        availability=["weekday_evening", "weekend"],
    )
    run = LotteryRun.objects.create(
        panel=panel,
        seats=4,
        seed=5,
        algorithm_requested="maximin",
        algorithm_used="maximin",
        status="completed",
        quotas={"age_band": {"16-24": [1, 2]}, "ward": {"outside": [0, 4]}},
    )
    run.entries.create(
        application=application,
        attributes={"ward": "fernhill", "age_band": "16-24", "gender": "prefer-not"},
        probability=0.25,
        selected=True,
    )
    client.force_login(officer)
    inspect = client.get(reverse("panels_application:inspect", args=[application.pk]))
    record = client.get(f"/admin/panels/lottery/run/{run.pk}/")
    listing = client.get(reverse("panels_application:index"))
    for response in (inspect, record, listing):
        assert response.status_code == 200
    inspect, record = inspect.content.decode(), record.content.decode()
    for label in ("16 to 24", "Prefer not to say", "I care for someone who uses it"):
        assert label in inspect
    assert "Weekday evenings, Weekends" in inspect
    assert "Not asked" in inspect  # ethnicity was not asked
    assert "Not confirmed" in inspect and ">None<" not in inspect.replace(" ", "").replace(
        "\n", ""
    )
    for code in ("16-24", "prefer-not", "weekday_evening", "False", "True"):
        assert code not in inspect.split("<main")[-1]
    assert "Age band: 16 to 24" in record and "Gender: Prefer not to say" in record
    assert "Ward: Fernhill" in record
    assert "Outside the borough or not given 0–4" in record
    assert "prefer-not" not in record and "16-24" not in record


def test_superuser_lists_applications(client, panel, user_factory):
    """The listing has no "Add" button to build (applications come from the public form)."""
    from django.urls import reverse

    ApplicationFactory(panel=panel, name="Listed Applicant")
    client.force_login(user_factory(is_staff=True, is_superuser=True))
    response = client.get(reverse("panels_application:index"))
    assert response.status_code == 200
    assert b"Listed Applicant" in response.content
