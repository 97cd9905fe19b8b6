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
    # The map is in the header's navigation, once.
    from wagtail.models import Site

    from coproduce.models import NavigationSettings

    links = NavigationSettings.for_site(Site.objects.get(is_default_site=True)).links
    assert [b.value["page"].pk for b in links if b.value["text"] == "Community assets"] == [
        AssetMapPage.objects.get().pk
    ]
    # The demo's postcodes are loaded, and each asset's postcode is one of them.
    from assetmap.models import Postcode

    assert Postcode.objects.count() > 2000
    assert not Asset.objects.exclude(postcode__in=Postcode.objects.values("postcode")).exists()


def test_demo_activity_is_dated_in_the_past_and_in_order(home_page):
    from django.db.models import F
    from django.utils import timezone

    from accounts import demo as accounts_demo
    from assetmap.models import AssetRevision, CommunityGroup
    from commissioning import demo as commissioning_demo

    out = StringIO()
    commissioning_demo.load(stdout=out)
    accounts_demo.load(stdout=out)
    demo.load(stdout=out)
    now = timezone.now()
    for model, fields in [
        (Asset, ["created_at", "published_at", "updated_at"]),
        (AssetRevision, ["created_at"]),
        (CommunityGroup, ["created_at"]),
        (GroupMembership, ["joined_at"]),
    ]:
        for field in fields:
            assert not model.objects.filter(**{f"{field}__gt": now}).exists(), (model, field)
    # Checked after it was sent; last changed when it was published, not today.
    assert not Asset.objects.filter(published_at__lt=F("created_at")).exists()
    published = Asset.objects.published()
    assert not published.exclude(updated_at=F("published_at")).exists()
    # Nothing has waited for moderation for months.
    assert (
        not Asset.objects.awaiting_moderation()
        .filter(created_at__lt=now - timezone.timedelta(days=30))
        .exists()
    )
    # A group is older than its assets.
    assert not Asset.objects.filter(created_at__lt=F("group__created_at")).exists()
    # Loading again changes no dates.
    before = list(Asset.objects.order_by("pk").values_list("created_at", "updated_at"))
    demo.load(stdout=out)
    assert list(Asset.objects.order_by("pk").values_list("created_at", "updated_at")) == before
