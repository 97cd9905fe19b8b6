"""Quota feasibility and proposals; appraisal aggregates against hand-computed cases."""

from decimal import Decimal

import pytest

from panels import selectors
from panels.models import Score
from tests.commissioning.factories import WardFactory
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


def test_feasibility_explains_too_few_applicants_for_a_minimum(panel):
    make_pool(panel, [(5, {"gender": "woman"}), (1, {"gender": "man"})])
    set_quotas(panel, {"gender": {"woman": (2, 3), "man": (2, 3)}})
    problems = selectors.feasibility(panel=panel, solver=False)["problems"]
    messages = [p.message for p in problems]
    assert any(
        m
        == "Gender “Man”: at least 2 of the 4 seats must go to people with this answer, but only 1 applicant gave it."
        for m in messages
    ), messages


def test_feasibility_explains_sums_and_pool_size(panel):
    make_pool(panel, [(2, {"gender": "woman"}), (1, {"gender": "man"})])
    set_quotas(panel, {"age_band": {"25-34": (5, 5), "prefer-not": (0, 0)}})
    messages = [p.message for p in selectors.feasibility(panel=panel, solver=False)["problems"]]
    assert "Only 3 people can be drawn from, for 4 seats." in messages
    assert "Age band: the minimums add up to 5, more than the 4 seats." in messages


def test_feasibility_explains_maximums_below_seats(panel):
    make_pool(panel, [(6, {"gender": "woman"}), (6, {"gender": "man"})])
    set_quotas(panel, {"gender": {"woman": (0, 1), "man": (0, 1)}})
    messages = [p.message for p in selectors.feasibility(panel=panel, solver=False)["problems"]]
    assert messages == ["Gender: the maximums add up to 2, fewer than the 4 seats."]


def test_feasible_quotas_have_no_problems(panel):
    make_pool(panel, [(6, {"gender": "woman"}), (6, {"gender": "man"})])
    set_quotas(panel, {"gender": {"woman": (2, 2), "man": (2, 2)}})
    assert selectors.feasibility(panel=panel)["problems"] == []


def test_quota_proposals_from_ward_population_shares(home_page, officer):
    WardFactory(
        name="North",
        slug="north",
        population=30000,
        demographics={"gender": {"woman": 0.6, "man": 0.4}},
    )
    WardFactory(
        name="South",
        slug="south",
        population=10000,
        demographics={"gender": {"woman": 0.4, "man": 0.6}},
    )
    panel = make_panel(home_page, seats=10, attributes=("ward", "gender"))
    proposals = selectors.quota_proposals(panel=panel)
    # North is 75% of the population: 7.5 seats, rounded to 8 -> 7 to 9.
    assert proposals["ward"] == {"north": (7, 9), "south": (2, 4)}
    # Women: 0.75*0.6 + 0.25*0.4 = 0.55 -> 5.5 seats, rounded to 6 -> 5 to 7.
    assert proposals["gender"]["woman"] == (5, 7)
    assert proposals["gender"]["man"] == (4, 6)
    assert proposals["gender"]["prefer-not"] == (0, 10)
    assert sum(low for low, _ in proposals["ward"].values()) <= 10


@pytest.fixture
def scored(home_page, user_factory):
    """Two options, two criteria (weights 2 and 1), two members: hand-computable."""
    panel = make_panel(home_page)
    a = OptionFactory(panel=panel, title="In-house", sort_order=1)
    b = OptionFactory(panel=panel, title="Mutual", sort_order=2)
    outcomes = CriterionFactory(panel=panel, title="Outcomes", weight=Decimal("2"))
    cost = CriterionFactory(panel=panel, title="Cost", weight=Decimal("1"))
    m1, m2 = user_factory(), user_factory()
    for member, option, criterion, value in [
        (m1, a, outcomes, 4), (m2, a, outcomes, 2), (m1, a, cost, 5), (m2, a, cost, 5),
        (m1, b, outcomes, 3), (m2, b, outcomes, 3), (m1, b, cost, 1), (m2, b, cost, 3),
    ]:  # fmt: skip
        Score.objects.create(member=member, option=option, criterion=criterion, value=value)
    return panel, a, b, outcomes, cost


def test_appraisal_aggregates_match_hand_computation(scored):
    panel, a, b, *_ = scored
    results = {r.option.pk: r for r in selectors.appraisal_results(panel=panel)["results"]}
    # In-house: outcomes mean 3 (sd 1), cost mean 5 (sd 0) -> (2*3 + 1*5)/3 = 11/3.
    assert results[a.pk].weighted_mean == pytest.approx(11 / 3)
    assert results[a.pk].spread == pytest.approx((2 * 1 + 1 * 0) / 3)
    assert results[a.pk].agreement == pytest.approx(1 - (2 / 3) / 2.5)
    # Mutual: outcomes 3 (sd 0), cost 2 (sd 1) -> (6 + 2)/3 = 8/3.
    assert results[b.pk].weighted_mean == pytest.approx(8 / 3)
    assert results[b.pk].spread == pytest.approx(1 / 3)
    assert (results[a.pk].rank, results[b.pk].rank) == (1, 2)
    assert results[a.pk].scorers == 2


def test_sensitivity_flags_a_weight_that_changes_the_ranking(scored, user_factory):
    panel, a, b, outcomes, cost = scored
    sensitivity = selectors.appraisal_results(panel=panel)["sensitivity"]
    # In-house leads by 1 point; moving one weight by 50% never overturns it.
    assert sensitivity["robust"] is True
    # Make it close: Mutual scores 5 on outcomes, In-house 3 -> base means
    # In-house (6+5)/3 = 3.67, Mutual (10+2)/3 = 4; halving Outcomes: In-house
    # (3+5)/2 = 4, Mutual (5+2)/2 = 3.5 -> the order flips.
    Score.objects.filter(option=b, criterion=outcomes).update(value=5)
    sensitivity = selectors.appraisal_results(panel=panel)["sensitivity"]
    assert sensitivity["robust"] is False
    row = next(r for r in sensitivity["rows"] if r["criterion"].pk == outcomes.pk)
    less, more = row["changes"]
    assert less["changed"] is True and less["top"] == ["In-house"]
    assert more["changed"] is False


def test_ties_share_a_rank():
    assert selectors.ranks(means={1: 3.0, 2: 3.0, 3: 2.0, 4: None}) == {1: 1, 2: 1, 3: 3}
