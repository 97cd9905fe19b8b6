"""The appraisal chart, through the spine's SVG charts (with their data table)."""

from commissioning.charts import bar_chart


def results_chart(results):
    rows = [
        (r.option.title, round(r.weighted_mean, 2)) for r in results if r.weighted_mean is not None
    ]
    return bar_chart(
        "Weighted mean score by option (0 to 5)",
        rows,
        description="Each option's score, averaged over members and weighted by criterion.",
        columns=["Option", "Weighted mean score"],
    )
