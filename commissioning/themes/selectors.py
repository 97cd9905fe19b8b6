"""Reads for the themes pages and export: counts in the database, quotes by window."""

from django.db.models import Count, F, OuterRef, Q, Subquery, Window
from django.db.models.functions import RowNumber

from .models import Assignment

QUOTES_PER_THEME = 3
LOW_CONFIDENCE_SHOWN = 50


def theme_rows(theme_set):
    """The officers' themes with counts and their most typical quotes (3 queries)."""
    themes = list(
        theme_set.themes.annotate(
            responses=Count("assignments", distinct=True),
            corrected=Count("assignments", filter=Q(assignments__corrected=True), distinct=True),
        ).order_by("-responses", "name", "pk")
    )
    quotes = _quotes(theme_set, [theme.pk for theme in themes])
    for theme in themes:
        theme.quotes = quotes.get(theme.pk, [])
    return themes


def _quotes(theme_set, theme_ids):
    """Most similar responses per theme; a campaign quoted once."""
    if not theme_ids:
        return {}
    ranked = (
        Assignment.objects.filter(theme_set=theme_set, theme_id__in=theme_ids)
        .filter(Q(campaign__isnull=True) | Q(pk=Subquery(_first_of_campaign())))
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("theme_id")],
                order_by=[F("corrected").desc(), F("similarity").desc(), F("pk").asc()],
            )
        )
        .filter(rank__lte=QUOTES_PER_THEME)
        .order_by("theme_id", "rank")
        .values_list("theme_id", "text")
    )
    quotes = {}
    for theme_id, text in ranked:
        quotes.setdefault(theme_id, []).append(text)
    return quotes


def _first_of_campaign():
    return (
        Assignment.objects.filter(campaign_id=OuterRef("campaign_id"))
        .order_by("pk")
        .values("pk")[:1]
    )


def set_totals(theme_set):
    return theme_set.assignments.aggregate(
        responses=Count("pk"),
        other=Count("pk", filter=Q(theme__isnull=True)),
        low=Count("pk", filter=Q(low_confidence=True, corrected=False)),
        corrected=Count("pk", filter=Q(corrected=True)),
    )


def low_confidence(theme_set):
    return (
        theme_set.assignments.low_confidence()
        .select_related("theme", "campaign")
        .order_by("confidence", "pk")[:LOW_CONFIDENCE_SHOWN]
    )


def campaigns(theme_set):
    theme_name = Assignment.objects.filter(campaign_id=OuterRef("pk")).order_by("pk")
    return theme_set.campaigns.annotate(
        theme_name=Subquery(theme_name.values("theme__name")[:1])
    ).order_by("-size", "pk")


def responses(theme_set, which):
    """Responses of one theme ("<id>"), of "other" or of "low" confidence."""
    assignments = theme_set.assignments.select_related("theme", "campaign")
    if which == "other":
        assignments = assignments.other()
    elif which == "low":
        assignments = assignments.low_confidence()
    else:
        assignments = assignments.filter(theme_id=which)
    return assignments.order_by("-corrected", "-similarity", "pk")


def export_rows(theme_set):
    """Every response with its theme, for the CSV download (masked text)."""
    rows = (
        theme_set.assignments.select_related("theme", "campaign")
        .order_by(F("theme__name").asc(nulls_last=True), "source_key", "pk")
        .iterator(chunk_size=2000)
    )
    for a in rows:
        yield [
            a.theme_label,
            a.text,
            a.context,
            round(a.confidence, 2),
            "Yes" if a.corrected else "No",
            "Yes" if a.low_confidence else "No",
            a.campaign.size if a.campaign_id else "",
        ]


EXPORT_COLUMNS = [
    "Theme",
    "Response",
    "Where",
    "Confidence (0 to 1)",
    "Placed by an officer",
    "Needs checking",
    "Campaign size",
]
