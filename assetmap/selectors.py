"""Reads shared by the map page, the list, the open-data endpoints and the officer view.

Every read here is a fixed number of queries, however many assets there are:
the open-data endpoints read `.values()` rows in one query, and aggregates
(ward × category, outcomes × ward) are computed by the database. Arguments
are keyword-only; `filters` is the cleaned data of `forms.AssetFilterForm`
(or any dict with the same keys).
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    Max,
    Prefetch,
    Q,
    Sum,
    Value,
    When,
)
from django.urls import reverse
from taggit.models import TaggedItem

from commissioning.models import AssetCategory, Ward
from coproduce.search import SearchResult, SearchSection

from .models import Asset, AssetRevision, CommunityGroup, GroupInvitation, GroupMembership

SEARCH_WORDS = 8


def _text_filter(queryset, text):
    """Assets whose name, description or tags hold every word of `text` (at most 8 words)."""
    tagged = TaggedItem.objects.filter(content_type=ContentType.objects.get_for_model(Asset))
    for word in text.split()[:SEARCH_WORDS]:
        queryset = queryset.filter(
            Q(name__icontains=word)
            | Q(description__icontains=word)
            | Q(pk__in=tagged.filter(tag__name__icontains=word).values("object_id"))
        )
    return queryset


def asset_search(*, query):
    """Published assets matching the query, as the map's search finds them."""
    return (
        asset_filter(queryset=Asset.objects.published(), filters={"q": query})
        .select_related("category", "ward")
        .order_by("name", "pk")
    )


def asset_filter(*, queryset, filters):
    """Apply cleaned filters to an asset queryset."""
    if filters.get("q"):
        queryset = _text_filter(queryset, filters["q"])
    if filters.get("kind"):
        queryset = queryset.filter(kind=filters["kind"])
    if filters.get("category"):
        queryset = queryset.filter(category=filters["category"])
    if filters.get("ward"):
        queryset = queryset.filter(ward=filters["ward"])
    if filters.get("tag"):
        queryset = queryset.filter(tags__slug=filters["tag"]).distinct()
    if filters.get("bbox"):
        west, south, east, north = filters["bbox"]
        queryset = queryset.filter(
            longitude__gte=west, longitude__lte=east, latitude__gte=south, latitude__lte=north
        )
    return queryset


def asset_list(*, filters):
    """Published assets for the public list: one query per page of results."""
    return asset_filter(queryset=Asset.objects.published(), filters=filters).select_related(
        "category", "ward"
    )


def map_settings():
    """Tiles, attribution and the borough's bounds for the map script (data attributes)."""
    bounds = settings.ASSETMAP_BOROUGH_BOUNDS
    return {
        "tile_url": settings.ASSETMAP_TILE_URL,
        "attribution": settings.ASSETMAP_TILE_ATTRIBUTION,
        "bounds": f"{bounds['south']},{bounds['west']},{bounds['north']},{bounds['east']}",
    }


def asset_points(*, filters):
    """[[id, longitude, latitude], …] for the map: the smallest useful payload."""
    rows = (
        asset_filter(queryset=Asset.objects.published().mapped(), filters=filters)
        .order_by("id")
        .values_list("id", "longitude", "latitude")
    )
    return [[pk, round(lon, 6), round(lat, 6)] for pk, lon, lat in rows]


def asset_feature_rows(*, filters):
    """Rows for the CSV download, one query, no per-row reads."""
    return (
        asset_filter(queryset=Asset.objects.published(), filters=filters)
        .order_by("id")
        .values(
            "id",
            "name",
            "kind",
            "description",
            "address",
            "postcode",
            "latitude",
            "longitude",
            "website",
            "opening_times",
            "accessibility",
            "contact_email",
            "contact_phone",
            "updated_at",
            "category__name",
            "ward__name",
            "group__name",
        )
    )


GEOJSON_FIELDS = (
    "id",
    "name",
    "kind",
    "address",
    "postcode",
    "latitude",
    "longitude",
    "website",
    "updated_at",
    "category__slug",
    "category__name",
    "ward__slug",
    "ward__name",
)


