"""The officer brief: what a programme's participation adds up to.

Reads only. Counts are aggregated in the database; each engagement's own
summary comes through the registry in `commissioning.summaries`, so the
brief never imports an engagement app.
"""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db.models import Case, Count, IntegerField, Max, Min, Q, Value, When
from django.utils import timezone

from .charts import bar_chart
from .models import EngagementPage, HeardSummary, Participation, Ward
from .reach import GROUP_REACH_COLUMNS, group_reach, group_reach_table_rows, reach_actions
from .stages import STAGE_LABELS
from .summaries import Table, engagement_summary
from .themes.masking import mask_contact_details
from .themes.models import ThemeSet
from .themes.selectors import theme_rows

# A ward is flagged when its share of participants is below this fraction of
# its share of the population (e.g. 8% of residents but under 4% of people
# taking part).
UNDER_REPRESENTED = 0.5


@dataclass
class WardReach:
    ward: str
    participants: int
    participant_share: float
    population: int
    population_share: float

    @property
    def ratio(self):
        if not self.population_share:
            return None
        return self.participant_share / self.population_share

    @property
    def under_represented(self):
        return self.ratio is not None and self.ratio < UNDER_REPRESENTED


@dataclass
class ApprovedTheme:
    """A theme officers named, with how many responses it holds and typical quotes."""

    name: str
    count: int
    quotes: list
    engagement: object = None  # the engagement it came from, if one


@dataclass
class ThemeGroup:
    """The officer-approved themes of one theme set (an engagement, or a whole stage)."""

    title: str
    theme_set: object
    themes: list
    engagement: object = None


@dataclass
class Brief:
    programme: object
    stage: str
    total: int
    wants_feedback: int
    unknown_ward: int
    engagements: list
    reach: list
    over_time: object = None
    reach_chart: object = None
    summaries: list = field(default_factory=list)
    theme_groups: list = field(default_factory=list)
    heard_published: set = field(default_factory=set)
    group_reach: list = field(default_factory=list)

    @property
    def stage_label(self):
        return STAGE_LABELS.get(self.stage, "")

    @property
    def under_represented(self):
        return [row for row in self.reach if row.under_represented]

    def reach_table(self):
        return Table(
            caption="Reach by ward against population",
            columns=[
                "Ward",
                "Participants",
                "Share of participants (%)",
                "Population (16+)",
                "Share of population (%)",
                "Representation (1 = fair share)",
                "Under-represented",
            ],
            rows=[
                [
                    row.ward,
                    row.participants,
                    round(100 * row.participant_share, 1),
                    row.population,
                    round(100 * row.population_share, 1),
                    round(row.ratio, 2) if row.ratio is not None else "",
                    "Yes" if row.under_represented else "No",
                ]
                for row in self.reach
            ],
        )

    def themes_table(self):
        return Table(
            caption="Themes officers approved",
            columns=["Where", "Theme", "Responses", "What people said (masked)"],
            rows=[
                [group.title, theme.name, theme.count, " | ".join(theme.quotes)]
                for group in self.theme_groups
                for theme in group.themes
            ],
        )

    def group_reach_table(self):
        return Table(
            caption="Reach by group against population (groups under 5 suppressed)",
            columns=GROUP_REACH_COLUMNS,
            rows=group_reach_table_rows(self.group_reach),
        )

    @property
    def under_represented_groups(self):
        """Flagged groups, each with the registered actions to close the gap."""
        return [
            (row, reach_actions(programme=self.programme, stage=self.stage, gap=row))
            for row in self.group_reach
            if row.under_represented
        ]

    def tables(self):
        """Every data set of the brief that can be downloaded, by key."""
        return {
            "reach-by-ward": self.reach_table(),
            "reach-by-group": self.group_reach_table(),
            "themes": self.themes_table(),
        }


def _participations(programme, stage):
    participations = Participation.objects.filter(engagement__path__startswith=programme.path)
    if stage:
        participations = participations.filter(engagement__stage=stage)
    return participations


def _wards(programme):
    return list(programme.wards.all()) or list(Ward.objects.all())


def _reach(programme, participations):
    counts = dict(
        participations.filter(ward__isnull=False)
        .values_list("ward")
        .annotate(n=Count("pk"))
        .values_list("ward", "n")
    )
    wards = _wards(programme)
    # Participants from wards outside the programme's area still count.
    known = {ward.pk for ward in wards}
    wards += list(Ward.objects.filter(pk__in=set(counts) - known))
    total_participants = sum(counts.values())
    total_population = sum(ward.population for ward in wards if ward.pk in known) or 1
    rows = []
    for ward in sorted(wards, key=lambda w: w.name):
        n = counts.get(ward.pk, 0)
        rows.append(
            WardReach(
                ward=ward.name,
                participants=n,
                participant_share=n / total_participants if total_participants else 0.0,
                population=ward.population,
                population_share=ward.population / total_population if ward.pk in known else 0.0,
            )
        )
    return rows


