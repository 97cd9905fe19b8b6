"""The panel's summary for the officer brief (see `commissioning.summaries`)."""

from django.db.models import Count, Q

from commissioning.summaries import Figure, Summary, Table

from .charts import results_chart
from .models import Application, LotteryRun
from .selectors import appraisal_results


def panel_summary(panel):
    counts = Application.objects.filter(panel=panel).aggregate(
        applied=Count("pk"), members=Count("pk", filter=Q(status=Application.SELECTED))
    )
    figures = [
        Figure("Applications", f"{counts['applied']:,}"),
        Figure("Members", f"{counts['members']} of {panel.seats} seats"),
    ]
    run = LotteryRun.objects.filter(
        panel=panel, kind=LotteryRun.DRAW, status=LotteryRun.COMPLETED
    ).first()
    if run is not None:
        figures.append(Figure("Draw", f"{run.algorithm_used_label}, seed {run.seed}"))
        figures.append(Figure("Lowest chance of selection", f"{run.min_probability:.1%}"))
    appraisal = appraisal_results(panel=panel)
    scored = [r for r in appraisal["results"] if r.weighted_mean is not None]
    summary = Summary(engagement=panel, figures=figures)
    if scored:
        summary.charts.append(results_chart(scored))
        summary.tables.append(
            Table(
                caption="Options appraisal",
                columns=["Rank", "Option", "Weighted mean", "Spread", "Agreement"],
                rows=[
                    [
                        r.rank,
                        r.option.title,
                        round(r.weighted_mean, 2),
                        round(r.spread, 2),
                        f"{r.agreement:.0%}",
                    ]
                    for r in scored
                ],
            )
        )
    return summary
