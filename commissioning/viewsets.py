"""The spine's admin viewsets: its snippets and the records officers read."""

from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import (
    IndexView,
    InspectView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from .models import (
    AssetCategory,
    DecisionNotification,
    Outcome,
    Participation,
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

    # No copy: it would create a record without the app's service.
    copy_view_enabled = False

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
    """Who was told of which decision, and what the outbox did with each email
    (view permission)."""

    # No copy: it would create a record without the app's service.
    copy_view_enabled = False

    model = DecisionNotification
    icon = "mail"
    menu_label = "Decision emails"
    list_display = ["email", "decision", "status", "sent_at", "last_error"]
    list_filter = ["message__status"]
    search_fields = ["email"]
    ordering = ["-created_at"]
    inspect_view_enabled = True

    def get_queryset(self, request):
        return DecisionNotification.objects.select_related("decision", "message")


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