def _week_starts(first, last):
    """Every Monday 00:00 (local time) from the week of `first` to `last`."""
    zone = timezone.get_current_timezone()
    day = timezone.localtime(first, zone).date()
    monday = day - timedelta(days=day.weekday())
    starts = []
    while (start := datetime.combine(monday, time.min, tzinfo=zone)) <= last:
        starts.append(start)
        monday += timedelta(days=7)
    return starts


def weekly_counts(participations):
    """[(week beginning, people taking part)] for the weeks anyone took part.

    Each participation's week is found by comparing it with the weeks'
    boundaries (a CASE), not by truncating its date: SQLite truncates dates
    with a Python function called once a row, which took two of the brief's
    three seconds at 100,000 participations. Two queries.
    """
    span = participations.aggregate(first=Min("created_at"), last=Max("created_at"))
    if span["first"] is None:
        return []
    starts = _week_starts(span["first"], span["last"])
    week = Case(
        *[When(created_at__lt=start, then=Value(n)) for n, start in enumerate(starts[1:])],
        default=Value(len(starts) - 1),
        output_field=IntegerField(),
    )
    rows = (
        participations.annotate(week=week)
        .values("week")
        .annotate(n=Count("pk"))
        .order_by("week")
        .values_list("week", "n")
    )
    return [(starts[week], n) for week, n in rows]


def _approved(theme_set, engagement=None):
    return [
        ApprovedTheme(
            name=row.name,
            count=row.responses,
            quotes=[mask_contact_details(quote) for quote in row.quotes],
            engagement=engagement,
        )
        for row in theme_rows(theme_set)
    ]


def approved_theme_groups(*, programme, engagements, stage="", stage_sets=True):
    """Officers' themes: each engagement's set, then the programme's stage sets."""
    by_pk = {engagement.pk: engagement for engagement in engagements}
    wanted = Q(engagement_id__in=list(by_pk))
    if stage_sets:
        wanted |= Q(programme=programme) & (Q(stage=stage) if stage else Q())
    sets = ThemeSet.objects.filter(wanted).order_by("pk")
    groups = []
    for theme_set in sets:
        engagement = by_pk.get(theme_set.engagement_id)
        if engagement is not None:
            title = engagement.title
        else:
            title = f"Every engagement of the stage “{theme_set.stage_label}”"
        themes = _approved(theme_set, engagement)
        if themes:
            groups.append(ThemeGroup(title, theme_set, themes, engagement))
    order = {pk: n for n, pk in enumerate(by_pk)}
    groups.sort(key=lambda g: order.get(g.theme_set.engagement_id, len(order)))
    return groups


def programme_brief(*, programme, stage=""):
    """Everything the officer brief shows for `programme` (optionally one stage)."""
    participations = _participations(programme, stage)
    totals = participations.aggregate(
        total=Count("pk"),
        wants_feedback=Count("pk", filter=Q(wants_feedback=True)),
        unknown_ward=Count("pk", filter=Q(ward__isnull=True)),
    )
    engagements = EngagementPage.objects.child_of(programme).order_by("opens_at", "pk")
    if stage:
        engagements = engagements.filter(stage=stage)
    engagements = list(engagements.annotate(participants=Count("participations", distinct=True)))
    weekly = weekly_counts(participations)
    reach = _reach(programme, participations)
    brief = Brief(
        programme=programme,
        stage=stage,
        total=totals["total"],
        wants_feedback=totals["wants_feedback"],
        unknown_ward=totals["unknown_ward"],
        engagements=engagements,
        reach=reach,
    )
    if weekly:
        brief.over_time = bar_chart(
            "People taking part each week",
            [(f"w/c {week:%-d %b %Y}", n) for week, n in weekly],
            columns=["Week beginning", "People taking part"],
        )
    if brief.total:
        brief.reach_chart = bar_chart(
            "Representation by ward (1 = a fair share of participants for its population)",
            [(row.ward, round(row.ratio, 2) if row.ratio is not None else 0) for row in reach],
            columns=["Ward", "Representation"],
            description="Wards below 0.5 are under-represented; the table gives the counts.",
        )
    brief.group_reach = group_reach(participations=participations, wards=_wards(programme))
    brief.heard_published = set(
        HeardSummary.objects.published()
        .filter(engagement__in=[e.pk for e in engagements])
        .values_list("engagement_id", flat=True)
    )
    brief.theme_groups = approved_theme_groups(
        programme=programme, engagements=engagements, stage=stage
    )
    brief.summaries = [
        summary for summary in (engagement_summary(e) for e in engagements) if summary is not None
    ]
    return brief
