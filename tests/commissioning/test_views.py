from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.accounts.factories import PASSWORD
from tests.commissioning import factories
from tests.commissioning.factories import OutcomeFactory, ParticipationFactory, WardFactory
from tests.pages import built_once, site_home

TAKE_PART = "/take-part/"


def queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


def assert_constant_queries(client, url, grow, django_assert_num_queries):
    """Same number of queries before and after `grow()` adds data."""
    client.get(url)  # warm per-process caches (content types, site root paths)
    small = queries(client, url)
    grow()
    with django_assert_num_queries(small):
        response = client.get(url)
    return response


@built_once
def tree():
    """The site, its programmes index and one programme in its plan stage, made once."""
    home = site_home()
    index = factories.programme_index(home)
    today = timezone.localdate()
    programme = factories.programme(
        index,
        title="Day opportunities",
        slug="day-opportunities",
        summary="How adults spend their days.",
        budget_envelope=6_800_000,
        lead_officer_name="Priya Raman",
        lead_officer_email="priya@example.org",
        stages=[
            ("analyse", today - timedelta(days=100), today - timedelta(days=10)),
            ("plan", today - timedelta(days=9), today + timedelta(days=60)),
            ("do", today + timedelta(days=61), None),
        ],
        wards=[WardFactory(name="Brookside")],
        outcomes=[OutcomeFactory(title="Fewer people socially isolated")],
    )
    return {"home": home, "index": index, "programme": programme}


@pytest.fixture
def home_page(tree):
    return tree["home"]


@pytest.fixture
def index(tree):
    return tree["index"]


@pytest.fixture
def programme(tree):
    return tree["programme"]


@pytest.mark.django_db
class TestProgrammePage:
    def test_shows_the_cycle_the_stages_and_engagements_by_stage(self, client, programme):
        factories.engagement(
            programme, title="Good days survey", stage="analyse", window=factories.closed_window()
        )
        factories.engagement(programme, title="Budget conversation", stage="plan")
        factories.engagement(
            programme, title="Specification", stage="do", window=factories.upcoming_window()
        )
        factories.decision(programme, title="What we heard", stage="analyse")
        html = client.get(programme.url).content.decode()
        assert "<svg" in html and "We are here" in html
        assert "<strong>Plan and appraise options</strong> (we are here)" in html
        assert "£6,800,000 a year" in html
        assert "Brookside" in html and "Fewer people socially isolated" in html
        assert "Priya Raman" in html
        for text in ("Good days survey", "Budget conversation", "Specification", "What we heard"):
            assert text in html
        assert (
            html.index("Good days survey")
            < html.index("What we heard")
            < html.index("Budget conversation")
            < html.index("Specification")
        )
        assert ">Closed<" in html and ">Open<" in html and ">Opens soon<" in html

    def test_drafts_are_not_listed(self, client, programme):
        draft = factories.engagement(programme, title="Secret draft", stage="plan")
        draft.unpublish()
        assert "Secret draft" not in client.get(programme.url).content.decode()

    def test_constant_queries_for_2_and_40_engagements(
        self, client, programme, django_assert_num_queries
    ):
        for stage in ("analyse", "plan"):
            factories.engagement(programme, stage=stage)
        factories.decision(programme, stage="analyse")

        def grow():
            for i in range(38):
                factories.engagement(
                    programme,
                    stage=["analyse", "plan", "do", "review"][i % 4],
                    window=[factories.open_window(), factories.closed_window()][i % 2],
                )
            factories.decision(programme, stage="plan", slug="another")

        response = assert_constant_queries(client, programme.url, grow, django_assert_num_queries)
        assert response.content.decode().count("coproduce-engagement__title") == 40


@pytest.mark.django_db
class TestProgrammeIndex:
    def test_lists_programmes_with_their_current_stage(self, client, index, programme):
        factories.programme(index, title="Not started yet")
        html = client.get(index.url).content.decode()
        assert "Day opportunities" in html
        assert "Plan and appraise options (stage 2 of 4)" in html
        assert "Not started" in html


