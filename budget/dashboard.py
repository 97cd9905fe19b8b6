"""What an officer must act on in budget conversations, on the admin home page.

Registered from `wagtail_hooks.py` with the spine's `register_action_panel`.
"""

from django.urls import reverse
from django.utils import timezone

from commissioning.dashboard import ActionPanel, ActionRow

from . import rules
from .models import Comment


class CommentPanel(ActionPanel):
    """Comments needing a decision, oldest first, each linked to its moderation form."""

    filter_query = ""

    def is_shown(self, user):
        return rules.can_moderate(user)

    def comments(self):
        raise NotImplementedError

    def get_queryset(self, user):
        return (
            self.comments().select_related("conversation", "proposal").order_by("created_at", "pk")
        )

    def row(self, obj):
        received = timezone.localtime(obj.created_at)
        return ActionRow(
            label=str(obj),
            url=reverse("budget_comments:edit", args=[obj.pk]),
            detail=f"{obj.about_label} · {obj.conversation.title} · received {received:%-d %b %Y}",
        )

    def all_url(self):
        return f"{reverse('budget_comments:index')}?{self.filter_query}"


class CommentsWaitingPanel(CommentPanel):
    name = "budget-comments-waiting"
    heading = "Comments waiting for moderation"
    order = 40
    empty_text = "No budget comments are waiting for moderation."
    all_label = "Moderate them all"
    filter_query = "status=pending"

    def comments(self):
        return Comment.objects.pending()


class CommentsHiddenPanel(CommentPanel):
    name = "budget-comments-hidden"
    heading = "Comments hidden by flags"
    order = 41
    empty_text = "No budget comments are hidden after reports from residents."
    all_label = "Review them all"
    filter_query = "hidden_by_flags=true"

    def comments(self):
        return Comment.objects.hidden_by_reports()
