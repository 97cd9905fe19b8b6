import factory
from django.utils.text import slugify

from assetmap.models import Asset, CommunityGroup, GroupMembership, Postcode
from commissioning.models import AssetCategory
from tests.accounts.factories import UserFactory
from tests.commissioning.factories import WardFactory
from tests.pages import AssetCallPageFactory

# Inside the test borough's box (settings.ASSETMAP_BOROUGH_BOUNDS).
INSIDE = (53.64, -2.12)


class AssetCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssetCategory
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class CommunityGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommunityGroup
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Group {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class GroupMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupMembership

    group = factory.SubFactory(CommunityGroupFactory)
    user = factory.SubFactory(UserFactory)


class PostcodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Postcode
        django_get_or_create = ("postcode",)

    postcode = factory.Sequence(lambda n: f"KX5 {n % 9 + 1}{'ABDEFGHJLN'[n // 9 % 10]}A")
    latitude = INSIDE[0]
    longitude = INSIDE[1]


class AssetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Asset

    name = factory.Sequence(lambda n: f"Asset {n}")
    kind = Asset.SPACE
    category = factory.SubFactory(AssetCategoryFactory, name="Community spaces")
    description = "A place people meet."
    ward = factory.SubFactory(WardFactory, name="Fernhill", postcode_prefixes="KX5")
    latitude = INSIDE[0]
    longitude = INSIDE[1]
    status = Asset.PUBLISHED


def assets_bulk(count, *, category, ward, status=Asset.PUBLISHED, kind=None, **extra):
    """Many assets in one query, spread over the borough (of every kind, unless `kind`)."""
    return Asset.objects.bulk_create(
        [
            Asset(
                name=f"Bulk asset {i}",
                kind=kind or Asset.KINDS[i % len(Asset.KINDS)][0],
                category=category,
                ward=ward,
                description="Bulk",
                latitude=53.61 + (i % 100) * 0.0006,
                longitude=-2.19 + (i // 100) * 0.001,
                status=status,
                **extra,
            )
            for i in range(count)
        ]
    )


def asset_call(programme, **kwargs):
    kwargs.setdefault("slug", "share-assets")
    return AssetCallPageFactory(parent=programme, **kwargs)
