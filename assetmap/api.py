"""Open data: GeoJSON, CSV, compact points for the map, and Open Referral UK JSON.

Thin views: they validate the query (a bad value is a 400 with a JSON
explanation, never a 500), read through `selectors` and write records
through `serialisers`. Only published assets are ever served.
"""

import gzip
import hashlib
import json
import re

from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.text import compress_string, slugify
from django.views.decorators.http import require_GET

from commissioning.exports import CSV, table_response
from commissioning.summaries import Table

from . import selectors, serialisers
from .forms import AssetFilterForm, OrukPageForm
from .location import borough_name
from .models import Asset

CACHE_SECONDS = 300
# Bump when the GeoJSON's shape changes, so no client keeps a body of the old shape.
GEOJSON_FORMAT = "2"
GEOJSON_BODY_SECONDS = 3600
ACCEPTS_GZIP = re.compile(r"\bgzip\b", re.IGNORECASE)


def _invalid(form):
    errors = {field: [str(e) for e in errs] for field, errs in form.errors.items()}
    return JsonResponse(
        {"error": "Invalid filter.", "errors": errors},
        status=400,
        json_dumps_params={"ensure_ascii": False},
    )


def _filters(request):
    form = AssetFilterForm(request.GET)
    if form.is_valid():
        return form.cleaned_data, None
    return None, _invalid(form)


def _open_data(response, *, cache_control=f"public, max-age={CACHE_SECONDS}"):
    response["Cache-Control"] = cache_control
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _json(payload, *, content_type="application/json"):
    return _open_data(
        HttpResponse(
            json.dumps(payload, ensure_ascii=False, separators=(",", ":")),
            content_type=f"{content_type}; charset=utf-8",
        )
    )


def _not_found(message):
    return JsonResponse({"error": message}, status=404)


def _asset_url(request):
    """The absolute URL of the asset pages without the id: validated once, not per row."""
    return request.build_absolute_uri(reverse("assetmap:asset_detail", args=[0]))[:-2]


# GeoJSON ---------------------------------------------------------------------


def _geojson_etag(request, version):
    """A weak tag (the gzipped and the plain body are the same content), per URL and version."""
    raw = json.dumps(
        [GEOJSON_FORMAT, request.scheme, request.get_host(), sorted(request.GET.lists()), version],
        default=str,
    )
    return f'W/"{hashlib.sha256(raw.encode()).hexdigest()[:32]}"'


def _geojson_gzipped(request, filters, etag):
    """The gzipped body for `etag`, built and compressed once, then kept in the cache."""
    key = f"assetmap:geojson:{etag[3:-1]}"
    body = cache.get(key)
    if body is None:
        body = compress_string(
            serialisers.geojson_feature_collection(
                selectors.asset_geojson_rows(filters=filters), detail_url=_asset_url(request)
            )
        )
        cache.set(key, body, GEOJSON_BODY_SECONDS)
    return body


@require_GET
def assets_geojson(request):
    """RFC 7946 FeatureCollection of published assets with a location.

    Conditional: the ETag comes from a few aggregates of the matching assets
    (`selectors.asset_geojson_version`), so a matching If-None-Match gets a
    304 without a row being read. The body is kept in the cache, gzipped,
    under its ETag: a key that changes with the content never serves a stale
    body, and the gzip middleware has nothing left to compress. No
    Last-Modified: removing an asset does not move the newest change, so
    If-Modified-Since alone could not see it. `no-cache` lets browsers and
    proxies store the body but ask again each time, which the ETag makes
    cheap (and keeps it out of the anonymous page cache, which would answer
    a conditional request with the whole body).
    """
    filters, error = _filters(request)
    if error:
        return error
    etag = _geojson_etag(request, selectors.asset_geojson_version(filters=filters))
    response = _open_data(
        HttpResponse(content_type="application/geo+json; charset=utf-8"),
        cache_control="public, no-cache",
    )
    response["ETag"] = etag
    patch_vary_headers(response, ("Accept-Encoding",))
    not_modified = get_conditional_response(request, etag=etag, response=response)
    if not_modified is not response:
        return not_modified
    body = _geojson_gzipped(request, filters, etag)
    if ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
        response["Content-Encoding"] = "gzip"
    else:
        body = gzip.decompress(body)
    response.content = body
    return response


