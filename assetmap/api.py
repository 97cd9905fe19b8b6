"""Open data: GeoJSON, CSV, compact points for the map, and Open Referral UK JSON.

Only published assets are ever served. Filters are validated first: a bad
value is a 400 with a JSON explanation, never a 500.
"""

import json
import uuid

from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from commissioning.exports import CSV, table_response
from commissioning.summaries import Table

from . import selectors
from .location import borough_name
from .models import Asset, CommunityGroup

KIND_LABELS = dict(Asset.KINDS)
CACHE_SECONDS = 300
# Stable identifiers for Open Referral: the same asset always has the same id.
ORUK_NAMESPACE = uuid.UUID("6f0c1d9e-8a55-4c8e-9f58-2b1f0a7d4c11")


def _filters(request):
    form = selectors.AssetFilterForm(request.GET)
    if form.is_valid():
        return form.cleaned_data, None
    errors = {field: [str(e) for e in errs] for field, errs in form.errors.items()}
    return None, JsonResponse(
        {"error": "Invalid filter.", "errors": errors},
        status=400,
        json_dumps_params={"ensure_ascii": False},
    )


def _json(payload, *, content_type="application/json"):
    response = HttpResponse(
        json.dumps(payload, ensure_ascii=False, separators=(",", ":")),
        content_type=f"{content_type}; charset=utf-8",
    )
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def assets_geojson(request):
    """RFC 7946 FeatureCollection of published assets with a location."""
    filters, error = _filters(request)
    if error:
        return error
    # Absolute once, not per row: build_absolute_uri validates the host each time.
    detail = request.build_absolute_uri(reverse("assetmap:asset_detail", args=[0]))[:-2]
    features = [
        {
            "type": "Feature",
            "id": pk,
            "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
            "properties": {
                "name": name,
                "kind": kind,
                "kind_label": KIND_LABELS.get(kind, kind),
                "category": category_slug,
                "category_name": category_name,
                "ward": ward_slug,
                "ward_name": ward_name,
                "address": address,
                "postcode": postcode,
                "website": website,
                "url": f"{detail}{pk}/",
                "updated": updated.isoformat(timespec="seconds"),
            },
        }
        for (
            pk,
            name,
            kind,
            address,
            postcode,
            lat,
            lon,
            website,
            updated,
            category_slug,
            category_name,
            ward_slug,
            ward_name,
        ) in selectors.asset_geojson_rows(filters)
    ]
    return _json(
        {"type": "FeatureCollection", "features": features}, content_type="application/geo+json"
    )


@require_GET
def assets_points(request):
    """The map's payload: ids and coordinates only; details load per marker."""
    filters, error = _filters(request)
    if error:
        return error
    return _json({"points": selectors.asset_points(filters)})


@require_GET
def asset_json(request, pk):
    """One published asset's details, for a marker's pop-up."""
    asset = selectors.asset_detail(pk)
    if asset is None or asset.status != Asset.PUBLISHED:
        return JsonResponse({"error": "No such asset."}, status=404)
    return _json(
        {
            "id": asset.pk,
            "name": asset.name,
            "kind": asset.get_kind_display(),
            "category": asset.category.name,
            "ward": asset.ward.name,
            "address": ", ".join(filter(None, [asset.address, asset.postcode])),
            "opening_times": asset.opening_times,
            "summary": asset.description[:200] + ("…" if len(asset.description) > 200 else ""),
            "url": asset.get_absolute_url(),
        }
    )


CSV_COLUMNS = [
    "id",
    "name",
    "kind",
    "category",
    "ward",
    "latitude",
    "longitude",
    "address",
    "postcode",
    "description",
    "opening_times",
    "accessibility",
    "contact_email",
    "contact_phone",
    "website",
    "group",
    "tags",
    "updated",
]


@require_GET
def assets_csv(request):
    filters, error = _filters(request)
    if error:
        return error
    rows = selectors.asset_feature_rows(filters)
    tags = selectors.asset_tags_by_id(selectors.asset_filter(Asset.objects.published(), filters))
    table = Table(
        caption="Community assets",
        columns=CSV_COLUMNS,
        rows=[
            [
                row["id"],
                row["name"],
                KIND_LABELS.get(row["kind"], row["kind"]),
                row["category__name"],
                row["ward__name"],
                row["latitude"],
                row["longitude"],
                row["address"],
                row["postcode"],
                row["description"],
                row["opening_times"],
                row["accessibility"],
                row["contact_email"],
                row["contact_phone"],
                row["website"],
                row["group__name"] or "",
                "; ".join(tags.get(row["id"], [])),
                row["updated_at"].isoformat(),
            ]
            for row in rows
        ],
    )
    return table_response(table, fmt=CSV, filename="kelderby-community-assets")


