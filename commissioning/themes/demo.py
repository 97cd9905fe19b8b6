"""Demo: officer-named themes on the closed budget conversation and consultation.

Runs after the engagement apps have loaded (INSTALLED_APPS order). The
engagements are found by slug, so the spine imports none of their apps.
Idempotent: themes are added by name, suggestions only once.
"""

from .models import Assignment, ThemeSet
from .scopes import themed_engagements
from .services import (
    response_move,
    theme_add,
    theme_set_for,
    themes_map,
    themes_propose_execute,
    themes_propose_start,
)

DEMO_THEMES = {
    "budget-2026-27": [
        ("Transport to day services", "minibus, bus routes, long journeys, drivers, escorts"),
        ("Shared Lives and carers", "Shared Lives carers, respite, training, residential places"),
        ("Keep libraries open", "library, mobile library, opening hours, warm place, books"),
        ("Garden waste charge", "bins, garden waste, charge, stealth tax, pensioners"),
        ("Early help for families", "early help, family hub, children, saved our family"),
        ("Talking to someone in person", "website, phone line, appointments, in person"),
        (
            "Other ways to save",
            "share services, sell buildings, sponsors, allowances, LED street lights",
        ),
    ],
    "what-matters-in-day-opportunities": [
        ("Friends and time together", "friends, lunch together, allotment, music, singing"),
        ("Work and everyday skills", "paid work, café, learning to cook, travel on my own"),
        ("Getting out and about", "swimming, art, going into town, not the same room all day"),
        ("Staff, routine and transport", "staff who know him, routine, transport on time"),
    ],
}


# Responses an officer moved after reading the first mapping: (start of the
# text, theme).
DEMO_CORRECTIONS = {
    "budget-2026-27": [
        ("Sell the empty depot", "Other ways to save"),
        ("Share back-office services", "Other ways to save"),
        ("Ask local businesses to sponsor", "Other ways to save"),
        ("Growth is right here", "Early help for families"),
        ("Half-empty minibuses", "Transport to day services"),
        ("£52 is reasonable", "Garden waste charge"),
    ],
}


def load(*, stdout):
    # Themes load after every engagement app (INSTALLED_APPS order) and before
    # the spine's finish() publishes "what we heard" from them.
    engagements = themed_engagements().filter(slug__in=DEMO_THEMES).order_by("pk")
    for engagement in engagements:
        theme_set = theme_set_for(engagement=engagement)
        if theme_set.proposed_at is None and theme_set.status != ThemeSet.RUNNING:
            themes_propose_start(theme_set=theme_set, user=None)
            themes_propose_execute(theme_set_id=theme_set.pk)  # no-op if the task ran it
        existing = {name.lower() for name in theme_set.themes.values_list("name", flat=True)}
        for name, words in DEMO_THEMES[engagement.slug]:
            if name.lower() not in existing:
                theme_add(theme_set=theme_set, user=None, name=name, words=words)
        theme_set.refresh_from_db()
        if not theme_set.assignments.exists():  # mapped once: a second load changes nothing
            themes_map(theme_set=theme_set)
        _correct(theme_set, DEMO_CORRECTIONS.get(engagement.slug, []))
        stdout.write(f"themes: {theme_set.themes.count()} named themes on “{engagement.title}”.\n")


def _correct(theme_set, corrections):
    """Move the responses an officer corrected (once: corrections are kept)."""
    if theme_set.corrections.exists():
        return
    themes = {theme.name: theme for theme in theme_set.themes.all()}
    for start, name in corrections:
        assignment = (
            Assignment.objects.filter(theme_set=theme_set, text__startswith=start)
            .order_by("pk")
            .first()
        )
        if assignment is not None and name in themes:
            response_move(assignment=assignment, theme=themes[name], user=None)
