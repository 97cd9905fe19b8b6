import statistics

import pytest

from budget import selectors
from budget.models import Allocation, BudgetConversationPage, BudgetResponse, ProposalAnswer
from commissioning.summaries import engagement_summary
from tests.budget.factories import conversation_factory
from tests.pages import built_once, site_home


@built_once
def tree():
    """The site and one open conversation, made once for the module."""
    home = site_home()
    return {"home": home, "conversation": conversation_factory(home)}


@pytest.fixture
def home_page(tree):
    return tree["home"]


@pytest.fixture
def conversation(tree):
    return tree["conversation"]


def add_responses(conversation, user_factory, amounts, stances):
    libraries, council_tax = conversation.lines.all()
    proposal = conversation.proposals.first()
    for amount, stance in zip(amounts, stances, strict=True):
        response = BudgetResponse.objects.create(conversation=conversation, user=user_factory())
        Allocation.objects.create(response=response, line=libraries, amount=amount)
        Allocation.objects.create(response=response, line=council_tax, amount=0)
        ProposalAnswer.objects.create(response=response, proposal=proposal, stance=stance)


@pytest.mark.parametrize(
    "amounts",
    [
        [500_000],
        [500_000, 800_000],
        [400_000, 450_000, 900_000],
        [400_000, 500_000, 500_000, 650_000, 1_000_000, 1_200_000, 700_000],
        [600_000, 400_000, 1_200_000, 850_000, 850_000, 900_000, 450_000, 1_100_000],
    ],
)
def test_quartiles_match_linear_interpolation(conversation, user_factory, amounts):
    add_responses(conversation, user_factory, amounts, ["support"] * len(amounts))
    row = selectors.conversation_results(conversation=conversation)["line_rows"][0]
    if len(amounts) == 1:
        expected = (amounts[0],) * 3
    else:
        expected = statistics.quantiles(amounts, n=4, method="inclusive")
    assert (row["q1"], row["median"], row["q3"]) == pytest.approx(tuple(expected))
    assert row["n"] == len(amounts)
    assert row["below"] == sum(a < 800_000 for a in amounts)
    assert row["same"] == sum(a == 800_000 for a in amounts)
    assert row["above"] == sum(a > 800_000 for a in amounts)
    assert sum(count for _, count in row["histogram"]) == len(amounts)


def test_histogram_bins_cover_the_range(conversation, user_factory):
    add_responses(conversation, user_factory, [400_000, 1_200_000], ["support", "oppose"])
    histogram = selectors.conversation_results(conversation=conversation)["line_rows"][0][
        "histogram"
    ]
    assert histogram[0] == ("£400,000–£500,000", 1)  # 3 steps of £50,000 a bin
    assert histogram[-1][1] == 1
    assert histogram[-1][0].endswith("£1,200,000")


def test_lines_without_responses(conversation):
    row = selectors.conversation_results(conversation=conversation)["line_rows"][0]
    assert row["n"] == 0
    assert row["median"] is None


def test_proposal_counts_and_shares(conversation, user_factory):
    add_responses(
        conversation,
        user_factory,
        [500_000] * 4,
        ["support", "support", "oppose", "unsure"],
    )
    first, second = selectors.conversation_results(conversation=conversation)["proposal_rows"]
    assert first["counts"] == {"support": 2, "oppose": 1, "unsure": 1}
    assert first["shares"] == {"support": 50, "oppose": 25, "unsure": 25}
    assert second["total"] == 0


def test_results_ignore_other_conversations(home_page, conversation, user_factory):
    other = conversation_factory(home_page, title="Other")
    add_responses(other, user_factory, [400_000], ["oppose"])
    results = selectors.conversation_results(conversation=conversation)
    assert results["participants"] == 0
    assert results["proposal_rows"][0]["total"] == 0


def test_summary_provider_is_registered(conversation, user_factory):
    add_responses(conversation, user_factory, [500_000, 600_000], ["support", "oppose"])
    summary = engagement_summary(BudgetConversationPage.objects.get(pk=conversation.pk).page_ptr)
    assert summary is not None
    figures = {f.label: f.value for f in summary.figures}
    assert figures["Participants"] == "2"
    assert summary.charts and "<svg" in summary.charts[0].svg


def test_respondent_id_is_stable_pseudonymous_and_per_conversation(conversation, resident):
    a = selectors.respondent_id(conversation.pk, resident.pk, 1)
    assert a == selectors.respondent_id(conversation.pk, resident.pk, 99)
    assert a != selectors.respondent_id(conversation.pk + 1, resident.pk, 1)
    assert "@" not in a


def test_exports_show_labels_not_codes(conversation, user_factory):
    add_responses(conversation, user_factory, [500_000], [ProposalAnswer.SUPPORT])
    from budget.models import Comment

    response = BudgetResponse.objects.get()
    Comment.objects.create(
        response=response, conversation=conversation, text="Keep it.", hidden_by_flags=True
    )
    responses = selectors.responses_table(conversation=conversation)
    row = dict(zip(responses.columns, responses.rows[0], strict=True))
    assert row["Channel"] == "Online"
    assert row["LIB-01 stance"] == "Support"
    comments = selectors.comments_table(conversation=conversation)
    row = dict(zip(comments.columns, comments.rows[0], strict=True))
    assert row["Status"] == "Waiting for moderation"
    assert row["Hidden after reports"] == "Yes, until a moderator reviews it"
    flat = [str(cell) for table in (responses, comments) for r in table.rows for cell in r]
    assert not {"web", "support", "True", "False", "pending"} & set(flat)
