"""Free text for the spine's themes: published comments and alternative suggestions."""

from commissioning.themes.sources import TextItem


def budget_texts(conversation):
    """Plain values, not Comment objects: a closed conversation can have tens of thousands."""
    from .models import Comment

    rows = (
        Comment.objects.visible()
        .filter(conversation=conversation)
        .order_by("pk")
        .values_list("pk", "text", "proposal_id", "proposal__title")
    )
    for pk, text, proposal_id, title in rows.iterator(chunk_size=5000):
        context = f"Comment on “{title}”" if proposal_id else "Alternative suggestion"
        yield TextItem(key=f"budget.comment:{pk}", text=text, context=context)
