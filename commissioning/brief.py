"""The officer brief: what a programme's participation adds up to.

Reads only. Counts are aggregated in the database; each engagement's own
summary comes through the registry in `commissioning.summaries`, so the
brief never imports an engagement app.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import TruncWeek

from .charts import bar_chart
from .models import EngagementPage, Participation, Ward
from .stages import STAGE_LABELS
from .summaries import Table, engagement_summary

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


def _participations(programme, stage):
    participations = Participation.objects.filter(engagement__path__startswith=programme.path)
    if stage:
        participations = participations.filter(engagement__stage=stage)
    return participations


def _reach(programme, participations):
    counts = dict(
        participations.filter(ward__isnull=False)
        .values_list("ward")
        .annotate(n=Count("pk"))
        .values_list("ward", "n")
    )
    wards = list(programme.wards.all()) or list(Ward.objects.all())
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
    weekly = list(
        participations.annotate(week=TruncWeek("created_at"))
        .values("week")
        .annotate(n=Count("pk"))
        .order_by("week")
        .values_list("week", "n")
    )
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
    brief.summaries = [
        summary for summary in (engagement_summary(e) for e in engagements) if summary is not None
    ]
    return brief
