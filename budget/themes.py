"""Free text for the spine's themes: published comments and alternative suggestions."""

from commissioning.themes.sources import TextItem


def budget_texts(conversation):
    from .models import Comment

    comments = (
        Comment.objects.visible()
        .filter(conversation=conversation)
        .select_related("proposal")
        .order_by("pk")
    )
    for comment in comments:
        context = (
            f"Comment on “{comment.proposal.title}”"
            if comment.proposal_id
            else "Alternative suggestion"
        )
        yield TextItem(key=f"budget.comment:{comment.pk}", text=comment.text, context=context)
