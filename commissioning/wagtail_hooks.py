"""Admin registration only: the spine's snippets, records, the officer brief and
the dashboard panel of engagements closing soon."""

from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet

from . import admin_views, audit, rules, selectors
from .dashboard import ActionPanel, ActionRow, register_action_panel
from .models import EngagementPage, ProgrammePage
from .viewsets import CommissioningSnippets

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
