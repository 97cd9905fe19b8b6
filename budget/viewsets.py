"""Officers' admin views: responses (read only), comment moderation, and links from
a conversation in the page tree to its results, paper entry and downloads."""

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import EditView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import Button

from . import rules, services
from .models import BudgetConversationPage, BudgetResponse, Comment


class ModerationForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        problems = services.comment_moderation_errors(
            status=cleaned.get("status"), reason=cleaned.get("rejection_reason")
        )
        for field, message in problems.items():
            self.add_error(field, message)
        return cleaned


class CommentModerateView(EditView):
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


class CommentViewSet(ModelViewSet):
    model = Comment
    icon = "comment"
    name = "budget_comments"
    menu_label = "Comments to moderate"
    url_prefix = "budget/comments"
    edit_view_class = CommentModerateView
    list_display = [
        Column("text", label="Comment", accessor="__str__"),
        "proposal",
        "status",
        "hidden_by_flags",
        "created_at",
    ]
    list_filter = ["status", "hidden_by_flags", "conversation"]
    search_fields = ["text"]
    ordering = ["status", "-hidden_by_flags", "-created_at"]
    inspect_view_enabled = True
    add_to_admin_menu = False
    panels = [
        FieldPanel("text", read_only=True),
        FieldPanel("proposal", read_only=True),
        FieldPanel("status", widget=forms.RadioSelect),
        FieldPanel("rejection_reason"),
        FieldPanel("hidden_by_flags", read_only=True),
    ]

    def get_queryset(self, request):
        return Comment.objects.select_related("proposal", "conversation")

    def get_edit_handler(self):
        from wagtail.admin.panels import ObjectList

        return ObjectList(self.panels, base_form_class=ModerationForm).bind_to_model(Comment)


class ResponseViewSet(ModelViewSet):
    model = BudgetResponse
    icon = "list-ul"
    name = "budget_responses"
    menu_label = "Responses"
    url_prefix = "budget/responses"
    list_display = [
        Column("respondent_id", label="Respondent"),
        "conversation",
        "channel",
        "ward",
        "created_at",
    ]
    list_filter = ["channel", "conversation", "ward"]
    inspect_view_enabled = True
    inspect_view_fields = ["conversation", "channel", "ward", "paper_reference", "created_at"]
    form_fields = ["ward", "wants_feedback"]
    add_to_admin_menu = False

    def get_queryset(self, request):
        return BudgetResponse.objects.select_related("conversation", "ward")


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
    url = page.get_url()
    if not url:
        return
    yield ConversationButton(
        "Results", url + page.reverse_subpage("results_route"), icon_name="table", priority=80
    )
    if rules.can_enter_paper(user, page):
        yield ConversationButton(
            "Enter a paper response",
            url + page.reverse_subpage("paper_route"),
            icon_name="doc-full",
            priority=81,
        )
    if rules.can_export(user, page):
        yield ConversationButton(
            "Download responses (CSV)",
            url + page.reverse_subpage("export_route", args=("responses", "csv")),
            icon_name="download",
            priority=82,
        )
