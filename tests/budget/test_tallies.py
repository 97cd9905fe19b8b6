"""Budget results from tallies by value: the same figures as row by row, stored once closed."""

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from budget import selectors, tallies
from budget.models import Allocation, BudgetResponse, ProposalAnswer
from commissioning.models import StoredResult
from tests.budget import reference_results as reference
from tests.budget.factories import conversation_factory


def closed_window():
    now = timezone.now()
    return {"opens_at": now - timedelta(days=30), "closes_at": now - timedelta(days=1)}


def respond(conversation, rows):
    """One paper response per (libraries amount, council tax amount, stance, stance)."""
    libraries, council_tax = conversation.lines.all()
    first, second = conversation.proposals.all()
    for amount, tax, stance, other in rows:
        response = BudgetResponse.objects.create(conversation=conversation, channel="paper")
        Allocation.objects.create(response=response, line=libraries, amount=amount)
        Allocation.objects.create(response=response, line=council_tax, amount=tax)
        ProposalAnswer.objects.create(response=response, proposal=first, stance=stance)
        if other:
            ProposalAnswer.objects.create(response=response, proposal=second, stance=other)


def random_rows(seed, count):
    rng = random.Random(seed)
    stances = ["support", "oppose", "unsure"]
    return [
        (
            rng.randrange(400_000, 1_200_001, 50_000),
            rng.choice([0, 0, 10_000, 250_000, 4_990_000]),
            rng.choice(stances),
            rng.choice([*stances, None]),
        )
        for _ in range(count)
    ]


def reference_figures(conversation):
    proposals = list(conversation.proposals.all())
    lines = list(conversation.lines.all())
    return (
        reference.participant_count(conversation=conversation),
        reference.proposal_results(conversation=conversation, proposals=proposals),
        reference.line_results(conversation=conversation, lines=lines),
    )


def assert_same(results, expected):
    participants, proposal_rows, line_rows = expected
    assert results["participants"] == participants
    assert results["proposal_rows"] == proposal_rows
    assert len(results["line_rows"]) == len(line_rows)
    for new, old in zip(results["line_rows"], line_rows, strict=True):
        new, old = dict(new), dict(old)
        # PostgreSQL's AVG of integers is a Decimal, SQLite's a float: the same number.
        new_mean, old_mean = new.pop("mean"), old.pop("mean")
        assert new == old
        assert (new_mean is None and old_mean is None) or new_mean == pytest.approx(
            float(old_mean), rel=1e-12
        )


@pytest.mark.django_db
class TestSameFiguresAsRowByRow:
    @pytest.mark.parametrize("seed,count", [(1, 1), (2, 2), (3, 7), (4, 40), (5, 113)])
    def test_random_responses(self, home_page, seed, count):
        conversation = conversation_factory(home_page)
        respond(conversation, random_rows(seed, count))
        assert_same(
            selectors.conversation_results(conversation=conversation),
            reference_figures(conversation),
        )

    def test_no_responses(self, home_page):
        conversation = conversation_factory(home_page)
        assert_same(
            selectors.conversation_results(conversation=conversation),
            reference_figures(conversation),
        )

    def test_closed_and_stored(self, home_page):
        conversation = conversation_factory(home_page, **closed_window())
        respond(conversation, random_rows(6, 60))
        expected = reference_figures(conversation)
        assert_same(selectors.conversation_results(conversation=conversation), expected)
        assert StoredResult.objects.filter(engagement=conversation.page_ptr).count() == 1
        # Read back from the stored row: still the same figures.
        assert_same(selectors.conversation_results(conversation=conversation), expected)


