"""Comment moderation from the admin listing: order, links, labels, per-row and
bulk decisions, all through `services.comment_moderate`."""

import time
from datetime import timedelta

import pytest
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from budget import services
from budget.models import Comment
from tests.budget.factories import conversation_factory, make_responses
from tests.refusals import assert_sent_to_sign_in
from tests.threads import at_once


@pytest.fixture
def conversation(home_page):
    return conversation_factory(home_page)


@pytest.fixture
def comments(conversation, user_factory):
    """Four comments received at the same moment: published, pending, rejected, hidden."""
    make_responses(conversation, 4, user_factory=user_factory)
    same_time = timezone.now()
    Comment.objects.update(created_at=same_time)
    published, pending, rejected, hidden = Comment.objects.order_by("pk")
    Comment.objects.filter(pk=pending.pk).update(status=Comment.PENDING)
    Comment.objects.filter(pk=rejected.pk).update(
        status=Comment.REJECTED, rejection_reason="Off topic."
    )
    Comment.objects.filter(pk=hidden.pk).update(hidden_by_flags=True)
    return {"published": published, "pending": pending, "rejected": rejected, "hidden": hidden}


def _reload(comment):
    return Comment.objects.get(pk=comment.pk)


def test_queue_puts_comments_needing_a_decision_first_in_a_total_order(comments):
    order = list(Comment.objects.moderation_queue().values_list("pk", flat=True))
    # Same received time: pending and hidden first, by pk; then the rest newest pk first.
    assert order == [
        comments["pending"].pk,
        comments["hidden"].pk,
        comments["rejected"].pk,
        comments["published"].pk,
    ]


def test_listing_links_each_row_and_shows_labels_not_booleans(client, officer, comments):
    # The published comment is the newest: it still comes after those needing a decision.
    Comment.objects.filter(pk=comments["published"].pk).update(
        created_at=timezone.now() + timedelta(minutes=5)
    )
    client.force_login(officer)
    html = client.get(reverse("budget_comments:index")).content.decode()
    for comment in comments.values():
        assert reverse("budget_comments:edit", args=[comment.pk]) in html
    assert "Hidden after residents reported it" in html
    assert "Waiting for moderation" in html
    assert "False" not in html and "True" not in html
    assert html.index(comments["pending"].text) < html.index(comments["published"].text)
    assert html.index(comments["hidden"].text) < html.index(comments["published"].text)


def test_officer_publishes_from_the_listing(client, officer, comments):
    client.force_login(officer)
    next_url = reverse("budget_comments:index") + "?status=pending"
    response = client.post(
        reverse("budget_comments:publish", args=[comments["pending"].pk]), {"next": next_url}
    )
    assert response.status_code == 302
    assert response["Location"] == next_url
    comment = _reload(comments["pending"])
    assert comment.status == Comment.APPROVED
    assert comment.moderated_by == officer
    hidden = client.post(reverse("budget_comments:publish", args=[comments["hidden"].pk]))
    assert hidden["Location"] == reverse("budget_comments:index")
    assert not _reload(comments["hidden"]).hidden_by_flags


def test_listing_refuses_a_foreign_next_url(client, officer, comments):
    client.force_login(officer)
    response = client.post(
        reverse("budget_comments:publish", args=[comments["pending"].pk]),
        {"next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("budget_comments:index")


def test_officer_rejects_from_the_listing_with_a_reason(client, officer, comments):
    client.force_login(officer)
    url = reverse("budget_comments:reject", args=[comments["pending"].pk])
    refused = client.post(url, {"reason": "  "}, follow=True)
    assert "Give the reason for rejecting it" in refused.content.decode()
    assert _reload(comments["pending"]).status == Comment.PENDING
    client.post(url, {"reason": "Names a member of staff."})
    comment = _reload(comments["pending"])
    assert comment.status == Comment.REJECTED
    assert comment.rejection_reason == "Names a member of staff."


def test_officer_publishes_selected_comments(client, officer, comments):
    client.force_login(officer)
    chosen = [comments["pending"].pk, comments["hidden"].pk, comments["published"].pk]
    response = client.post(
        reverse("budget_comments:publish_selected"),
        {"comment": [str(pk) for pk in chosen]},
        follow=True,
    )
    html = response.content.decode()
    assert "2 comments published. 1 was already published." in html
    assert Comment.objects.visible().filter(pk__in=chosen).count() == 3
    assert _reload(comments["rejected"]).status == Comment.REJECTED
    assert ModelLogEntry.objects.filter(action="audit.moderate").count() == 2


def test_publish_selected_with_nothing_selected_says_so(client, officer, comments):
    client.force_login(officer)
    response = client.post(reverse("budget_comments:publish_selected"), {}, follow=True)
    assert "Select the comments to publish first." in response.content.decode()


def test_residents_cannot_moderate_from_the_listing(client, resident, comments):
    client.force_login(resident)
    response = client.post(reverse("budget_comments:publish", args=[comments["pending"].pk]))
    assert_sent_to_sign_in(response)
    assert _reload(comments["pending"]).status == Comment.PENDING


def test_actions_are_posts_only(client, officer, comments):
    client.force_login(officer)
    response = client.get(reverse("budget_comments:publish", args=[comments["pending"].pk]))
    assert response.status_code == 405
    assert _reload(comments["pending"]).status == Comment.PENDING


def test_same_decision_twice_is_recorded_once(comments, officer):
    comment = comments["pending"]
    services.comment_moderate(comment=comment, moderator=officer, status=Comment.APPROVED)
    with pytest.raises(Exception, match="already published"):
        services.comment_moderate(comment=comment, moderator=officer, status=Comment.APPROVED)
    assert ModelLogEntry.objects.filter(action="audit.moderate").count() == 1


def _publish_retrying_locks(comment_id, moderator):
    """Publish as a second officer would, retrying while SQLite's shared test
    database reports a table lock (PostgreSQL waits for the lock itself)."""
    for _ in range(200):
        try:
            comment = Comment.objects.get(pk=comment_id)
            return services.comment_moderate(
                comment=comment, moderator=moderator, status=Comment.APPROVED
            )
        except OperationalError:
            time.sleep(0.01)
    raise AssertionError("the database stayed locked")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_publications_take_effect_once(home_page, user_factory, officer):
    conversation = conversation_factory(home_page)
    make_responses(conversation, 1, user_factory=user_factory)
    Comment.objects.update(status=Comment.PENDING)
    comment_id = Comment.objects.get().pk
    outcomes = [
        type(o).__name__ if isinstance(o, Exception) else "published"
        for o in at_once(lambda: _publish_retrying_locks(comment_id, officer), workers=2)
    ]
    assert sorted(outcomes) == ["ValidationError", "published"]
    assert ModelLogEntry.objects.filter(action="audit.moderate").count() == 1