@pytest.mark.django_db
class TestTakePart:
    def test_url_name(self):
        assert reverse("commissioning:take_part") == TAKE_PART

    def test_lists_open_engagements_soonest_closing_first(self, client, programme):
        factories.engagement(programme, title="Later", window=factories.open_window(20))
        factories.engagement(programme, title="Sooner", window=factories.open_window(2))
        factories.engagement(programme, title="Finished", window=factories.closed_window())
        factories.engagement(programme, title="Not yet", window=factories.upcoming_window())
        html = client.get(TAKE_PART).content.decode()
        assert html.index("Sooner") < html.index("Later")
        assert "Finished" not in html and "Not yet" not in html
        assert "Day opportunities" in html  # the programme it belongs to
        assert "2 engagements are open" in html

    def test_filters_by_stage_and_ward(self, client, index, programme):
        borough_wide = factories.programme(index, title="Libraries")
        other_ward = factories.programme(index, wards=[WardFactory(name="Fernhill")])
        factories.engagement(programme, title="Brookside plan", stage="plan")
        factories.engagement(programme, title="Brookside analyse", stage="analyse")
        factories.engagement(borough_wide, title="Borough-wide plan", stage="plan")
        factories.engagement(other_ward, title="Fernhill plan", stage="plan")

        html = client.get(TAKE_PART, {"ward": "brookside"}).content.decode()
        assert "Brookside plan" in html and "Brookside analyse" in html
        assert "Borough-wide plan" in html
        assert "Fernhill plan" not in html

        html = client.get(TAKE_PART, {"ward": "brookside", "stage": "plan"}).content.decode()
        assert "Brookside plan" in html and "Borough-wide plan" in html
        assert "Brookside analyse" not in html and "Fernhill plan" not in html
        assert 'value="plan" selected' in html
        assert "Clear filters" in html

    def test_bad_filters_give_a_message_not_an_error(self, client, programme):
        factories.engagement(programme, title="Still listed")
        response = client.get(TAKE_PART, {"ward": "atlantis", "stage": "<script>", "page": "x"})
        assert response.status_code == 200
        html = response.content.decode()
        assert "There is a problem" in html
        assert "Select a valid choice" in html
        assert "Still listed" in html
        assert "<script>" not in html.split("</header>")[1].split("<footer")[0]

    def test_paginated(self, client, programme):
        for i in range(12):
            factories.engagement(
                programme, title=f"Item {i:02d}", window=factories.open_window(i + 1)
            )
        first = client.get(TAKE_PART).content.decode()
        second = client.get(TAKE_PART, {"page": 2}).content.decode()
        assert "Item 00" in first and "Item 10" not in first
        assert "Item 10" in second and "Item 00" not in second
        assert 'aria-label="Pagination"' in first
        out_of_range = client.get(TAKE_PART, {"page": 99})
        assert out_of_range.status_code == 200

    def test_constant_queries_for_2_and_40_engagements(
        self, client, index, programme, django_assert_num_queries
    ):
        other = factories.programme(index)
        factories.engagement(programme)
        factories.engagement(other)

        def grow():
            for i in range(38):
                factories.engagement([programme, other][i % 2], stage="plan")

        assert_constant_queries(client, TAKE_PART, grow, django_assert_num_queries)
        assert_constant_queries(
            client,
            TAKE_PART + "?ward=brookside&stage=plan&page=2",
            lambda: None,
            django_assert_num_queries,
        )


@pytest.mark.django_db
class TestHomePage:
    def test_shows_the_soonest_closing_open_engagements(self, client, home_page, programme):
        for days in (9, 3, 5, 7):
            factories.engagement(
                programme, title=f"Closes in {days}", window=factories.open_window(days)
            )
        html = client.get("/").content.decode()
        assert html.index("Closes in 3") < html.index("Closes in 5") < html.index("Closes in 7")
        assert "Closes in 9" not in html
        assert 'href="/take-part/"' in html

    def test_says_when_nothing_is_open(self, client, home_page):
        assert "Nothing is open for comment right now" in client.get("/").content.decode()

    def test_constant_queries(self, client, home_page, programme, django_assert_num_queries):
        factories.engagement(programme)
        assert_constant_queries(
            client,
            "/",
            lambda: [factories.engagement(programme) for _ in range(10)],
            django_assert_num_queries,
        )