def asset_geojson_rows(*, filters):
    """Tuples of GEOJSON_FIELDS for published assets with a location, one query."""
    return (
        asset_filter(queryset=Asset.objects.published().mapped(), filters=filters)
        .order_by("id")
        .values_list(*GEOJSON_FIELDS)
    )


def asset_geojson_version(*, filters):
    """What the GeoJSON for `filters` is made of, without reading its rows: three small queries.

    The count, the sum of the ids and the latest change of the matching
    assets move when one is added, removed, published, unpublished or edited;
    the names of the categories and wards (shown in every feature) are read
    whole, as they are few.
    """
    mapped = asset_filter(queryset=Asset.objects.published().mapped(), filters=filters)
    figures = mapped.order_by().aggregate(n=Count("id"), ids=Sum("id"), latest=Max("updated_at"))
    return (
        figures["n"],
        figures["ids"],
        figures["latest"].isoformat() if figures["latest"] else "",
        list(AssetCategory.objects.order_by("pk").values_list("pk", "slug", "name")),
        list(Ward.objects.order_by("pk").values_list("pk", "slug", "name")),
    )


def asset_tags_by_id(*, queryset):
    """{asset id: [tag names]} for the assets of a queryset, in one query."""
    content_type = ContentType.objects.get_for_model(Asset)
    tags = {}
    rows = (
        TaggedItem.objects.filter(content_type=content_type, object_id__in=queryset.values("id"))
        .order_by("tag__name")
        .values_list("object_id", "tag__name")
    )
    for object_id, name in rows:
        tags.setdefault(object_id, []).append(name)
    return tags


# Open Referral UK: which assets are services, and who provides them.
ORUK_KINDS = (Asset.SERVICE, Asset.GROUP, Asset.ORGANISATION)
ORUK_SERVICE_FIELDS = (
    "id",
    "name",
    "description",
    "address",
    "postcode",
    "latitude",
    "longitude",
    "website",
    "contact_name",
    "contact_email",
    "opening_times",
    "accessibility",
    "updated_at",
    "category_id",
    "category__slug",
    "category__name",
    "category__description",
    "group_id",
    "group__name",
    "group__website",
    "group__email",
    "group__description",
)


def oruk_services(*, search="", category=None, group_id=None, asset_id=None):
    """Published services (assets of ORUK_KINDS) as dicts of ORUK_SERVICE_FIELDS, by id.

    `group_id` gives the services a community group provides; `asset_id`
    one service (the asset that is its own organisation). One query.
    """
    queryset = Asset.objects.published().filter(kind__in=ORUK_KINDS)
    if search:
        queryset = _text_filter(queryset, search)
    if category is not None:
        queryset = queryset.filter(category_id=category)
    if group_id is not None:
        queryset = queryset.filter(group_id=group_id)
    if asset_id is not None:
        queryset = queryset.filter(pk=asset_id)
    return queryset.order_by("id").values(*ORUK_SERVICE_FIELDS)


def oruk_organisations(*, group_id=None, asset_id=None):
    """Who provides the published services, by name: dicts with `source` "group" or "asset".

    A community group that runs at least one published service, and each
    published service with no group (a group or organisation asset submitted
    on its own), which is then its own organisation. One query (a union), so
    it pages and counts like any queryset.
    """
    groups = CommunityGroup.objects.filter(
        pk__in=Asset.objects.published().filter(kind__in=ORUK_KINDS).values("group_id")
    )
    standalone = Asset.objects.published().filter(kind__in=ORUK_KINDS, group__isnull=True)
    if group_id is not None or asset_id is not None:
        groups = groups.filter(pk=group_id)
        standalone = standalone.filter(pk=asset_id)
    # The same columns on both sides, in the same order: fields, then annotations.
    columns = ("pk", "name", "description", "website", "source", "org_email")
    groups = groups.annotate(
        source=Value("group", output_field=CharField()), org_email=F("email")
    ).values(*columns)
    standalone = standalone.annotate(
        source=Value("asset", output_field=CharField()), org_email=F("contact_email")
    ).values(*columns)
    return (
        groups.order_by().union(standalone.order_by(), all=True).order_by("name", "source", "pk")
    )


def asset_detail(*, pk):
    return (
        Asset.objects.select_related("category", "ward", "group", "submitted_by")
        .filter(pk=pk)
        .first()
    )


