from io import StringIO

from assetmap import demo
from assetmap.models import Asset, AssetCallPage, AssetMapPage, GroupMembership


def test_demo_loads_and_is_idempotent(home_page):
    from accounts import demo as accounts_demo
    from commissioning import demo as commissioning_demo

    out = StringIO()
    commissioning_demo.load(stdout=out)
    accounts_demo.load(stdout=out)
    demo.load(stdout=out)
    count = Asset.objects.count()
    assert count >= 300
    assert Asset.objects.awaiting_moderation().exists()
    assert AssetMapPage.objects.get().slug == "assets"
    assert GroupMembership.objects.filter(
        user__email="group@example.org", group__name="Fernhill Friends"
    ).exists()
    assert Asset.objects.filter(group__name="Fernhill Friends").count() >= 5
    # Every asset lies in the borough's box.
    from django.conf import settings

    box = settings.ASSETMAP_BOROUGH_BOUNDS
    assert not Asset.objects.exclude(
        latitude__gte=box["south"], latitude__lte=box["north"]
    ).exists()
    if AssetCallPage.objects.exists():
        assert AssetCallPage.objects.get().get_parent().slug == "day-opportunities"
    demo.load(stdout=out)
    assert Asset.objects.count() == count
