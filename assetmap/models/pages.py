"""The public map page and the asset call, an engagement under a programme."""

from django import forms
from django.db import models
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel

from commissioning.models import EngagementPage
from coproduce.models import BasePage


class AssetMapPage(BasePage):
    """The borough's map and list of published assets, with filters.

    A page so editors can place and introduce it; the assets themselves are
    plain models read through `assetmap.selectors`.
    """

    template = "assetmap/asset_map_page.html"
    parent_page_types = ["coproduce.HomePage"]
    subpage_types = []
    max_count = 1

    content_panels = [*BasePage.content_panels, FieldPanel("introduction")]

    def get_context(self, request, *args, **kwargs):
        from assetmap.views import map_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(map_page_context(request, page=self))
        return context


class AssetCallPage(EngagementPage):
    """A programme asks residents and groups for assets related to its outcomes.

    Assets submitted through it are linked to its programme and stage, and
    recorded as participation in the engagement.
    """

    kind_label = "Call for community assets"
    template = "assetmap/asset_call_page.html"
    parent_page_types = ["commissioning.ProgrammePage"]
    subpage_types = []

    outcomes = ParentalManyToManyField(
        "commissioning.Outcome",
        blank=True,
        related_name="+",
        help_text="The outcomes this call asks for assets about.",
    )
    guidance = models.TextField(
        blank=True, help_text="What kinds of assets the programme wants to hear about."
    )

    content_panels = [
        *EngagementPage.content_panels,
        FieldPanel("guidance"),
        FieldPanel("outcomes", widget=forms.CheckboxSelectMultiple),
    ]

    class Meta:
        verbose_name = "asset call"

    def get_context(self, request, *args, **kwargs):
        from assetmap.views import call_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(call_page_context(request, page=self))
        return context