def asset_public_photos(*, asset):
    return asset.photos.filter(revision__isnull=True)


def assets_managed(*, user):
    """The user's own and their groups' assets, with their pending edits, for "My assets"."""
    return (
        Asset.objects.managed_by(user)
        .select_related("category", "ward", "group")
        .prefetch_related(
            Prefetch(
                "revisions",
                queryset=AssetRevision.objects.order_by("-created_at", "-id"),
                to_attr="recent_revisions",
            )
        )
        .order_by("-updated_at", "-id")
    )


def coverage_ward_category(*, queryset=None):
    """Published assets counted by ward × category, in the database.

    Returns (wards, categories, counts) where counts[(ward_id, category_id)] = n.
    """
    queryset = queryset if queryset is not None else Asset.objects.published()
    counts = {
        (row["ward_id"], row["category_id"]): row["n"]
        for row in queryset.values("ward_id", "category_id").annotate(n=Count("id")).order_by()
    }
    return (
        list(Ward.objects.only("id", "name")),
        list(AssetCategory.objects.only("id", "name")),
        counts,
    )


def coverage_outcome_ward(*, outcomes):
    """Published assets linked to each outcome, by ward: where the gaps are."""
    outcome_ids = [o.pk for o in outcomes]
    counts = {
        (row["outcomes"], row["ward_id"]): row["n"]
        for row in Asset.objects.published()
        .filter(outcomes__in=outcome_ids)
        .values("outcomes", "ward_id")
        .annotate(n=Count("id"))
        .order_by()
    }
    return list(Ward.objects.only("id", "name")), counts


def call_counts(*, call):
    """Submitted / published / pending counts for an asset call, in one query."""
    return Asset.objects.filter(call=call).aggregate(
        submitted=Count("id", filter=~Q(status=Asset.DRAFT)),
        published=Count("id", filter=Q(status=Asset.PUBLISHED)),
        pending=Count("id", filter=Q(status=Asset.PENDING)),
    )


def group_members(*, group):
    """A group's memberships with their people, leads first, in one query."""
    return (
        GroupMembership.objects.filter(group=group)
        .select_related("user")
        .annotate(
            lead_first=Case(
                When(role=GroupMembership.LEAD, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("lead_first", "user__display_name", "user__email")
    )


def moderation_items():
    """New assets and proposed edits awaiting moderation, oldest first, as one queryset.

    Rows are dicts: `item` ("asset" or "edit"), `pk` (of the asset or the
    edit), `name` (the asset's), `ward_name` and `created_at`. One query for
    a slice, one for the count, however long the queue.
    """
    assets = (
        Asset.objects.awaiting_moderation()
        .annotate(
            item=Value("asset", output_field=CharField()),
            ward_name=F("ward__name"),
            sent_at=F("created_at"),
        )
        .values("item", "pk", "name", "ward_name", "sent_at")
        .order_by()
    )
    edits = (
        AssetRevision.objects.pending()
        .annotate(
            item=Value("edit", output_field=CharField()),
            name=F("asset__name"),
            ward_name=F("asset__ward__name"),
            sent_at=F("created_at"),
        )
        .values("item", "pk", "name", "ward_name", "sent_at")
        .order_by()
    )
    return assets.union(edits, all=True).order_by("sent_at", "item", "pk")


def site_search_section(query, *, limit, request=None):
    """The site search's "Community assets" section: a few published assets, linked to their pages."""
    if not query.split():
        return None
    found = asset_search(query=query)
    results = [
        SearchResult(
            title=asset.name,
            url=asset.get_absolute_url(),
            summary=f"{asset.get_kind_display()} · {asset.category.name} · {asset.ward.name}",
        )
        for asset in found[:limit]
    ]
    total = found.count()
    if not total:
        return None
    return SearchSection(
        heading="Community assets",
        results=results,
        total=total,
        more_url=f"{reverse('assetmap:map')}?{urlencode({'q': query})}",
        more_label=f"See all {total} on the community assets map",
    )


def group_open_invitations(*, group):
    """Invitations to `group` not yet accepted nor expired, newest first."""
    return list(GroupInvitation.objects.open().filter(group=group).order_by("-created_at", "-pk"))
