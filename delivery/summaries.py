"""The officer summary of a service review (the spine's summary provider)."""

from django.db.models import Count, Prefetch, Q

from commissioning.charts import bar_chart
from commissioning.summaries import Figure, Summary, Table

from .models import Indicator, Reading, ReviewResponse, ReviewScore
from .selectors import indicator_chart, review_results


def review_summary(review):
    """The officer brief's view of a service review, beside the service's indicators."""
    totals = ReviewResponse.objects.filter(review=review).aggregate(
        total=Count("pk"),
        users=Count("pk", filter=Q(relationship__in=ReviewResponse.USER_RELATIONSHIPS)),
    )
    results = review_results(review=review)
    summary = Summary(engagement=review)
    summary.figures = [
        Figure("Reviews", str(totals["total"])),
        Figure(
            "From people who use the service or care for someone who does", str(totals["users"])
        ),
    ]
    if results:
        summary.charts.append(
            bar_chart(
                "Average score against each outcome (1 = much worse, 5 = much better)",
                [(r["outcome__title"], round(r["mean"], 1)) for r in results],
                columns=["Outcome", "Average score"],
            )
        )
        summary.tables.append(
            Table(
                caption="Scores against each outcome",
                columns=["Outcome", "Reviews", "1", "2", "3", "4", "5", "Average"],
                rows=[
                    [
                        r["outcome__title"],
                        r["n"],
                        r["s1"],
                        r["s2"],
                        r["s3"],
                        r["s4"],
                        r["s5"],
                        round(r["mean"], 2),
                    ]
                    for r in results
                ],
            )
        )
    summary.quotes = list(
        ReviewScore.objects.filter(review=review)
        .exclude(reason="")
        .order_by("-response__created_at", "-pk")
        .values_list("reason", flat=True)[:6]
    )
    if review.arrangement_id:
        indicators = (
            Indicator.objects.filter(commitment__arrangement_id=review.arrangement_id)
            .prefetch_related(
                Prefetch("readings", queryset=Reading.objects.order_by("measured_on", "pk"))
            )
            .order_by("measure", "pk")
        )
        summary.charts.extend(indicator_chart(indicator=i) for i in indicators)
    return summary
