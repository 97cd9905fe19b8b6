"""The public map page and the asset call, an engagement under a programme."""

from django import forms
from django.core.paginator import Paginator
from django.db import models
from django.urls import reverse
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel

from commissioning.models import EngagementPage
from coproduce.models import BasePage
from coproduce.shared import SharedForSignedInMixin


class AssetMapPage(SharedForSignedInMixin, BasePage):
    """The borough's map and list of published assets, with filters.

    A page so editors can place and introduce it; the assets themselves are
    plain models read through `assetmap.selectors`.
    """

    template = "assetmap/asset_map_page.html"
    parent_page_types = ["coproduce.HomePage"]
    subpage_types = []
    max_count = 1

    content_panels = [*BasePage.content_panels, FieldPanel("introduction")]

    PER_PAGE = 20

    def get_context(self, request, *args, **kwargs):
        from assetmap import selectors
        from assetmap.forms import AssetFilterForm

        context = super().get_context(request, *args, **kwargs)
        form = AssetFilterForm(request.GET or None)
        paginator = Paginator(selectors.asset_list(filters=form.filters()), self.PER_PAGE)
        page_obj = paginator.get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        suffix = f"?{query.urlencode()}" if query else ""
        context.update(
            filter_form=form,
            page_obj=page_obj,
            assets=page_obj.object_list,
            filtered=bool(query),
            points_url=reverse("assetmap:points") + suffix,
            geojson_url=reverse("assetmap:geojson") + suffix,
            csv_url=reverse("assetmap:csv") + suffix,
            detail_url=reverse("assetmap:asset_json", args=[0]).replace("0.json", "{id}.json"),
            map_settings=selectors.map_settings(),
        )
        return context


class AssetCallPage(SharedForSignedInMixin, EngagementPage):
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
        from assetmap import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(
            counts=selectors.call_counts(call=self),
            call_outcomes=list(self.outcomes.all()),
            submit_url=reverse("assetmap:asset_new") + f"?call={self.pk}",
        )
        return context
