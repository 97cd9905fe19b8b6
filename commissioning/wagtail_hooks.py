"""Admin registration only: the spine's snippets, records, the officer brief and
the dashboard panel of engagements closing soon."""

from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    IndexView,
    InspectView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from . import admin_views, audit, rules, selectors
from .dashboard import ActionPanel, ActionRow, register_action_panel
from .models import (
    AssetCategory,
    DecisionNotification,
    EngagementPage,
    Outcome,
    Participation,
    ProgrammePage,
    SocialValueCriterion,
    Ward,
)

# The snippets are indexed (`index.Indexed`), so the listings search their
# `search_fields` through the search backend; naming fields here would make
# the SQLite FTS backend fail.


class WardViewSet(SnippetViewSet):
    model = Ward
    icon = "site"
    list_display = ["name", "postcode_prefixes", "population"]
    ordering = ["name"]


class OutcomeViewSet(SnippetViewSet):
    model = Outcome
    icon = "tick-inverse"
    list_display = ["title"]


class SocialValueCriterionViewSet(SnippetViewSet):
    model = SocialValueCriterion
    icon = "group"
    list_display = ["title", "theme", "measure"]
    list_filter = ["theme"]


class AssetCategoryViewSet(SnippetViewSet):
    model = AssetCategory
    icon = "folder-open-inverse"
    list_display = ["name", "slug"]


def yes_no(value):
    return "Yes" if value else "No"


class ParticipationIndexView(IndexView):
    # The download says "Yes"/"No", as the listing does, not True/False.
    custom_field_preprocess = {"wants_feedback": {"csv": yes_no, "xlsx": yes_no}}


class ParticipationInspectView(InspectView):
    def get_wants_feedback_display_value(self):
        return yes_no(self.object.wants_feedback)


class ParticipationViewSet(SnippetViewSet):
    """Officers read them (view permission); engagement services record them."""

    model = Participation
    icon = "user"
    menu_label = "Participations"
    index_view_class = ParticipationIndexView
    inspect_view_class = ParticipationInspectView
    list_display = [
        "engagement",
        "user",
        "ward",
        "channel",
        Column(
            "wants_feedback",
            label="Tell me what happens",
            accessor=lambda participation: yes_no(participation.wants_feedback),
            sort_key="wants_feedback",
        ),
        "created_at",
    ]
    list_filter = ["channel", "wants_feedback", "engagement__stage"]
    list_export = ["engagement", "ward", "get_channel_display", "wants_feedback", "created_at"]
    export_headings = {"get_channel_display": "Channel", "wants_feedback": "Tell me what happens"}
    ordering = ["-created_at"]
    inspect_view_enabled = True


class DecisionNotificationViewSet(SnippetViewSet):
    """The decision email queue, to see what is pending and why (view permission)."""

    model = DecisionNotification
    icon = "mail"
    menu_label = "Decision emails"
    list_display = ["email", "decision", "sent_at", "attempts", "last_error"]
    list_filter = ["sent_at"]
    search_fields = ["email"]
    ordering = ["-created_at"]
    inspect_view_enabled = True


class CommissioningSnippets(SnippetViewSetGroup):
    menu_label = "Borough data"
    menu_icon = "folder-open-1"
    menu_order = 300
    items = (
        WardViewSet,
        OutcomeViewSet,
        SocialValueCriterionViewSet,
        AssetCategoryViewSet,
        ParticipationViewSet,
        DecisionNotificationViewSet,
    )


register_snippet(CommissioningSnippets)


@hooks.register("register_admin_urls")
def brief_urls():
    return [
        path("commissioning/briefs/", admin_views.brief_index, name="commissioning_briefs"),
        path("commissioning/briefs/<int:pk>/", admin_views.brief, name="commissioning_brief"),
        path(
            "commissioning/briefs/<int:pk>/draft-decision/",
            admin_views.brief_draft_decision,
            name="commissioning_brief_draft_decision",
        ),
        path("commissioning/heard/<int:pk>/", admin_views.heard, name="commissioning_heard"),
    ]


@hooks.register("register_admin_urls")
def audit_trail_urls():
    return [
        path(
            "reports/audit-trail/",
            admin_views.AuditTrailView.as_view(),
            name="commissioning_audit_trail",
        ),
        path(
            "reports/audit-trail/results/",
            admin_views.AuditTrailView.as_view(results_only=True),
            name="commissioning_audit_trail_results",
        ),
    ]


class AuditTrailMenuItem(MenuItem):
    def is_shown(self, request):
        return rules.can_view_audit_trail(request.user)


@hooks.register("register_reports_menu_item")
def audit_trail_menu_item():
    return AuditTrailMenuItem(
        "Audit trail",
        reverse("commissioning_audit_trail"),
        name="audit-trail",
        icon_name="list-ul",
        order=1050,
    )


@hooks.register("register_log_actions")
def register_audit_log_actions(actions):
    audit.register_log_actions(actions)


class BriefMenuItem(MenuItem):
    def is_shown(self, request):
        return rules.can_view_brief(request.user)


@hooks.register("register_admin_menu_item")
def brief_menu_item():
    return BriefMenuItem(
        "Officer briefs", reverse("commissioning_briefs"), icon_name="doc-full", order=310
    )


def _brief_button(page, user, priority):
    if page.specific_class is ProgrammePage and rules.can_view_brief(user, page):
        yield Button(
            "Officer brief",
            url=reverse("commissioning_brief", args=[page.pk]),
            icon_name="doc-full",
            priority=priority,
        )


@hooks.register("register_page_listing_more_buttons")
def brief_listing_button(page, user, next_url=None):
    yield from _brief_button(page, user, priority=5)


@hooks.register("register_page_header_buttons")
def brief_header_button(page, user, view_name=None, next_url=None):
    yield from _brief_button(page, user, priority=80)


@hooks.register("register_page_header_buttons")
def heard_header_button(page, user, view_name=None, next_url=None):
    """ "What we heard" on a closed engagement's page, for officers."""
    model = page.specific_class
    if model is None or not issubclass(model, EngagementPage):
        return
    engagement = page if isinstance(page, EngagementPage) else page.specific_deferred
    if rules.can_publish_heard(user, page) and engagement.state() == "closed":
        yield Button(
            "What we heard",
            url=reverse("commissioning_heard", args=[page.pk]),
            icon_name="openquote",
            priority=86,
        )


@register_action_panel
class ClosingEngagementsPanel(ActionPanel):
    """Engagements closing in the next 7 days: time to plan the summary and the feedback."""

    name = "closing_engagements"
    heading = "Engagements closing this week"
    order = 20
    max_rows = 10
    days = 7
    empty_text = "No engagement closes in the next 7 days."

    def is_shown(self, user):
        return rules.can_follow_engagements(user)

    def get_queryset(self, user):
        return selectors.engagements_closing_soon(days=self.days)

    def row(self, obj):
        closes = date_format(localtime(obj.closes_at), "l j F Y, H:i")
        draft = "" if obj.live else " · draft, not published"
        return ActionRow(
            label=obj.title,
            url=reverse("wagtailadmin_pages:edit", args=[obj.pk]),
            detail=f"{obj.kind} · closes {closes}{draft}",
        )
