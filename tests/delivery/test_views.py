"""The public progress pages, open data and the review form."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from delivery import services
from delivery.models import ReviewResponse
from tests.commissioning.factories import WardFactory

from . import factories

PROGRESS = "/what-we-said-we-would-do/"


@pytest.fixture
def delivered(home_page, officer):
    ward = WardFactory(name="Fernhill")
    programme, decision, engagement = factories.delivered_programme(home_page, wards=[ward])
    return programme, decision, engagement, ward


def grow(decision, officer, n):
    """n commitments, each with a timeline, an indicator and readings."""
    from datetime import timedelta

    from django.utils import timezone

    arrangement = factories.arrangement(decision, officer, service=f"Service {n}")
    outcome = decision.get_parent().specific.outcomes.first()
    for i in range(n):
        commitment = factories.commitment(
            decision, officer, arrangement=arrangement, m2m={"outcomes": [outcome]}
        )
        services.commitment_change(commitment=commitment, user=officer, status="in_progress")
        indicator = factories.indicator(commitment, officer)
        for days in (10, 20):
            services.reading_record(
                indicator=indicator,
                measured_on=timezone.localdate() - timedelta(days=days + i),
                value=days,
                user=officer,
            )


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


class TestProgressPage:
    def test_shows_commitments_with_status_timeline_and_indicators(
        self, client, delivered, officer
    ):
        _, decision, engagement, _ = delivered
        commitment = factories.commitment(decision, officer, title="Open every library")
        services.commitment_change(
            commitment=commitment, user=officer, status="changed", status_reason="Opening in May."
        )
        factories.indicator(commitment, officer, measure="Library visits a month")
        html = client.get(PROGRESS).content.decode()
        assert "Open every library" in html
        assert "Changed" in html and "Opening in May." in html
        assert "Timeline (2 updates)" in html
        assert "Indicator: Library visits a month" in html
        assert engagement.title in html and decision.title in html

    def test_constant_queries_as_commitments_grow(self, client, delivered, officer):
        _, decision, _, _ = delivered
        grow(decision, officer, 2)
        client.get(PROGRESS)  # warm the site root cache
        small = count_queries(client, PROGRESS)
        grow(decision, officer, 6)
        assert count_queries(client, PROGRESS) == small
        filtered = count_queries(client, PROGRESS + "?status=in_progress&ward=fernhill")
        grow(decision, officer, 3)
        assert count_queries(client, PROGRESS + "?status=in_progress&ward=fernhill") == filtered

    def test_programme_page_constant_queries(self, client, delivered, officer):
        programme, decision, _, _ = delivered
        grow(decision, officer, 2)
        client.get(programme.url)
        small = count_queries(client, programme.url)
        grow(decision, officer, 5)
        assert count_queries(client, programme.url) == small

    def test_filters_by_ward_outcome_and_status(self, client, home_page, delivered, officer):
        programme, decision, _, ward = delivered
        other_ward = WardFactory(name="Brookside")
        outcome = programme.outcomes.first()
        factories.commitment(decision, officer, title="In Fernhill", m2m={"outcomes": [outcome]})
        factories.commitment(
            decision, officer, title="Only Brookside", m2m={"wards": [other_ward]}
        )
        dropped = factories.commitment(decision, officer, title="Given up")
        services.commitment_change(
            commitment=dropped, user=officer, status="dropped", status_reason="No money."
        )
        html = client.get(PROGRESS + "?ward=fernhill").content.decode()
        assert "In Fernhill" in html and "Only Brookside" not in html
        html = client.get(PROGRESS + "?ward=brookside").content.decode()
        assert "Only Brookside" in html and "In Fernhill" not in html
        html = client.get(PROGRESS + f"?outcome={outcome.pk}").content.decode()
        assert "In Fernhill" in html and "Given up" not in html
        html = client.get(PROGRESS + "?status=dropped").content.decode()
        assert "Given up" in html and "In Fernhill" not in html

    def test_bad_filters_show_a_message_not_an_error(self, client, delivered):
        response = client.get(PROGRESS + "?ward=nowhere&status=lost&outcome=x")
        assert response.status_code == 200
        assert "There is a problem" in response.content.decode()

    def test_unpublished_programmes_are_left_out(self, client, delivered, officer):
        programme, decision, _, _ = delivered
        factories.commitment(decision, officer, title="Secret plan")
        programme.unpublish()
        assert "Secret plan" not in client.get(PROGRESS).content.decode()


class TestOpenData:
    def test_csv(self, client, delivered, officer):
        _, decision, _, _ = delivered
        factories.commitment(decision, officer, title="=Open every library")
        response = client.get(PROGRESS + "commitments.csv?status=planned")
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0][:3] == ["id", "programme", "commitment"]
        assert rows[1][2] == "'=Open every library"  # no formula injection
        assert rows[1][5] == "Planned"

    def test_json_with_timeline_and_readings(self, client, delivered, officer):
        _, decision, _, _ = delivered
        grow(decision, officer, 1)
        data = json.loads(client.get(PROGRESS + "commitments.json").content)
        [commitment] = data["commitments"]
        assert commitment["status"] == "in_progress"
        assert [u["status"] for u in commitment["timeline"]] == ["Planned", "In progress"]
        assert len(commitment["indicators"][0]["readings"]) == 2
        assert commitment["engagement"]["url"].startswith("http://testserver/")

    def test_unknown_format(self, client, delivered):
        assert client.get(PROGRESS + "commitments.xml").status_code == 404


class TestReviewPage:
    def test_a_resident_reviews_the_service(self, client, delivered, officer, resident):
        programme, decision, _, _ = delivered
        review = factories.review(
            programme, arrangement_obj=factories.arrangement(decision, officer)
        )
        outcome = programme.outcomes.first()
        client.force_login(resident)
        response = client.post(
            review.url,
            {
                "relationship": "uses",
                f"score_{outcome.pk}": "4",
                f"reason_{outcome.pk}": "Much better than before.",
                "comment": "",
                "wants_feedback": "on",
            },
        )
        assert response.status_code == 302
        response = ReviewResponse.objects.get(user=resident)
        assert response.scores.get().reason == "Much better than before."
        html = client.get(review.url).content.decode()
        assert "You reviewed this service" in html

    def test_bad_input_keeps_what_was_typed(self, client, delivered, resident):
        programme, _, _, _ = delivered
        review = factories.review(programme)
        outcome = programme.outcomes.first()
        client.force_login(resident)
        response = client.post(
            review.url,
            {"relationship": "other", f"reason_{outcome.pk}": "I never use it but"},
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "There is a problem" in html
        assert "I never use it but" in html
        assert "for people who use the service" in html
        assert not ReviewResponse.objects.exists()

    def test_anonymous_reviews_leave_an_email_to_hear_back(self, client, delivered):
        programme, _, _, _ = delivered
        review = factories.review(programme)
        outcome = programme.outcomes.first()
        response = client.post(
            review.url,
            {"relationship": "carer", f"score_{outcome.pk}": "2", "wants_feedback": "on"},
        )
        assert response.status_code == 200
        assert "Enter your email address" in response.content.decode()
        response = client.post(
            review.url,
            {
                "relationship": "carer",
                f"score_{outcome.pk}": "2",
                "wants_feedback": "on",
                "feedback_email": "carer@example.org",
            },
        )
        assert response.status_code == 302
        assert ReviewResponse.objects.get().participation.email == "carer@example.org"
