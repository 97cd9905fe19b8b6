"""Reads for the public progress pages, the programme page, open data and the brief.

Every function runs a fixed number of queries whatever the number of
commitments, updates, indicators or readings: relations are joined or
prefetched once for the whole list, and counts are aggregated in the database.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, Prefetch, Q
from django.utils import timezone

from commissioning.charts import bar_chart
from commissioning.summaries import Table
from coproduce.cache import GENERATION_KEY, remembered

from .models import (
    Commitment,
    CommitmentUpdate,
    DeliveryArrangement,
    Indicator,
    Reading,
    ReviewDecision,
    ReviewScore,
)
from .models.commitments import STATUS_TAGS, STATUSES


def _number(value):
    if value is None:
        return ""
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def _with_unit(value, unit):
    value = _number(value)
    if value == "":
        return ""
    if unit == "%":
        return f"{value}%"
    if unit == "£":
        return f"£{value:,}"
    return f"{value:,} {unit}".strip()


def indicator_chart(*, indicator):
    """Baseline, each reading and the target as bars, with the same figures as a table.

    Reads `indicator.readings.all()`, so a prefetch serves it.
    """
    rows = []
    if indicator.baseline is not None:
        when = f" ({indicator.baseline_on:%b %Y})" if indicator.baseline_on else ""
        rows.append((f"Baseline{when}", _number(indicator.baseline)))
    for reading in indicator.readings.all():
        rows.append((f"{reading.measured_on:%-d %b %Y}", _number(reading.value)))
    by = f" by {indicator.target_on:%b %Y}" if indicator.target_on else ""
    rows.append((f"Target{by}", _number(indicator.target)))
    unit = indicator.unit if indicator.unit in ("%", "£") else ""
    return bar_chart(
        f"{indicator.measure} ({indicator.unit})",
        rows,
        unit=unit,
        columns=["When", f"Value ({indicator.unit})"],
        description=f"The baseline, each reading and the target for {indicator.measure}.",
    )


@dataclass
class IndicatorRow:
    indicator: Indicator
    measures: str
    latest: object
    chart: object

    @property
    def latest_text(self):
        if self.latest is None:
            return "No readings yet"
        return f"{_with_unit(self.latest.value, self.indicator.unit)} on {self.latest.measured_on:%-d %B %Y}"

    @property
    def target_text(self):
        by = f" by {self.indicator.target_on:%-d %B %Y}" if self.indicator.target_on else ""
        return _with_unit(self.indicator.target, self.indicator.unit) + by

    @property
    def baseline_text(self):
        return _with_unit(self.indicator.baseline, self.indicator.unit)


@dataclass
class CommitmentRow:
    commitment: Commitment
    programme_title: str
    programme_url: str
    decision_title: str
    decision_url: str
    theme: str
    engagement_title: str
    engagement_url: str
    arrangement: object
    outcomes: list
    criteria: list
    wards: list
    timeline: list
    indicators: list = field(default_factory=list)
    overdue: bool = False


def _read_filter_choices():
    from commissioning.models import Outcome, ProgrammePage, Ward

    return {
        "programme": list(
            ProgrammePage.objects.live().order_by("title", "pk").values_list("slug", "title")
        ),
        "ward": list(Ward.objects.order_by("name", "pk").values_list("slug", "name")),
        "outcome": list(Outcome.objects.order_by("title", "pk").values_list("pk", "title")),
    }


def filter_choices():
    """The progress filters' programmes, wards and outcomes as (value, label) lists."""
    return remembered(GENERATION_KEY, "delivery:progress-filter-choices", _read_filter_choices)


def progress_commitments(*, programme=None, ward=None, outcome=None, status=""):
    """Public commitments, filtered, in a total order (a queryset)."""
    commitments = Commitment.objects.public()
    if programme is not None:
        commitments = commitments.filter(programme=programme)
    if ward is not None:
        commitments = commitments.for_ward(ward)
    if outcome is not None:
        commitments = commitments.filter(outcomes=outcome)
    if status:
        commitments = commitments.filter(status=status)
    return commitments.order_by("programme__title", "due_on", "pk")