def _oruk_id(kind, pk):
    return str(uuid.uuid5(ORUK_NAMESPACE, f"{kind}:{pk}"))


def _oruk_organisation_from_group(group_id, name, website="", email="", description=""):
    return {
        "id": _oruk_id("group", group_id),
        "name": name,
        "description": description,
        "email": email,
        "url": website,
    }


@require_GET
def openreferral_services(request):
    """Services and organisations in the shape of the Open Referral UK /services API.

    Each published asset of kind "service", "group" or "organisation" is a
    service; its organisation is the owning community group (or the asset
    itself for an organisation with no group).
    """
    rows = (
        Asset.objects.published()
        .filter(kind__in=[Asset.SERVICE, Asset.GROUP, Asset.ORGANISATION])
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
            "contact_name",
            "contact_email",
            "contact_phone",
            "opening_times",
            "accessibility",
            "category__slug",
            "category__name",
            "group_id",
            "group__name",
            "group__website",
            "group__email",
            "group__description",
        )
    )
    city = borough_name()
    services = []
    for row in rows:
        if row["group_id"]:
            organisation = _oruk_organisation_from_group(
                row["group_id"],
                row["group__name"],
                row["group__website"],
                row["group__email"],
                row["group__description"],
            )
        else:
            organisation = {
                "id": _oruk_id("asset-organisation", row["id"]),
                "name": row["name"],
                "description": row["description"],
                "email": row["contact_email"],
                "url": row["website"],
            }
        location = {
            "id": _oruk_id("location", row["id"]),
            "name": row["name"],
            "latitude": row["latitude"],
            "longitude": row["longitude"],
            "physical_addresses": [
                {
                    "id": _oruk_id("address", row["id"]),
                    "address_1": row["address"],
                    "city": city,
                    "postal_code": row["postcode"],
                    "country": "GB",
                }
            ]
            if row["address"] or row["postcode"]
            else [],
            "accessibility_for_disabilities": [
                {"id": _oruk_id("accessibility", row["id"]), "accessibility": row["accessibility"]}
            ]
            if row["accessibility"]
            else [],
        }
        services.append(
            {
                "id": _oruk_id("service", row["id"]),
                "name": row["name"],
                "description": row["description"],
                "url": row["website"],
                "email": row["contact_email"],
                "status": "active",
                "organization": organisation,
                "contacts": [
                    {
                        "id": _oruk_id("contact", row["id"]),
                        "name": row["contact_name"],
                        "phones": [
                            {"id": _oruk_id("phone", row["id"]), "number": row["contact_phone"]}
                        ]
                        if row["contact_phone"]
                        else [],
                    }
                ]
                if row["contact_name"] or row["contact_phone"]
                else [],
                "regular_schedules": [
                    {"id": _oruk_id("schedule", row["id"]), "description": row["opening_times"]}
                ]
                if row["opening_times"]
                else [],
                "service_at_locations": [
                    {"id": _oruk_id("service-at-location", row["id"]), "location": location}
                ]
                if row["latitude"] is not None
                else [],
                "service_taxonomys": [
                    {
                        "id": _oruk_id("service-taxonomy", row["id"]),
                        "taxonomy": {
                            "id": row["category__slug"],
                            "name": row["category__name"],
                            "vocabulary": "kelderby-asset-categories",
                        },
                    }
                ],
            }
        )
    return _json(
        {
            "totalElements": len(services),
            "totalPages": 1,
            "number": 1,
            "size": len(services),
            "first": True,
            "last": True,
            "content": services,
        }
    )


@require_GET
def openreferral_organizations(request):
    """Community groups that own published assets, as Open Referral UK organisations."""
    groups = (
        CommunityGroup.objects.filter(assets__status=Asset.PUBLISHED)
        .distinct()
        .order_by("name")
        .values("id", "name", "website", "email", "description")
    )
    content = [
        _oruk_organisation_from_group(
            g["id"], g["name"], g["website"], g["email"], g["description"]
        )
        for g in groups
    ]
    return _json(
        {
            "totalElements": len(content),
            "totalPages": 1,
            "number": 1,
            "size": len(content),
            "first": True,
            "last": True,
            "content": content,
        }
    )
