"""Snippets: editorial objects reused across programmes.

They are snippets rather than pages because they have no page of their own
and are chosen from many places (programmes, assets, panels, reports).
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from commissioning.admin_forms import WardAdminForm, ward_demographics_panels
from commissioning.demographics import validate_shares

POSTCODE_RE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$")


def normalise_postcode(value):
    """'aw1  2ab' -> 'AW1 2AB'; raises ValidationError if it is not a UK postcode."""
    compact = re.sub(r"\s+", "", (value or "").upper())
    match = POSTCODE_RE.match(compact)
    if not match:
        raise ValidationError("Enter a full UK postcode, like AW1 2AB.", code="invalid_postcode")
    return f"{match.group(1)} {match.group(2)}"


class WardQuerySet(models.QuerySet):
    def for_postcode(self, postcode):
        """The ward whose longest postcode prefix matches, or None.

        Wards are few (tens), so matching in Python over one query is cheaper
        than a prefix index.
        """
        postcode = normalise_postcode(postcode)
        best, best_len = None, 0
        for ward in self.only("id", "name", "slug", "postcode_prefixes"):
            for prefix in ward.prefixes:
                if postcode.startswith(prefix) and len(prefix) > best_len:
                    best, best_len = ward, len(prefix)
        return best


class Ward(index.Indexed, models.Model):
    """An electoral ward of the borough, with its population for reach comparisons."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    postcode_prefixes = models.TextField(
        help_text="Postcode districts or sectors in this ward, one per line or comma-separated "
        "(e.g. “AW1 2”, “AW3”). The longest matching prefix wins.",
    )
    population = models.PositiveIntegerField(help_text="Residents aged 16 and over.")
    demographics = models.JSONField(
        default=dict,
        blank=True,
        help_text="Population shares by attribute, e.g. "
        '{"age_band": {"16-24": 0.14, …}, "gender": {…}}; each attribute adds up to 1.',
    )

    objects = WardQuerySet.as_manager()

    base_form_class = WardAdminForm
    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("postcode_prefixes"),
        FieldPanel("population"),
        *ward_demographics_panels(),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("postcode_prefixes"),
        index.AutocompleteField("postcode_prefixes"),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def prefixes(self):
        return [p.strip().upper() for p in re.split(r"[,\n]", self.postcode_prefixes) if p.strip()]

    def clean(self):
        problems = validate_shares(self.demographics)
        if problems:
            raise ValidationError({"demographics": problems})
        for prefix in self.prefixes:
            if not re.match(r"^[A-Z]{1,2}[0-9][A-Z0-9]?( [0-9])?$", prefix):
                raise ValidationError(
                    {"postcode_prefixes": f"“{prefix}” is not a postcode district or sector."}
                )


class Outcome(index.Indexed, models.Model):
    """A result the council wants for residents, e.g. "Fewer people socially isolated"."""

    title = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)

    panels = [FieldPanel("title"), FieldPanel("description")]
    search_fields = [
        index.SearchField("title"),
        index.AutocompleteField("title"),
        index.SearchField("description"),
    ]

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title


class SocialValueCriterion(index.Indexed, models.Model):
    """A social value a provider can be asked to deliver, beyond cost."""

    THEMES = [
        ("jobs", "Jobs and skills"),
        ("growth", "Local economy"),
        ("social", "Stronger communities"),
        ("environment", "Environment"),
        ("innovation", "Innovation"),
    ]

    title = models.CharField(max_length=200, unique=True)
    theme = models.CharField(max_length=20, choices=THEMES)
    description = models.TextField(blank=True)
    measure = models.CharField(
        max_length=200, blank=True, help_text="How it is measured, e.g. “hours per year”."
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("theme"),
        FieldPanel("description"),
        FieldPanel("measure"),
    ]
    search_fields = [
        index.SearchField("title"),
        index.AutocompleteField("title"),
        index.SearchField("description"),
        index.FilterField("theme"),
    ]

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "social value criteria"

    def __str__(self):
        return self.title


class AssetCategory(index.Indexed, models.Model):
    """A kind of community strength on the asset map (e.g. "Green spaces")."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "asset categories"

    def __str__(self):
        return self.name
