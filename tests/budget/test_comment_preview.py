"""The comments shown on a conversation are remembered for everyone, and stay nobody's own."""

import pytest

from budget.models import BudgetResponse, Comment
from tests.budget.factories import conversation_factory, make_responses

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]


@pytest.fixture
def conversation(home_page, user_factory):
    conversation = conversation_factory(home_page)
    make_responses(conversation, 2, user_factory=user_factory)
    return conversation


def _report_button(comment):
    return f'form="flag-{comment.pk}"'.encode()


def _page(client, conversation):
    client.get(conversation.url)
    return client.get(conversation.url).content


def test_each_person_may_report_others_comments_but_not_their_own(client, conversation):
    first, second = Comment.objects.filter(conversation=conversation).order_by("pk")
    for own, other in ((first, second), (second, first), (first, second)):
        client.force_login(own.response.user)
        content = _page(client, conversation)
        assert _report_button(other) in content
        assert _report_button(own) not in content
        assert b"Comment 0" in content and b"Comment 1" in content


def test_a_new_or_hidden_comment_shows_at_once(client, conversation, resident):
    client.force_login(resident)
    assert b"Fresh idea" not in _page(client, conversation)
    response = BudgetResponse.objects.filter(conversation=conversation).first()
    shown = Comment.objects.create(
        response=response,
        conversation=conversation,
        proposal=conversation.proposals.exclude(comments__response=response).first(),
        text="Fresh idea",
        status=Comment.APPROVED,
    )
    assert b"Fresh idea" in client.get(conversation.url).content
    Comment.objects.filter(pk=shown.pk).update(hidden_by_flags=True)
    assert b"Fresh idea" not in client.get(conversation.url).content


def test_people_signed_out_get_the_stored_page_without_report_forms(client, conversation):
    first = Comment.objects.filter(conversation=conversation).order_by("pk").first()
    client.get(conversation.url)
    response = client.get(conversation.url)
    assert response["X-Page-Cache"] == "hit"
    assert b"Comment 0" in response.content
    assert f'id="flag-{first.pk}"'.encode() not in response.content
    assert b"csrfmiddlewaretoken" not in response.content
    client.force_login(first.response.user)
    assert b'id="flag-' in _page(client, conversation)
