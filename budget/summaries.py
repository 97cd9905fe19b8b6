"""The officer summary of a budget conversation (the spine's summary provider)."""

from django.db.models import Count, Q

from commissioning.summaries import Figure, Summary

from .masking import mask_contact_details
from .models import BudgetResponse, Comment
from .selectors import conversation_results


def budget_summary(conversation):
    """The officer summary of a conversation (registered with the spine)."""
    results = conversation_results(conversation=conversation)
    channels = results["channels"]
    comments = Comment.objects.filter(conversation=conversation).aggregate(
        total=Count("id"), pending=Count("id", filter=Q(status=Comment.PENDING))
    )
    quotes = [
        mask_contact_details(text)
        for text in Comment.objects.visible()
        .filter(conversation=conversation)
        .order_by("-created_at", "-pk")
        .values_list("text", flat=True)[:5]
    ]
    return Summary(
        engagement=conversation,
        figures=[
            Figure("Participants", f"{results['participants']:,}"),
            Figure("Online responses", f"{channels.get(BudgetResponse.WEB, 0):,}"),
            Figure("Paper responses", f"{channels.get(BudgetResponse.PAPER, 0):,}"),
            Figure("Comments", f"{comments['total']:,}"),
            Figure("Comments waiting for moderation", f"{comments['pending']:,}", public=False),
        ],
        charts=[*results["charts"], *results["line_charts"]],
        quotes=quotes,
        tables=[results["line_table"]],
    )