@pytest.mark.django_db
def test_figures_worked_by_hand(home_page):
    conversation = conversation_factory(home_page)
    amounts = [400_000, 500_000, 500_000, 650_000, 1_000_000, 1_200_000, 700_000]
    respond(conversation, [(a, 0, "support", None) for a in amounts[:3]])
    respond(conversation, [(a, 0, "oppose", "unsure") for a in amounts[3:]])
    results = selectors.conversation_results(conversation=conversation)
    libraries = results["line_rows"][0]
    # In order: 400, 500, 500, 650, 700, 1,000, 1,200 (thousands). Q1 at position
    # 1 + 6/4 = 2.5: between 500 and 500; the median at 4: 650; Q3 at 5.5:
    # halfway between 700 and 1,000.
    assert (libraries["q1"], libraries["median"], libraries["q3"]) == (500_000, 650_000, 850_000)
    assert libraries["mean"] == pytest.approx(4_950_000 / 7)
    assert (libraries["low"], libraries["high"], libraries["n"]) == (400_000, 1_200_000, 7)
    # Against the council's proposal of £800,000.
    assert (libraries["below"], libraries["same"], libraries["above"]) == (5, 0, 2)
    # Bins of three £50,000 steps: 400–500, 550–650, 700–800, 850–950, 1,000–1,100, 1,150–1,200.
    assert [n for _, n in libraries["histogram"]] == [3, 1, 1, 0, 1, 1]
    first, second = results["proposal_rows"]
    assert first["counts"] == {"support": 3, "oppose": 4, "unsure": 0}
    assert first["shares"] == {"support": 43, "oppose": 57, "unsure": 0}
    assert second["counts"] == {"support": 0, "oppose": 0, "unsure": 4} and second["total"] == 4
    assert results["participants"] == 7 and results["channels"] == {"paper": 7}


def test_quantile_of_counts_by_value():
    counts = [(10, 1), (20, 2), (40, 1)]  # 10, 20, 20, 40
    assert [tallies.quantile(counts, 4, k) for k in (1, 2, 3)] == [17.5, 20, 25]
    assert tallies.quantile([(5, 1)], 1, 2) == 5


@pytest.mark.django_db
class TestStoredOnceClosed:
    def test_a_closed_conversation_is_counted_once(self, home_page, django_assert_num_queries):
        conversation = conversation_factory(home_page, **closed_window())
        respond(conversation, random_rows(7, 10))
        selectors.conversation_results(conversation=conversation)
        # Proposals, lines, the responses' fingerprint and the stored row.
        with django_assert_num_queries(4):
            again = selectors.conversation_results(conversation=conversation)
        assert again["participants"] == 10

    def test_a_late_paper_response_is_counted(self, home_page):
        conversation = conversation_factory(home_page, **closed_window())
        respond(conversation, [(500_000, 0, "support", None)] * 3)
        assert selectors.conversation_results(conversation=conversation)["line_rows"][0]["n"] == 3
        respond(conversation, [(1_200_000, 0, "oppose", None)])
        results = selectors.conversation_results(conversation=conversation)
        assert results["line_rows"][0]["n"] == 4 and results["line_rows"][0]["high"] == 1_200_000
        assert results["proposal_rows"][0]["counts"]["oppose"] == 1
        assert StoredResult.objects.get().payload == tallies.count_tallies(
            conversation=conversation
        )

    def test_a_removed_response_is_no_longer_counted(self, home_page):
        conversation = conversation_factory(home_page, **closed_window())
        respond(conversation, [(500_000, 0, "support", None), (600_000, 0, "oppose", None)])
        selectors.conversation_results(conversation=conversation)
        BudgetResponse.objects.order_by("pk").first().delete()
        results = selectors.conversation_results(conversation=conversation)
        assert results["participants"] == 1
        assert results["proposal_rows"][0]["counts"] == {"support": 0, "oppose": 1, "unsure": 0}

    def test_an_open_conversation_is_never_stored(self, home_page):
        conversation = conversation_factory(home_page)
        respond(conversation, random_rows(8, 5))
        selectors.conversation_results(conversation=conversation)
        assert not StoredResult.objects.exists()

    def test_queries_do_not_grow_with_responses(self, home_page, django_assert_num_queries):
        conversation = conversation_factory(home_page)
        respond(conversation, random_rows(9, 3))
        # Proposals, lines, the fingerprint, stances, amounts and channels.
        with django_assert_num_queries(6):
            selectors.conversation_results(conversation=conversation)
        respond(conversation, random_rows(10, 50))
        with django_assert_num_queries(6):
            selectors.conversation_results(conversation=conversation)