@pytest.mark.django_db
class TestDecisionPage:
    def test_shows_the_decision_and_you_said_we_did(self, client, programme):
        survey = factories.engagement(programme, title="Good days survey", stage="analyse")
        decision = factories.decision(
            programme,
            title="What we heard",
            record_url="https://democracy.example/decision/1",
            items=[
                {
                    "theme": "More time in the community",
                    "people_said": "Less time in one room.",
                    "engagement": survey,
                    "decided": "Half of each week out.",
                    "reason": "The strongest theme.",
                    "sort_order": 0,
                }
            ],
        )
        html = client.get(decision.url).content.decode()
        for text in (
            "More time in the community",
            "Less time in one room.",
            "Half of each week out.",
            "The strongest theme.",
            "https://democracy.example/decision/1",
            survey.url,
        ):
            assert text in html


@pytest.mark.django_db
class TestMyParticipation:
    URL = "/my/participation/"

    def test_url_name(self):
        assert reverse("commissioning:my_participation") == self.URL

    def test_sign_in_required(self, client):
        response = client.get(self.URL)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]

    def test_lists_what_i_took_part_in_with_the_decisions_that_answered_it(
        self, client, index, programme, resident, user_factory
    ):
        survey = factories.engagement(
            programme, title="Good days survey", stage="analyse", window=factories.closed_window()
        )
        conversation = factories.engagement(programme, title="Budget conversation", stage="plan")
        not_mine = factories.engagement(programme, title="Someone else's", stage="plan")
        ParticipationFactory(engagement=survey, user=resident, wants_feedback=True)
        ParticipationFactory(engagement=conversation, user=resident)
        ParticipationFactory(engagement=not_mine, user=user_factory())
        factories.decision(programme, title="Analyse decision", stage="analyse")
        other = factories.programme(index)
        factories.decision(other, title="Another programme's decision", stage="analyse")

        client.login(email=resident.email, password=PASSWORD)
        html = client.get(self.URL).content.decode()
        assert "Good days survey" in html and "Budget conversation" in html
        assert "Someone else" not in html
        assert "Analyse decision" in html
        assert "Another programme" not in html
        assert "asked to hear what happens" in html
        assert "No decision has been published for this stage yet." in html
        assert html.index("Budget conversation") < html.index("Good days survey")

    def test_constant_queries(self, client, index, programme, resident, django_assert_num_queries):
        engagement = factories.engagement(programme, stage="analyse")
        ParticipationFactory(engagement=engagement, user=resident)
        factories.decision(programme, stage="analyse")
        client.login(email=resident.email, password=PASSWORD)

        def grow():
            for i in range(20):
                target = factories.programme(index) if i % 5 == 0 else programme
                e = factories.engagement(target, stage=["analyse", "plan"][i % 2])
                ParticipationFactory(engagement=e, user=resident)
                if i % 5 == 0:
                    factories.decision(target, stage="analyse")

        assert_constant_queries(client, self.URL, grow, django_assert_num_queries)


@pytest.mark.django_db
def test_programme_index_constant_queries(client, index, programme, django_assert_num_queries):
    def grow():
        today = timezone.localdate()
        for _ in range(10):
            factories.programme(index, stages=[("analyse", today, None), ("plan", today, None)])

    assert_constant_queries(client, index.url, grow, django_assert_num_queries)


@pytest.mark.django_db
def test_decision_page_constant_queries(client, programme, django_assert_num_queries):
    engagement = factories.engagement(programme)

    def item(n):
        return {
            "theme": f"Theme {n}",
            "people_said": "Said",
            "engagement": engagement,
            "decided": "Decided",
            "reason": "Why",
            "sort_order": n,
        }

    small = factories.decision(programme, slug="small", items=[item(0)])
    large = factories.decision(programme, slug="large", items=[item(n) for n in range(15)])
    client.get(small.url)
    expected = queries(client, small.url)
    with django_assert_num_queries(expected):
        response = client.get(large.url)
    assert response.content.decode().count("coproduce-you-said") == 15
