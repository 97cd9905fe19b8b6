"""Officers' admin views: responses (read only), comment moderation, and links from
a conversation in the page tree to its results, paper entry and downloads."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import pluralize
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from wagtail.admin.panels import FieldPanel, Panel
from wagtail.admin.ui.tables import BaseColumn, Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import EditView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import Button

from coproduce.forms import ServiceSaveMixin

from . import rules, services
from .admin_forms import CommentAdminForm
from .models import BudgetConversationPage, BudgetResponse, Comment


class CommentModerateView(ServiceSaveMixin, EditView):
    """Saving the form is a moderation decision, taken by the service."""

    def save_instance(self):
        return services.comment_moderate(
            comment=self.form.instance,
            moderator=self.request.user,
            status=self.form.cleaned_data["status"],
            reason=self.form.cleaned_data.get("rejection_reason", ""),
        )

    def get_success_message(self, instance=None):
        return "Moderation decision saved."


def _listing_url(request):
    """The listing the officer acted from (filters and page kept), or the plain listing."""
    index = reverse("budget_comments:index")
    target = request.POST.get("next", "")
    if target.startswith(index) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return target
    return index


def _moderate_from_listing(request, pk, status):
    if not rules.can_moderate(request.user):
        raise PermissionDenied
    comment = get_object_or_404(Comment, pk=pk)
    try:
        services.comment_moderate(
            comment=comment,
            moderator=request.user,
            status=status,
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as error:
        messages.error(request, f"“{comment}”: {' '.join(error.messages)}")
    else:
        verb = "published" if status == Comment.APPROVED else "rejected"
        messages.success(request, f"“{comment}” {verb}.")
    return redirect(_listing_url(request))


@require_POST
def comment_publish(request, pk):
    return _moderate_from_listing(request, pk, Comment.APPROVED)


@require_POST
def comment_reject(request, pk):
    return _moderate_from_listing(request, pk, Comment.REJECTED)


@require_POST
def comments_publish_selected(request):
    if not rules.can_moderate(request.user):
        raise PermissionDenied
    ids = [int(v) for v in request.POST.getlist("comment") if v.isdigit()]
    if not ids:
        messages.error(request, "Select the comments to publish first.")
        return redirect(_listing_url(request))
    published = services.comments_approve(comment_ids=ids, moderator=request.user)
    skipped = len(set(ids)) - published
    message = f"{published} comment{pluralize(published)} published."
    if skipped:
        message += f" {skipped} {pluralize(skipped, 'was,were')} already published."
    messages.success(request, message)
    return redirect(_listing_url(request))


class ListingNextMixin:
    """Gives a cell the listing's URL with its filters, to come back to after acting."""

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context.get("request")
        query = request.GET.copy() if request else {}
        query = query.urlencode() if query else ""
        context["next_url"] = reverse("budget_comments:index") + (f"?{query}" if query else "")
        return context


class SelectColumn(BaseColumn):
    """A checkbox per comment awaiting a decision, for "Publish selected"."""

    cell_template_name = "budget/admin/comment_select_cell.html"


class ModerationActionsColumn(ListingNextMixin, BaseColumn):
    """Publish, or reject with a reason, without leaving the listing."""

    cell_template_name = "budget/admin/comment_actions_cell.html"


