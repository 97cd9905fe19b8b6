from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser

from budget import rules
from budget.models import Comment
from tests.budget.factories import conversation_factory, make_responses


@pytest.fixture
def conversation(home_page):
    return conversation_factory(home_page)


def test_results_public_after_close_officers_any_time(conversation, resident, officer):
    assert not rules.can_view_results(AnonymousUser(), conversation)
    assert not rules.can_view_results(resident, conversation)
    assert rules.can_view_results(officer, conversation)
    after = conversation.closes_at + timedelta(seconds=1)
    assert rules.can_view_results(AnonymousUser(), conversation, now=after)


def test_officer_powers(conversation, resident, officer, editor):
    for check in (rules.can_export, rules.can_enter_paper, rules.can_moderate):
        assert check(officer, conversation)
        assert not check(resident, conversation)
        assert not check(editor, conversation)
        assert not check(AnonymousUser(), conversation)


def test_can_flag(conversation, resident, user_factory):
    make_responses(conversation, 1, user_factory=user_factory)
    comment = Comment.objects.select_related("response").get()
    assert rules.can_flag(resident, comment)
    assert not rules.can_flag(AnonymousUser(), comment)
    assert not rules.can_flag(comment.response.user, comment)
    comment.hidden_by_flags = True
    assert not rules.can_flag(resident, comment)
    comment.hidden_by_flags = False
    comment.status = Comment.PENDING
    assert not rules.can_flag(resident, comment)