@require_GET
def assets_points(request):
    """The map's payload: ids and coordinates only; details load per marker."""
    filters, error = _filters(request)
    if error:
        return error
    return _json({"points": selectors.asset_points(filters=filters)})


@require_GET
def asset_json(request, pk):
    """One published asset's details, for a marker's pop-up."""
    asset = selectors.asset_detail(pk=pk)
    if asset is None or asset.status != Asset.PUBLISHED:
        return _not_found("No such asset.")
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


def _csv_row(row, tags):
    return [
        row["id"],
        row["name"],
        serialisers.KIND_LABELS.get(row["kind"], row["kind"]),
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


@require_GET
def assets_csv(request):
    filters, error = _filters(request)
    if error:
        return error
    tags = selectors.asset_tags_by_id(
        queryset=selectors.asset_filter(queryset=Asset.objects.published(), filters=filters)
    )
    table = Table(
        caption="Community assets",
        columns=CSV_COLUMNS,
        rows=[_csv_row(row, tags) for row in selectors.asset_feature_rows(filters=filters)],
    )
    return table_response(table, fmt=CSV, filename=f"{slugify(borough_name())}-community-assets")


# Open Referral UK (HSDS 3.0 UK profile API) -----------------------------------

ORUK_PROFILE = "https://github.com/OpenReferralUK/uk-profile"
ORUK_OPENAPI = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/openapi.json"


def _oruk_context(request):
    city = borough_name()
    return serialisers.OrukContext(
        asset_url=_asset_url(request),
        map_url=request.build_absolute_uri(reverse("assetmap:map")),
        city=city,
        taxonomy=f"{city} community asset categories",
    )


def _oruk_page(queryset, record, *, paging):
    """One page of `queryset` (cleaned `page`, `per_page`) in the API reference's Page envelope."""
    page, per_page = paging["page"], paging["per_page"]
    offset = (page - 1) * per_page
    contents = [record(row) for row in queryset[offset : offset + per_page]]
    return _json(
        serialisers.oruk_page(
            contents=contents, total=queryset.count(), page=page, per_page=per_page
        )
    )


@require_GET
def openreferral_root(request):
    """The API's meta information: which version and profile it serves."""
    return _json({"version": "3.0", "profile": ORUK_PROFILE, "openapi_url": ORUK_OPENAPI})


@require_GET
def openreferral_services(request):
    """`/services`: published services (assets of kind service, group or organisation).

    Filters of the API reference served here: `search` (the map's text search)
    and `taxonomy_term_id` (an asset category's term id).
    """
    form = OrukPageForm(request.GET)
    if not form.is_valid():
        return _invalid(form)
    context = _oruk_context(request)
    services = selectors.oruk_services(
        search=form.cleaned_data["search"], category=form.cleaned_data["taxonomy_term_id"]
    )
    return _oruk_page(
        services,
        lambda row: serialisers.oruk_service(row, context=context, full=False),
        paging=form.cleaned_data,
    )


@require_GET
def openreferral_service(request, id):
    """`/services/{id}`: one service, fully nested."""
    pk = serialisers.oruk_pk("service", id)
    row = selectors.oruk_services(asset_id=pk).first() if pk else None
    if row is None:
        return _not_found("No such service.")
    return _json(serialisers.oruk_service(row, context=_oruk_context(request), full=True))


@require_GET
def openreferral_organizations(request):
    """`/organizations`: the community groups and organisations that run published services."""
    form = OrukPageForm(request.GET)
    if not form.is_valid():
        return _invalid(form)
    return _oruk_page(
        selectors.oruk_organisations(), serialisers.oruk_organisation, paging=form.cleaned_data
    )


@require_GET
def openreferral_organization(request, id):
    """`/organizations/{id}`: one organisation with its services, fully nested."""
    group_pk = serialisers.oruk_pk("group", id)
    asset_pk = None if group_pk else serialisers.oruk_pk("asset-organisation", id)
    if not (group_pk or asset_pk):
        return _not_found("No such organization.")
    organisation = selectors.oruk_organisations(group_id=group_pk, asset_id=asset_pk).first()
    if organisation is None:
        return _not_found("No such organization.")
    context = _oruk_context(request)
    services = [
        serialisers.oruk_service(row, context=context, full=True)
        for row in selectors.oruk_services(group_id=group_pk, asset_id=asset_pk)
    ]
    return _json(serialisers.oruk_organisation(organisation, services=services))