class CommentStatePanel(Panel):
    """What the comment is about and its status now, in words (read only)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "budget/admin/comment_state_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["comment"] = self.instance
            return context


class CommentIndexView(IndexView):
    results_template_name = "budget/admin/comment_index_results.html"

    def get_base_queryset(self):
        # Comments needing a decision first, in a total order (see `moderation_queue`).
        return (
            Comment.objects.moderation_queue()
            .select_related("proposal", "conversation")
            .annotate(flag_count=Count("flags"))
        )

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        query = self.request.GET.urlencode()
        context["next_url"] = self.index_url + (f"?{query}" if query else "")
        return context


class CommentViewSet(ModelViewSet):
    # No copy: it would create a record without the app's service.
    copy_view_enabled = False
    model = Comment
    icon = "comment"
    name = "budget_comments"
    menu_label = "Comments to moderate"
    url_prefix = "budget/comments"
    index_view_class = CommentIndexView
    edit_view_class = CommentModerateView
    list_display = [
        SelectColumn("select", label="Select"),
        TitleColumn(
            "text",
            label="Comment",
            accessor="__str__",
            url_name="budget_comments:edit",
            get_title_id=lambda comment: f"comment-{comment.pk}-title",
        ),
        Column("about", label="About", accessor="about_label"),
        Column("conversation", label="Conversation"),
        Column("state", label="Status", accessor="state_label"),
        Column("flag_count", label="Reports"),
        DateColumn("created_at", label="Received"),
        ModerationActionsColumn("actions", label="Decide"),
    ]
    list_filter = ["status", "hidden_by_flags", "conversation"]
    search_fields = ["text"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "text",
        "conversation",
        "proposal",
        "status",
        "rejection_reason",
        "hidden_by_flags",
        "created_at",
        "moderated_by",
        "moderated_at",
    ]
    add_to_admin_menu = False
    panels = [
        FieldPanel("text", read_only=True),
        CommentStatePanel(heading="Where it stands"),
        FieldPanel("status", widget=forms.RadioSelect, heading="Decision"),
        FieldPanel("rejection_reason"),
    ]

    def get_edit_handler(self):
        from wagtail.admin.panels import ObjectList

        return ObjectList(self.panels, base_form_class=CommentAdminForm).bind_to_model(Comment)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/publish/", comment_publish, name="publish"),
            path("<int:pk>/reject/", comment_reject, name="reject"),
            path("publish-selected/", comments_publish_selected, name="publish_selected"),
        ]


class ResponseIndexView(IndexView):
    def get_base_queryset(self):
        return BudgetResponse.objects.select_related("conversation", "ward").order_by(
            "-created_at", "-pk"
        )


class ResponseViewSet(ModelViewSet):
    # No copy: it would create a record without the app's service.
    copy_view_enabled = False
    model = BudgetResponse
    icon = "list-ul"
    name = "budget_responses"
    menu_label = "Responses"
    url_prefix = "budget/responses"
    list_display = [
        TitleColumn("respondent_id", label="Respondent", url_name="budget_responses:inspect"),
        Column("conversation", label="Conversation"),
        Column("channel", label="Channel", accessor="get_channel_display"),
        Column("ward", label="Ward"),
        DateColumn("created_at", label="Received"),
    ]
    list_filter = ["channel", "conversation", "ward"]
    index_view_class = ResponseIndexView
    inspect_view_enabled = True
    inspect_view_fields = [
        "conversation",
        "channel",
        "ward",
        "paper_reference",
        "wants_feedback",
        "created_at",
    ]
    form_fields = ["ward", "wants_feedback"]
    add_to_admin_menu = False


class BudgetViewSetGroup(ModelViewSetGroup):
    menu_label = "Budget conversations"
    menu_icon = "table"
    menu_order = 310
    items = (CommentViewSet, ResponseViewSet)


class ConversationButton(Button):
    allow_in_dropdown = True


def conversation_buttons(page, user):
    """Results, paper entry and downloads, beside a budget conversation in the page tree."""
    specific_class = page.specific_class
    if specific_class is None or not issubclass(specific_class, BudgetConversationPage):
        return
    if not rules.is_officer(user):
        return
    page = page.specific_deferred
    if not page.get_url():
        return
    yield ConversationButton(
        "Results", page.subpage_url("results_route"), icon_name="table", priority=80
    )
    if rules.can_enter_paper(user, page):
        yield ConversationButton(
            "Enter a paper response",
            page.subpage_url("paper_route"),
            icon_name="doc-full",
            priority=81,
        )
    if rules.can_export(user, page):
        yield ConversationButton(
            "Download responses (CSV)",
            page.subpage_url("export_route", "responses", "csv"),
            icon_name="download",
            priority=82,
        )
