"""Residents review the delivered service; the review decision starts the next cycle."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from commissioning.brief import programme_brief
from commissioning.exceptions import EngagementNotOpen
from commissioning.models import Participation, ProgrammePage
from delivery import services
from delivery.models import ReviewDecision, ReviewResponse, ReviewScore
from tests.commissioning import factories as spine

from . import factories


@pytest.fixture
def review(home_page, officer):
    programme, decision, _ = factories.delivered_programme(home_page)
    arrangement = factories.arrangement(decision, officer)
    commitment = factories.commitment(decision, officer, arrangement=arrangement)
    indicator = factories.indicator(commitment, officer, measure="Visits a month")
    services.reading_record(
        indicator=indicator,
        measured_on=timezone.localdate() - timedelta(days=5),
        value=150,
        user=officer,
    )
    return factories.review(programme, arrangement_obj=arrangement)


def scores_for(review, *values):
    outcomes = services.review_outcomes(review)
    return {o.pk: (v, f"Because {v}" if v else "") for o, v in zip(outcomes, values, strict=False)}


class TestScoring:
    def test_a_user_scores_each_outcome_and_says_why(self, review, resident):
        response = services.review_response_submit(
            review=review,
            user=resident,
            relationship="uses",
            scores=scores_for(review, 4, 2),
            wants_feedback=True,
        )
        assert sorted(response.scores.values_list("score", flat=True)) == [2, 4]
        participation = Participation.objects.get(engagement=review, user=resident)
        assert participation.wants_feedback is True
        assert response.participation == participation

    def test_one_response_per_person(self, review, resident):
        services.review_response_submit(
            review=review, user=resident, relationship="uses", scores=scores_for(review, 4)
        )
        with pytest.raises(ValidationError) as error:
            services.review_response_submit(
                review=review, user=resident, relationship="carer", scores=scores_for(review, 1)
            )
        assert error.value.code == "already_responded"
        assert ReviewResponse.objects.count() == 1

    def test_users_only_refuses_other_residents(self, review, resident):
        with pytest.raises(ValidationError) as error:
            services.review_response_submit(
                review=review, user=resident, relationship="other", scores=scores_for(review, 3)
            )
        assert "relationship" in error.value.error_dict
        review.users_only = False
        services.review_response_submit(
            review=review, user=resident, relationship="other", scores=scores_for(review, 3)
        )

    def test_scores_must_be_1_to_5_and_at_least_one(self, review, resident):
        with pytest.raises(ValidationError) as error:
            services.review_response_submit(
                review=review, user=resident, relationship="uses", scores=scores_for(review, 6)
            )
        assert any(key.startswith("score_") for key in error.value.error_dict)
        with pytest.raises(ValidationError) as error:
            services.review_response_submit(
                review=review, user=resident, relationship="uses", scores={}
            )
        assert error.value.code == "no_scores"
        assert not ReviewResponse.objects.exists()
        assert not Participation.objects.filter(engagement=review).exists()

    def test_a_closed_review_refuses(self, home_page, review, resident):
        programme = review.get_parent()
        closed = factories.review(programme.specific, window=spine.closed_window())
        with pytest.raises(EngagementNotOpen):
            services.review_response_submit(
                review=closed, user=resident, relationship="uses", scores=scores_for(closed, 3)
            )


class TestBrief:
    def test_the_brief_shows_scores_beside_the_indicators(self, review, resident, user_factory):
        outcomes = services.review_outcomes(review)
        for person, values in [(resident, (5, 1)), (user_factory(), (3, 2)), (None, (4, None))]:
            services.review_response_submit(
                review=review, user=person, relationship="uses", scores=scores_for(review, *values)
            )
        brief = programme_brief(programme=review.get_parent().specific, stage="review")
        [summary] = [s for s in brief.summaries if s.engagement.pk == review.pk]
        figures = {f.label: f.value for f in summary.figures}
        assert figures["Reviews"] == "3"
        table = summary.tables[0]
        rows = {row[0]: row for row in table.rows}
        first, second = outcomes[0].title, outcomes[1].title
        assert rows[first][1:] == [3, 0, 0, 1, 1, 1, 4.0]
        assert rows[second][1:] == [2, 1, 1, 0, 0, 0, 1.5]
        titles = [chart.title for chart in summary.charts]
        assert titles[0].startswith("Average score against each outcome")
        assert "Visits a month (visits)" in titles
        assert "Because 5" in summary.quotes

    def test_the_brief_page_renders_it(self, client, officer, review, resident):
        services.review_response_submit(
            review=review, user=resident, relationship="uses", scores=scores_for(review, 5)
        )
        client.force_login(officer)
        programme = review.get_parent()
        response = client.get(f"/admin/commissioning/briefs/{programme.pk}/?stage=review")
        assert response.status_code == 200
        assert "Average score against each outcome" in response.content.decode()


class TestReviewDecision:
    def test_a_decision_starts_the_next_cycle(self, review, officer):
        programme = review.get_parent().specific
        before = programme.stages.count()
        today = timezone.localdate()
        decision = services.review_decision_record(
            programme=programme,
            review=review,
            outcome=ReviewDecision.CHANGE,
            reason="Scores on isolation were low.",
            decided_on=today,
            next_cycle_starts_on=today + timedelta(days=10),
            user=officer,
        )
        programme = ProgrammePage.objects.get(pk=programme.pk)
        stages = list(programme.stages.order_by("sort_order", "pk"))
        assert len(stages) == before + 3
        added = [(s.stage, s.starts_on, s.ends_on) for s in stages[before:]]
        start = today + timedelta(days=10)
        assert added == [
            ("plan", start, start + timedelta(days=89)),
            ("do", start + timedelta(days=90), start + timedelta(days=179)),
            ("review", start + timedelta(days=180), start + timedelta(days=544)),
        ]
        assert [s["stage"] for s in decision.stages_added] == ["plan", "do", "review"]
        assert programme.live and not programme.has_unpublished_changes
        assert programme.latest_revision.user == officer

    def test_an_editors_draft_is_kept_and_the_stages_still_go_live(self, review, officer):
        programme = review.get_parent().specific
        programme.summary = "Draft wording"
        programme.save_revision()
        before = programme.stages.count()
        today = timezone.localdate()
        services.review_decision_record(
            programme=programme,
            review=review,
            outcome=ReviewDecision.CONTINUE,
            reason="Going well.",
            decided_on=today,
            next_cycle_starts_on=today,
            user=officer,
        )
        live = ProgrammePage.objects.get(pk=programme.pk)
        assert live.stages.count() == before + 1
        assert live.summary != "Draft wording"
        draft = live.get_latest_revision_as_object()
        assert draft.summary == "Draft wording"
        assert len(draft.stages.all()) == before + 1

    def test_once_per_review(self, review, officer):
        programme = review.get_parent().specific
        today = timezone.localdate()
        kwargs = {
            "programme": programme,
            "review": review,
            "outcome": ReviewDecision.CONTINUE,
            "reason": "Fine.",
            "decided_on": today,
            "next_cycle_starts_on": today,
            "user": officer,
        }
        services.review_decision_record(**kwargs)
        with pytest.raises(ValidationError) as error:
            services.review_decision_record(**kwargs)
        assert error.value.error_dict["review"][0].code == "already_decided"
        assert ReviewDecision.objects.count() == 1

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"reason": " "}, "reason"),
            ({"outcome": "abolish"}, "outcome"),
            ({"next_cycle_starts_on_offset": -1}, "next_cycle_starts_on"),
        ],
    )
    def test_refusals_change_nothing(self, review, officer, changes, field):
        programme = review.get_parent().specific
        before = programme.stages.count()
        today = timezone.localdate()
        kwargs = {
            "programme": programme,
            "review": review,
            "outcome": ReviewDecision.RECOMMISSION,
            "reason": "Time for a new look.",
            "decided_on": today,
            "next_cycle_starts_on": today
            + timedelta(days=changes.pop("next_cycle_starts_on_offset", 0)),
            "user": officer,
        }
        kwargs.update(changes)
        with pytest.raises(ValidationError) as error:
            services.review_decision_record(**kwargs)
        assert field in error.value.error_dict
        assert programme.stages.count() == before
        assert not ReviewDecision.objects.exists()

    def test_the_programme_page_shows_the_decision_and_its_stages(self, client, review, officer):
        programme = review.get_parent().specific
        today = timezone.localdate()
        services.review_decision_record(
            programme=programme,
            review=review,
            outcome=ReviewDecision.DECOMMISSION,
            reason="Hardly anyone used it.",
            decided_on=today,
            next_cycle_starts_on=today,
            user=officer,
        )
        html = client.get(programme.url).content.decode()
        assert "Decommission it" in html
        assert "Hardly anyone used it." in html


def test_scores_are_kept_in_the_database(review, resident):
    services.review_response_submit(
        review=review, user=resident, relationship="carer", scores=scores_for(review, 2, 5)
    )
    assert ReviewScore.objects.filter(review=review).count() == 2
