"""The officer summary of an asset call (declared in the manifest, read by the spine)."""

from django.db.models import Count

from commissioning.charts import bar_chart
from commissioning.summaries import Figure, Summary, Table

from .models import Asset
from .selectors import call_counts


def asset_call_summary(call):
    counts = call_counts(call=call)
    by_category = list(
        Asset.objects.filter(call=call)
        .exclude(status=Asset.DRAFT)
        .values("category__name")
        .annotate(n=Count("id"))
        .order_by("-n", "category__name")
    )
    by_ward = list(
        Asset.objects.filter(call=call)
        .exclude(status=Asset.DRAFT)
        .values("ward__name")
        .annotate(n=Count("id"))
        .order_by("ward__name")
    )
    summary = Summary(
        engagement=call,
        figures=[
            Figure("Assets submitted", f"{counts['submitted']:,}"),
            Figure("Published", f"{counts['published']:,}"),
            Figure("Awaiting moderation", f"{counts['pending']:,}"),
        ],
    )
    if by_category:
        summary.charts.append(
            bar_chart(
                "Assets submitted by category",
                [(row["category__name"], row["n"]) for row in by_category],
                columns=["Category", "Assets"],
            )
        )
    summary.tables.append(
        Table(
            caption="Assets submitted by ward",
            columns=["Ward", "Assets"],
            rows=[[row["ward__name"], row["n"]] for row in by_ward],
        )
    )
    return summary
