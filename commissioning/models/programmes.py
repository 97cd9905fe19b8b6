"""Programmes: one outcome area being commissioned, with its cycle of stages.

A programme is a page (editorial content with a URL); its stages are an
orderable list on the page rather than pages of their own, because they are
read only as part of the programme's timeline.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable
from wagtail.search import index

from commissioning.blocks import ExplainerBlock
from commissioning.stages import STAGE_LABELS, STAGES
from coproduce.models import BasePage
from coproduce.shared import SharedForSignedInMixin


class ProgrammeIndexPage(SharedForSignedInMixin, BasePage):
    """Lists the borough's commissioning programmes."""

    template = "commissioning/programme_index_page.html"
    parent_page_types = ["coproduce.HomePage"]
    subpage_types = ["commissioning.ProgrammePage"]
    max_count = 1

    content_panels = [*BasePage.content_panels, FieldPanel("introduction")]

    def get_context(self, request, *args, **kwargs):
        from commissioning.selectors import programme_index_list

        context = super().get_context(request, *args, **kwargs)
        context["programmes"] = programme_index_list(index=self, request=request)
        return context


class ProgrammePage(SharedForSignedInMixin, BasePage):
    """A commissioning programme: one outcome area, its stages and engagements."""

    template = "commissioning/programme_page.html"
    parent_page_types = ["commissioning.ProgrammeIndexPage"]
    # Engagement kinds add themselves by naming this page as their parent.
    subpage_types = None

    summary = models.TextField(blank=True)
    outcomes = ParentalManyToManyField(
        "commissioning.Outcome", blank=True, related_name="programmes"
    )
    wards = ParentalManyToManyField(
        "commissioning.Ward",
        blank=True,
        related_name="programmes",
        help_text="The wards the services reach. Leave empty for the whole borough.",
    )
    budget_envelope = models.PositiveBigIntegerField(
        "budget envelope (£ a year)",
        null=True,
        blank=True,
        help_text="The money available for the services commissioned, in pounds a year.",
    )
    lead_officer_name = models.CharField("lead officer", max_length=120, blank=True)
    lead_officer_role = models.CharField("job title", max_length=160, blank=True)
    lead_officer_email = models.EmailField("email", blank=True)
    lead_officer_phone = models.CharField("telephone", max_length=40, blank=True)

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("introduction"),
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("outcomes", widget=forms.CheckboxSelectMultiple),
                FieldPanel("wards", widget=forms.CheckboxSelectMultiple),
                FieldPanel("budget_envelope"),
            ],
            heading="Outcomes, reach and money",
        ),
        MultiFieldPanel(
            [
                FieldPanel("lead_officer_name"),
                FieldPanel("lead_officer_role"),
                FieldPanel("lead_officer_email"),
                FieldPanel("lead_officer_phone"),
            ],
            heading="Lead officer",
        ),
        InlinePanel("stages", label="Stage of the cycle", heading="Stages"),
    ]
    search_fields = [*BasePage.search_fields, index.SearchField("summary")]

    class Meta:
        permissions = [("view_brief", "Can read the officer brief of a programme")]

    def get_context(self, request, *args, **kwargs):
        from commissioning.selectors import programme_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(programme_page_context(programme=self, request=request))
        return context

    def current_stage(self, today=None):
        """The stage whose dates include today, else the latest one started.

        None before the first stage starts. Reads `self.stages.all()`, so a
        prefetch serves it.
        """
        today = today or timezone.localdate()
        started = [s for s in self.stages.all() if s.starts_on <= today]
        for stage in reversed(started):
            if stage.ends_on is None or today <= stage.ends_on:
                return stage
        return started[-1] if started else None


class ProgrammeStage(Orderable):
    """One stage of a programme's cycle, with its dates and an explainer."""

    programme = ParentalKey(ProgrammePage, on_delete=models.CASCADE, related_name="stages")
    stage = models.CharField(max_length=10, choices=STAGES)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True, help_text="Leave empty if not yet known.")
    explainer = StreamField(
        ExplainerBlock(),
        blank=True,
        help_text="What happens in this stage and how people take part.",
    )

    panels = [
        FieldPanel("stage"),
        FieldPanel("starts_on"),
        FieldPanel("ends_on"),
        FieldPanel("explainer"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "stage"

    def __str__(self):
        return self.label

    @property
    def label(self):
        return STAGE_LABELS.get(self.stage, self.stage)

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The end date must be on or after the start date."})

    def state(self, today=None):
        today = today or timezone.localdate()
        if today < self.starts_on:
            return "upcoming"
        if self.ends_on is not None and today > self.ends_on:
            return "done"
        return "current"
