"""Free text for the spine's themes: descriptions of the published assets a call brought."""

from commissioning.themes.sources import TextItem


def asset_call_texts(call):
    from .models import Asset

    assets = (
        Asset.objects.published()
        .filter(call=call)
        .order_by("pk")
        .values_list("pk", "name", "description")
    )
    for pk, name, description in assets:
        yield TextItem(key=f"assetmap.asset:{pk}", text=description, context=name)
