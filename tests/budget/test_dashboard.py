"""The admin home page shows officers the budget comments they must act on."""

import pytest
from django.urls import reverse

from budget.models import Comment
from tests.budget.factories import conversation_factory, make_responses


@pytest.fixture
def comments(home_page, user_factory):
    conversation = conversation_factory(home_page)
    make_responses(conversation, 3, user_factory=user_factory)
    first, second, third = Comment.objects.order_by("pk")
    Comment.objects.filter(pk=first.pk).update(status=Comment.PENDING)
    Comment.objects.filter(pk=second.pk).update(hidden_by_flags=True)
    return first, second, third


def _panel(html, heading):
    start = html.index(heading)
    return html[start : html.index("</section>", start)]


def test_officer_sees_waiting_and_hidden_comments_linked_to_moderation(client, officer, comments):
    pending, hidden, published = comments
    client.force_login(officer)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    waiting = _panel(html, "Comments waiting for moderation")
    assert reverse("budget_comments:edit", args=[pending.pk]) in waiting
    assert reverse("budget_comments:edit", args=[hidden.pk]) not in waiting
    assert "<strong>1</strong> item" in waiting
    assert reverse("budget_comments:index") + "?status=pending" in waiting
    flagged = _panel(html, "Comments hidden by flags")
    assert reverse("budget_comments:edit", args=[hidden.pk]) in flagged
    assert reverse("budget_comments:edit", args=[published.pk]) not in html
    assert "hidden_by_flags=true" in flagged


def test_panel_links_filter_the_listing(client, officer, comments):
    pending, hidden, published = comments
    client.force_login(officer)
    html = client.get(reverse("budget_comments:index") + "?hidden_by_flags=true").content
    html = html.decode()
    assert reverse("budget_comments:edit", args=[hidden.pk]) in html
    assert reverse("budget_comments:edit", args=[pending.pk]) not in html


def test_panels_are_hidden_from_those_who_cannot_moderate(client, editor, comments):
    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Comments waiting for moderation" not in html
    assert "Comments hidden by flags" not in html


def test_panels_say_when_there_is_nothing_to_do(client, officer, home_page):
    conversation_factory(home_page)
    client.force_login(officer)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "No budget comments are waiting for moderation." in html
    assert "No budget comments are hidden after reports from residents." in html
