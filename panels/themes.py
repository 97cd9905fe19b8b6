"""Free text for the spine's themes: the rationales members give for their scores."""

from commissioning.themes.sources import TextItem


def panel_texts(panel):
    from .models import Score

    scores = (
        Score.objects.filter(option__panel=panel)
        .exclude(rationale="")
        .order_by("pk")
        .values_list("pk", "rationale", "option__title", "criterion__title")
    )
    for pk, rationale, option, criterion in scores:
        yield TextItem(key=f"panels.score:{pk}", text=rationale, context=f"{option} · {criterion}")