def _prefetched(commitments):
    readings = Reading.objects.order_by("measured_on", "pk")
    indicators = Indicator.objects.select_related(
        "outcome", "social_value_criterion"
    ).prefetch_related(Prefetch("readings", queryset=readings))
    return commitments.select_related(
        "programme", "decision", "decision_item__engagement", "arrangement"
    ).prefetch_related(
        "outcomes",
        "social_value_criteria",
        "wards",
        Prefetch("updates", queryset=CommitmentUpdate.objects.order_by("happened_on", "pk")),
        Prefetch("indicators", queryset=indicators.order_by("measure", "pk")),
    )


def _url(page, request):
    if page is None or not page.live:
        return ""
    return page.get_url(request=request) or ""


def commitment_rows(*, commitments, request, today=None, charts=True):
    """CommitmentRows for a page of commitments (a fixed number of queries)."""
    today = today or timezone.localdate()
    rows = []
    for commitment in _prefetched(commitments):
        item = commitment.decision_item
        engagement = item.engagement if item else None
        indicators = []
        for indicator in commitment.indicators.all():
            readings = list(indicator.readings.all())
            indicators.append(
                IndicatorRow(
                    indicator=indicator,
                    measures=str(indicator.measures or ""),
                    latest=readings[-1] if readings else None,
                    chart=indicator_chart(indicator=indicator) if charts else None,
                )
            )
        rows.append(
            CommitmentRow(
                commitment=commitment,
                programme_title=commitment.programme.title,
                programme_url=_url(commitment.programme, request),
                decision_title=commitment.decision.title if commitment.decision else "",
                decision_url=_url(commitment.decision, request),
                theme=item.theme if item else "",
                engagement_title=engagement.title if engagement else "",
                engagement_url=_url(engagement, request),
                arrangement=commitment.arrangement,
                outcomes=list(commitment.outcomes.all()),
                criteria=list(commitment.social_value_criteria.all()),
                wards=list(commitment.wards.all()),
                timeline=list(commitment.updates.all()),
                indicators=indicators,
                overdue=commitment.is_overdue(today),
            )
        )
    return rows


def progress_status_counts(*, commitments, filters):
    """`status_counts` of the progress page's commitments, once per content generation.

    `filters` are what `commitments` were filtered by (`progress_commitments`'
    arguments), which name the answer.
    """
    named = "&".join(f"{k}={getattr(v, 'pk', v)}" for k, v in sorted(filters.items()))
    return remembered(
        GENERATION_KEY,
        f"delivery:progress-counts:{named}",
        lambda: status_counts(commitments=commitments),
    )


def status_counts(*, commitments):
    """Each status with its label, tag and count, counted in the database."""
    counts = commitments.order_by().aggregate(
        **{key: Count("pk", filter=Q(status=key), distinct=True) for key, _ in STATUSES}
    )
    return [
        {"key": key, "label": label, "tag": STATUS_TAGS[key], "count": counts[key]}
        for key, label in STATUSES
    ]


# The programme page


def programme_delivery_section(*, programme, request):
    """Delivery on the programme page: arrangements, commitments, review decisions."""
    commitments = progress_commitments(programme=programme)
    arrangements = list(
        DeliveryArrangement.objects.filter(programme=programme)
        .select_related("decision")
        .prefetch_related("social_value_criteria")
        .order_by("service", "pk")
    )
    rows = commitment_rows(commitments=commitments, request=request)
    decisions = list(
        ReviewDecision.objects.filter(programme=programme)
        .select_related("arrangement")
        .order_by("-decided_on", "-pk")
    )
    if not (rows or arrangements or decisions):
        return None
    counts = status_counts(commitments=commitments) if rows else []
    return {
        "template": "delivery/programme_section.html",
        "programme": programme,
        "arrangements": arrangements,
        "rows": rows,
        "counts": counts,
        "review_decisions": decisions,
    }


# Open data


OPEN_DATA_COLUMNS = [
    "id",
    "programme",
    "commitment",
    "who is responsible",
    "due by",
    "status",
    "reason for the change",
    "progress (%)",
    "you said, we did",
    "engagement",
    "decision",
    "delivered through",
    "outcomes",
    "social value",
    "wards",
    "last updated",
]


