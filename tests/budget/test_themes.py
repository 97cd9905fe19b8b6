"""The budget conversation's free text for the spine's themes."""

import pytest

from budget.models import BudgetResponse, Comment
from budget.themes import budget_texts
from tests.budget.factories import conversation_factory

pytestmark = pytest.mark.django_db


def test_only_published_comments_in_order_with_what_each_is_about(home_page, user_factory):
    conversation = conversation_factory(home_page)
    proposal = conversation.proposals.order_by("pk").first()

    def comment(text, status, *, proposal=None, hidden=False):
        # One comment a proposal per response: each here is another resident's.
        response = BudgetResponse.objects.create(conversation=conversation, user=user_factory())
        return Comment.objects.create(
            response=response,
            conversation=conversation,
            proposal=proposal,
            text=text,
            status=status,
            hidden_by_flags=hidden,
        )

    on_proposal = comment("Keep the mobile library.", Comment.APPROVED, proposal=proposal)
    comment("Waiting to be read.", Comment.PENDING, proposal=proposal)
    comment("Rejected words.", Comment.REJECTED)
    comment("Hidden by flags.", Comment.APPROVED, hidden=True)
    alternative = comment("Share the building with the clinic.", Comment.APPROVED)

    items = list(budget_texts(conversation))

    assert [(item.key, item.text, item.context) for item in items] == [
        (
            f"budget.comment:{on_proposal.pk}",
            "Keep the mobile library.",
            f"Comment on “{proposal.title}”",
        ),
        (
            f"budget.comment:{alternative.pk}",
            "Share the building with the clinic.",
            "Alternative suggestion",
        ),
    ]
