"""Model rules that pages and tests rely on."""

from django.utils import timezone

from budget import selectors
from budget.models import Comment, Proposal, SimulatorLine
from tests.budget.factories import conversation_factory, make_responses


def test_proposals_without_a_sort_order_come_in_the_order_they_were_added(home_page):
    conversation = conversation_factory(home_page)
    Proposal.objects.update(sort_order=None)
    assert [p.reference for p in conversation.proposals.all()] == ["LIB-01", "ASC-03"]


def test_lines_without_a_sort_order_come_in_the_order_they_were_added(home_page):
    conversation = conversation_factory(home_page)
    SimulatorLine.objects.update(sort_order=None)
    assert [line.name for line in conversation.lines.all()] == ["Libraries", "Council tax rise"]


def test_preview_breaks_ties_on_time_by_newest_comment(home_page, user_factory):
    conversation = conversation_factory(home_page)
    make_responses(conversation, 8, user_factory=user_factory)
    Comment.objects.update(created_at=timezone.now())
    preview = selectors.comments_preview(conversation=conversation, limit=2)
    for proposal_id, shown in preview.items():
        expected = Comment.objects.filter(proposal_id=proposal_id).order_by("-pk")[:2]
        assert [comment.pk for comment in shown] == [comment.pk for comment in expected]
