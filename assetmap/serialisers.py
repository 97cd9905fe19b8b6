"""Open data records built from the selectors' rows: GeoJSON features and Open Referral UK.

Pure functions of the rows and a small context (absolute URLs, the borough's
name): no queries here. The Open Referral UK records follow the HSDS 3.0 UK
profile (https://github.com/OpenReferralUK/uk-profile, `schema/compiled/`):
`service.json` for a service, `service_list.json` for an item of the
`/services` page, `organization.json` and `organization_list.json` likewise.
Those schemas forbid properties they do not name and check formats (uuid,
email, uri), so an empty value is left out rather than sent as "".
"""

import json
import uuid
from dataclasses import dataclass

from .models import Asset

KIND_LABELS = dict(Asset.KINDS)

# Stable identifiers for Open Referral: a name-based UUID (version 5) per kind
# of record whose last 48 bits are the row's primary key, so the same row
# always has the same id and an id leads back to its row without a lookup.
ORUK_NAMESPACE = uuid.UUID("6f0c1d9e-8a55-4c8e-9f58-2b1f0a7d4c11")
_PK_BITS = (1 << 48) - 1


def oruk_id(kind, pk):
    base = uuid.uuid5(ORUK_NAMESPACE, kind).int & ~_PK_BITS
    return str(uuid.UUID(int=base | pk))


def oruk_pk(kind, value):
    """The primary key an id of `kind` stands for, or None if it is not one of ours."""
    try:
        pk = uuid.UUID(str(value)).int & _PK_BITS
    except ValueError:
        return None
    return pk if pk and oruk_id(kind, pk) == str(value).lower() else None


def _present(record):
    """The record without its empty values (None, "", [])."""
    return {key: value for key, value in record.items() if value not in (None, "", [])}


# GeoJSON (RFC 7946) ----------------------------------------------------------


def geojson_feature_collection(rows, *, detail_url):
    """The FeatureCollection of `selectors.asset_geojson_rows` rows, as UTF-8 bytes.

    `detail_url` is the absolute URL of the asset pages without the id
    (".../community-assets/"). Written with one `json.dumps`, not per row.
    """
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
                "url": f"{detail_url}{pk}/",
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
        ) in rows
    ]
    return json.dumps(
        {"type": "FeatureCollection", "features": features},
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()


# Open Referral UK (HSDS 3.0 UK profile) --------------------------------------


@dataclass(frozen=True)
class OrukContext:
    """What every record needs beyond its row: where things are, and whose they are."""

    asset_url: str  # absolute URL of the asset pages, without the id
    map_url: str  # absolute URL of the map, to which "?category=<slug>" is added
    city: str  # the borough, from the site settings
    taxonomy: str  # the name of the vocabulary of asset categories


def oruk_organisation_from_service(row):
    """The organisation of a service row: its community group, or the asset itself."""
    if row["group_id"]:
        return {
            "source": "group",
            "pk": row["group_id"],
            "name": row["group__name"],
            "description": row["group__description"],
            "website": row["group__website"],
            "org_email": row["group__email"],
        }
    return {
        "source": "asset",
        "pk": row["id"],
        "name": row["name"],
        "description": row["description"],
        "website": row["website"],
        "org_email": row["contact_email"],
    }


def oruk_organisation_id(organisation):
    kind = "group" if organisation["source"] == "group" else "asset-organisation"
    return oruk_id(kind, organisation["pk"])


def oruk_organisation(organisation, *, services=None):
    """An organisation (`organization_list.json`), or with its `services` (`organization.json`)."""
    record = _present(
        {
            "id": oruk_organisation_id(organisation),
            "name": organisation["name"],
            "email": organisation["org_email"],
            "website": organisation["website"],
        }
    )
    record["description"] = organisation["description"]  # required, even when empty
    if services is not None:
        record["services"] = services
    return record


def oruk_service(row, *, context, full):
    """A service: `service_list.json` (with its organisation) or, `full`, `service.json`."""
    service_id = oruk_id("service", row["id"])
    organisation = oruk_organisation_from_service(row)
    record = _present(
        {
            "id": service_id,
            "organization_id": oruk_organisation_id(organisation),
            "name": row["name"],
            "description": row["description"],
            "url": row["website"] or f"{context.asset_url}{row['id']}/",
            "email": row["contact_email"],
            "status": "active",
            "last_modified": row["updated_at"].isoformat(timespec="seconds"),
            "organization": oruk_organisation(organisation),
        }
    )
    if full:
        record.update(
            _present(
                {
                    "schedules": _oruk_schedules(row, service_id),
                    "service_at_locations": _oruk_service_at_locations(row, service_id, context),
                    "contacts": _oruk_contacts(row, service_id),
                    "attributes": [_oruk_category(row, service_id, context)],
                }
            )
        )
    return record


def _oruk_schedules(row, service_id):
    if not row["opening_times"]:
        return []
    return [
        {
            "id": oruk_id("schedule", row["id"]),
            "service_id": service_id,
            "description": row["opening_times"],
        }
    ]


def _oruk_contacts(row, service_id):
    # The UK profile's contact has no telephone number, so the asset's phone stays on its page.
    if not row["contact_name"]:
        return []
    return [
        {
            "id": oruk_id("contact", row["id"]),
            "service_id": service_id,
            "name": row["contact_name"],
        }
    ]


def _oruk_service_at_locations(row, service_id, context):
    has_point = row["latitude"] is not None and row["longitude"] is not None
    if not (has_point or row["address"]):
        return []
    location_id = oruk_id("location", row["id"])
    location = _present(
        {
            "id": location_id,
            "location_type": "physical",
            "name": row["name"],
            "latitude": row["latitude"],
            "longitude": row["longitude"],
            "addresses": _oruk_addresses(row, location_id, context),
            "accessibility": [
                {
                    "id": oruk_id("accessibility", row["id"]),
                    "location_id": location_id,
                    "description": row["accessibility"],
                }
            ]
            if row["accessibility"]
            else [],
        }
    )
    return [
        {
            "id": oruk_id("service-at-location", row["id"]),
            "service_id": service_id,
            "location_id": location_id,
            "location": location,
        }
    ]


def _oruk_addresses(row, location_id, context):
    if not row["address"]:
        return []
    return [
        {
            "id": oruk_id("address", row["id"]),
            "location_id": location_id,
            "address_1": row["address"],
            "city": context.city,
            # Required by the profile; English addresses have no state or province.
            "state_province": "",
            "postal_code": row["postcode"],
            "country": "GB",
            "address_type": "physical",
        }
    ]


def _oruk_category(row, service_id, context):
    """The asset's category as a taxonomy term attached to the service."""
    term_id = oruk_id("category", row["category_id"])
    return {
        "id": oruk_id("service-category", row["id"]),
        "link_id": service_id,
        "link_type": "service",
        "taxonomy_term_id": term_id,
        "taxonomy_term": {
            "id": term_id,
            "name": row["category__name"],
            "description": row["category__description"] or row["category__name"],
            "taxonomy": context.taxonomy,
            "term": row["category__slug"],
            "term_uri": f"{context.map_url}?category={row['category__slug']}",
        },
    }


def oruk_page(*, contents, total, page, per_page):
    """The API reference's `Page` envelope around one page of records."""
    total_pages = max(1, -(-total // per_page))
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": not contents,
        "contents": contents,
    }
