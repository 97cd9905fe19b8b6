"""Officers' admin for delivery: every create and edit goes through the services.

Arrangements, commitments and indicators keep revisions (Wagtail's history
shows each change and who made it). Readings are added, never edited: a
mistaken reading is corrected by an officer with the change permission in
the Django admin, not here. Review responses and commitment emails are read
only.
"""

from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import (
    CreateView,
    EditView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from coproduce import forms as coproduce_forms

from . import services
from .admin_forms import CommitmentAdminForm, ReviewDecisionAdminForm
from .models import (
    Commitment,
    DeliveryArrangement,
    DeliveryDigest,
    Indicator,
    Reading,
    ReviewDecision,
    ReviewResponse,
)
from .services import COMMITMENT_FIELDS, COMMITMENT_M2M


class ServiceSaveMixin(coproduce_forms.ServiceSaveMixin):
    """Save through `save_through_service()`, keeping the revision it made; its
    refusals show on the form."""

    def save_instance(self):
        instance = self.save_through_service()
        self.new_revision = getattr(instance, "latest_revision", None)
        return instance


# Arrangements


class ArrangementSaveMixin(ServiceSaveMixin):
    def save_through_service(self):
        return services.arrangement_save(
            arrangement=self.form.instance,
            user=self.request.user,
            social_value_criteria=self.form.cleaned_data.get("social_value_criteria"),
        )


class ArrangementCreateView(ArrangementSaveMixin, CreateView):
    pass


class ArrangementEditView(ArrangementSaveMixin, EditView):
    pass


class ArrangementViewSet(SnippetViewSet):
    # No copy: it would create a record without the app's service.
    copy_view_enabled = False
    model = DeliveryArrangement
    icon = "cogs"
    menu_label = "Delivery arrangements"
    add_view_class = ArrangementCreateView
    edit_view_class = ArrangementEditView
    list_display = ["service", "provider_name", "delivery_model", "starts_on", "ends_on"]
    list_filter = ["delivery_model", "agreement"]
    search_fields = ["service", "provider_name"]
    ordering = ["service"]
    inspect_view_enabled = True


# Commitments


def _commitment_values(form):
    data = form.cleaned_data
    fields = {name: data[name] for name in COMMITMENT_FIELDS if name in data}
    m2m = {name: data[name] for name in COMMITMENT_M2M if name in data}
    return fields, m2m


class CommitmentCreateView(ServiceSaveMixin, CreateView):
    def save_through_service(self):
        fields, m2m = _commitment_values(self.form)
        return services.commitment_create(
            decision_item=self.form.cleaned_data.get("decision_item"),
            user=self.request.user,
            happened_on=self.form.cleaned_data.get("update_on"),
            m2m=m2m,
            **fields,
        )


class CommitmentEditView(ServiceSaveMixin, EditView):
    def save_through_service(self):
        fields, m2m = _commitment_values(self.form)
        return services.commitment_change(
            commitment=self.form.instance,
            user=self.request.user,
            note=self.form.cleaned_data.get("update_note", ""),
            happened_on=self.form.cleaned_data.get("update_on"),
            m2m=m2m,
            **fields,
        )


class CommitmentViewSet(SnippetViewSet):
    # No copy: it would create a record without the app's service.
    copy_view_enabled = False
    model = Commitment
    icon = "tick"
    menu_label = "Commitments"
    add_view_class = CommitmentCreateView
    edit_view_class = CommitmentEditView
    list_display = [
        "title",
        "programme",
        Column("status", accessor="status_label"),
        "progress",
        "due_on",
    ]
    list_filter = ["status", "programme"]
    search_fields = ["title", "responsible"]
    ordering = ["due_on"]
    inspect_view_enabled = True
    panels = [
        FieldPanel("decision_item"),
        FieldPanel("title"),
        FieldPanel("description"),
        FieldPanel("responsible"),
        FieldPanel("due_on"),
        FieldPanel("arrangement"),
        MultiFieldPanel(
            [
                FieldPanel("status"),
                FieldPanel("status_reason"),
                FieldPanel("progress"),
                FieldPanel("update_on"),
                FieldPanel("update_note"),
            ],
            heading="Status and progress",
        ),
        MultiFieldPanel(
            [FieldPanel("outcomes"), FieldPanel("social_value_criteria"), FieldPanel("wards")],
            heading="What it is for, and where",
        ),
    ]

    def get_queryset(self, request):
        return Commitment.objects.select_related("programme")

    def get_edit_handler(self):
        return ObjectList(self.panels, base_form_class=CommitmentAdminForm).bind_to_model(
            Commitment
        )


# Indicators and readings


class IndicatorSaveMixin(ServiceSaveMixin):
    def save_through_service(self):
        return services.indicator_save(indicator=self.form.instance, user=self.request.user)


class IndicatorCreateView(IndicatorSaveMixin, CreateView):
    pass


class IndicatorEditView(IndicatorSaveMixin, EditView):
    pass


class IndicatorViewSet(SnippetViewSet):
    # No copy: it would create a record without the app's service.
    copy_view_enabled = False
    model = Indicator
    icon = "table"
    menu_label = "Indicators"
    add_view_class = IndicatorCreateView
    edit_view_class = IndicatorEditView
    list_display = ["measure", "reference", "commitment", "unit", "target"]
    search_fields = ["measure", "reference"]
    inspect_view_enabled = True
    panels = [
        FieldPanel("commitment"),
        FieldPanel("reference"),
        MultiFieldPanel(
            [FieldPanel("outcome"), FieldPanel("social_value_criterion")],
            heading="What it measures (one of them)",
        ),
        FieldPanel("measure"),
        FieldPanel("unit"),
        MultiFieldPanel(
            [
                FieldPanel("baseline"),
                FieldPanel("baseline_on"),
                FieldPanel("target"),
                FieldPanel("target_on"),
            ],
            heading="Baseline and target",
        ),
    ]


class ReadingCreateView(ServiceSaveMixin, CreateView):
    def save_through_service(self):
        data = self.form.cleaned_data
        return services.reading_record(
            indicator=data["indicator"],
            measured_on=data.get("measured_on"),
            value=data.get("value"),
            note=data.get("note", ""),
            user=self.request.user,
        )


class ReadingViewSet(SnippetViewSet):
    # No copy: it would create a record without the app's service.
    copy_view_enabled = False
    model = Reading
    icon = "doc-full"
    menu_label = "Readings"
    add_view_class = ReadingCreateView
    list_display = ["indicator", "measured_on", "value", "source", "entered_by"]
    list_filter = ["source", "indicator"]
    ordering = ["-measured_on"]
    panels = [
        FieldPanel("indicator"),
        FieldPanel("measured_on"),
        FieldPanel("value"),
        FieldPanel("note"),
    ]

    def get_queryset(self, request):
        return Reading.objects.select_related("indicator", "entered_by")


# Reviews


class ReviewDecisionCreateView(ServiceSaveMixin, CreateView):
    def get_initial(self):
        initial = super().get_initial()
        review = self.request.GET.get("review", "")
        if review.isdigit():
            initial["review"] = int(review)
        return initial

    def save_through_service(self):
        data = self.form.cleaned_data
        review = data["review"]
        return services.review_decision_record(
            programme=review.get_parent().specific,
            review=review,
            arrangement=data.get("arrangement"),
            outcome=data.get("outcome"),
            reason=data.get("reason", ""),
            decided_on=data.get("decided_on"),
            next_cycle_starts_on=data.get("next_cycle_starts_on"),
            user=self.request.user,
        )


class ReviewDecisionViewSet(SnippetViewSet):
    # No copy: it would create a record without the app's service.
    copy_view_enabled = False
    model = ReviewDecision
    icon = "redirect"
    menu_label = "Review decisions"
    add_view_class = ReviewDecisionCreateView
    list_display = ["programme", "outcome", "decided_on", "next_cycle_starts_on"]
    ordering = ["-decided_on"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "programme",
        "review",
        "arrangement",
        "outcome",
        "reason",
        "decided_on",
        "next_cycle_starts_on",
        "stages_added",
        "decided_by",
    ]
    panels = [
        FieldPanel("review"),
        FieldPanel("arrangement"),
        FieldPanel("outcome"),
        FieldPanel("reason"),
        FieldPanel("decided_on"),
        FieldPanel("next_cycle_starts_on"),
    ]

    def get_edit_handler(self):
        return ObjectList(self.panels, base_form_class=ReviewDecisionAdminForm).bind_to_model(
            ReviewDecision
        )


class ReviewResponseViewSet(SnippetViewSet):
    # No copy: it would create a record without the app's service.
    copy_view_enabled = False
    model = ReviewResponse
    icon = "list-ul"
    menu_label = "Review responses"
    list_display = [Column("id", label="Response"), "review", "relationship", "created_at"]
    list_filter = ["relationship", "review"]
    inspect_view_enabled = True
    inspect_view_fields = ["review", "relationship", "comment", "created_at"]

    def get_queryset(self, request):
        return ReviewResponse.objects.select_related("review")


class DeliveryDigestViewSet(SnippetViewSet):
    # No copy: it would create a record without the app's service.
    copy_view_enabled = False
    model = DeliveryDigest
    icon = "mail"
    menu_label = "Commitment emails"
    list_display = ["email", "created_at", "status", "sent_at", "last_error"]
    list_filter = ["message__status"]
    search_fields = ["email"]
    ordering = ["-created_at"]
    inspect_view_enabled = True

    def get_queryset(self, request):
        return DeliveryDigest.objects.select_related("message")


class DeliveryViewSetGroup(SnippetViewSetGroup):
    menu_label = "Delivery and review"
    menu_icon = "tick-inverse"
    menu_order = 350
    items = (
        CommitmentViewSet,
        ArrangementViewSet,
        IndicatorViewSet,
        ReadingViewSet,
        ReviewDecisionViewSet,
        ReviewResponseViewSet,
        DeliveryDigestViewSet,
    )