def commitments_table(*, rows):
    return Table(
        caption="What we said we would do",
        columns=OPEN_DATA_COLUMNS,
        rows=[
            [
                row.commitment.pk,
                row.programme_title,
                row.commitment.title,
                row.commitment.responsible,
                row.commitment.due_on.isoformat(),
                row.commitment.status_label,
                row.commitment.status_reason,
                row.commitment.progress,
                row.theme,
                row.engagement_title,
                row.decision_title,
                str(row.arrangement or ""),
                "; ".join(o.title for o in row.outcomes),
                "; ".join(c.title for c in row.criteria),
                "; ".join(w.name for w in row.wards) or "Whole programme area",
                (row.timeline[-1].happened_on.isoformat() if row.timeline else ""),
            ]
            for row in rows
        ],
    )


def _absolute(request, url):
    return request.build_absolute_uri(url) if url else None


def commitments_json(*, rows, request):
    def indicator(item):
        i = item.indicator
        return {
            "reference": i.reference,
            "measure": i.measure,
            "unit": i.unit,
            "measures": item.measures,
            "baseline": _number(i.baseline) if i.baseline is not None else None,
            "baseline_on": i.baseline_on.isoformat() if i.baseline_on else None,
            "target": _number(i.target),
            "target_on": i.target_on.isoformat() if i.target_on else None,
            "readings": [
                {"date": r.measured_on.isoformat(), "value": _number(r.value), "note": r.note}
                for r in i.readings.all()
            ],
        }

    return {
        "title": "What we said we would do",
        "generated_at": timezone.now().isoformat(),
        "commitments": [
            {
                "id": row.commitment.pk,
                "title": row.commitment.title,
                "description": row.commitment.description,
                "responsible": row.commitment.responsible,
                "due_on": row.commitment.due_on.isoformat(),
                "status": row.commitment.status,
                "status_label": row.commitment.status_label,
                "status_reason": row.commitment.status_reason,
                "progress": row.commitment.progress,
                "programme": {
                    "title": row.programme_title,
                    "url": _absolute(request, row.programme_url),
                },
                "decision": {
                    "title": row.decision_title,
                    "url": _absolute(request, row.decision_url),
                },
                "you_said_we_did": row.theme,
                "engagement": {
                    "title": row.engagement_title,
                    "url": _absolute(request, row.engagement_url),
                },
                "delivered_through": _arrangement_json(row.arrangement),
                "outcomes": [o.title for o in row.outcomes],
                "social_value": [c.title for c in row.criteria],
                "wards": [w.name for w in row.wards],
                "timeline": [
                    {
                        "date": u.happened_on.isoformat(),
                        "kind": u.get_kind_display(),
                        "status": u.status_label,
                        "previous_status": u.previous_status_label or None,
                        "progress": u.progress,
                        "text": u.text,
                    }
                    for u in row.timeline
                ],
                "indicators": [indicator(item) for item in row.indicators],
            }
            for row in rows
        ],
    }


def _arrangement_json(arrangement):
    if arrangement is None:
        return None
    return {
        "service": arrangement.service,
        "provider": arrangement.provider_name,
        "delivery_model": arrangement.get_delivery_model_display(),
        "agreement": arrangement.get_agreement_display(),
        "starts_on": arrangement.starts_on.isoformat() if arrangement.starts_on else None,
        "ends_on": arrangement.ends_on.isoformat() if arrangement.ends_on else None,
        "annual_value": arrangement.annual_value,
    }


# Service reviews


def review_results(*, review):
    """Per outcome: responses, mean score and the count of each score (one query)."""
    aggregates = {f"s{n}": Count("pk", filter=Q(score=n)) for n in range(1, 6)}
    return list(
        ReviewScore.objects.filter(review=review)
        .values("outcome_id", "outcome__title")
        .annotate(n=Count("pk"), mean=Avg("score"), **aggregates)
        .order_by("outcome__title", "outcome_id")
    )
