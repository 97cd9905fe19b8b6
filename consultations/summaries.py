"""The officer summary of a consultation (the spine's summary provider)."""

from dataclasses import replace

from commissioning.summaries import Figure, Summary

from .models import Answer
from .selectors import consultation_results, equality_respondents, equality_summary


def consultation_summary(consultation):
    """The officer summary (commissioning.summaries provider)."""
    results = consultation_results(consultation=consultation)
    totals = results["totals"]
    summary = Summary(
        engagement=consultation,
        figures=[
            Figure("Responses", f"{totals['total']:,}"),
            Figure("Online", f"{totals['online']:,}"),
            Figure("On paper", f"{totals['paper']:,}"),
        ],
    )
    for result in results["questions"]:
        if result.chart is not None:
            summary.charts.append(result.chart)
    if consultation.equality_monitoring:
        # Reach by demographic group, for the officer brief (officers only).
        summary.figures.append(
            Figure(
                "Answered equality monitoring",
                f"{equality_respondents(consultation=consultation):,}",
            )
        )
        summary.tables += [
            replace(table, caption=f"Who responded (equality monitoring): {table.caption}")
            for table in equality_summary(consultation=consultation)
        ]
    free_text = [q.id for q in consultation.questionnaire.questions if q.quotable]
    if free_text:
        summary.quotes = list(
            Answer.objects.filter(consultation=consultation, question_id__in=free_text)
            .exclude(text="")
            .order_by("-id")
            .values_list("text", flat=True)[:5]
        )
    return summary
