"""Open Referral UK: the HSDS 3.0 UK profile, validated against the published schemas.

The schemas in `schemas/oruk3/` are unchanged copies of the profile's files
(see the README there for their source and version).
"""

import json
from functools import cache
from io import StringIO
from pathlib import Path

import pytest
from django.urls import reverse
from jsonschema import FormatChecker
from jsonschema.validators import validator_for

from assetmap.models import Asset

from .factories import AssetFactory, assets_bulk

SCHEMAS = Path(__file__).parent / "schemas" / "oruk3"
SERVICES = reverse("assetmap:oruk_services")
ORGANISATIONS = reverse("assetmap:oruk_organizations")


@cache
def validator(name):
    schema = json.loads((SCHEMAS / f"{name}.json").read_text())
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=FormatChecker())


@cache
def page_validator():
    """The API reference's Page envelope, with its required keys (every one is sent)."""
    page = json.loads((SCHEMAS / "openapi.json").read_text())["components"]["schemas"]["Page"]
    schema = {
        **page,
        "properties": {**page["properties"], "contents": {"type": "array"}},
        "required": [*page["properties"], "contents"],
        "additionalProperties": False,
    }
    return validator_for(schema)(schema)


def assert_valid(name, record):
    errors = sorted(validator(name).iter_errors(record), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(
        f"{name}: {'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors
    )


def get_page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    body = json.loads(response.content)
    assert not list(page_validator().iter_errors(body))
    return body


def all_pages(client, url, per_page):
    page, records = 1, []
    while True:
        body = get_page(client, url, page=page, per_page=per_page)
        records.extend(body["contents"])
        assert body["page_number"] == page and body["size"] == len(body["contents"])
        if body["last_page"]:
            assert body["total_pages"] == page and body["total_items"] == len(records)
            return records
        page += 1


def test_every_record_of_the_demo_feeds_validates(client, home_page):
    from accounts import demo as accounts_demo
    from assetmap import demo
    from commissioning import demo as commissioning_demo

    out = StringIO()
    commissioning_demo.load(stdout=out)
    accounts_demo.load(stdout=out)
    demo.load(stdout=out)

    services = all_pages(client, SERVICES, per_page=40)
    assert len(services) == (
        Asset.objects.published()
        .filter(kind__in=[Asset.SERVICE, Asset.GROUP, Asset.ORGANISATION])
        .count()
    )
    assert len(services) > 100
    organisations = all_pages(client, ORGANISATIONS, per_page=40)
    assert organisations
    for service in services:
        assert_valid("service_list", service)
        full = json.loads(
            client.get(reverse("assetmap:oruk_service", args=[service["id"]])).content
        )
        assert_valid("service", full)
        assert {k: full[k] for k in service} == service  # the list item is the full one, shorter
    for organisation in organisations:
        assert_valid("organization_list", organisation)
        response = client.get(reverse("assetmap:oruk_organization", args=[organisation["id"]]))
        full = json.loads(response.content)
        assert_valid("organization", full)
        assert full["services"]
    # Every service's organisation is in the organisations feed.
    assert {s["organization_id"] for s in services} == {o["id"] for o in organisations}


@pytest.fixture
def services(category, ward, group):
    cafe = AssetFactory(
        name="Repair café",
        kind=Asset.SERVICE,
        group=group,
        category=category,
        ward=ward,
        opening_times="Saturdays",
        contact_name="Sam",
        contact_phone="01632 960001",
        contact_email="cafe@example.org",
        accessibility="Step-free entrance",
        address="1 Mill Lane",
        postcode="KX5 1AB",
    )
    own = AssetFactory(
        name="Allotment society",
        kind=Asset.ORGANISATION,
        category=category,
        ward=ward,
        latitude=None,
        longitude=None,
        website="https://allotments.example.org/",
    )
    AssetFactory(name="Park", kind=Asset.SPACE, category=category, ward=ward)
    AssetFactory(
        name="Pending", kind=Asset.SERVICE, status=Asset.PENDING, category=category, ward=ward
    )
    return cafe, own


def test_services_are_published_services_groups_and_organisations(client, services):
    cafe, own = services
    body = get_page(client, SERVICES)
    assert [s["name"] for s in body["contents"]] == ["Repair café", "Allotment society"]
    listed = body["contents"][0]
    assert listed["organization"]["name"] == "Fernhill Friends"
    assert "service_at_locations" not in listed  # the list is the short form
    full = client.get(reverse("assetmap:oruk_service", args=[listed["id"]])).json()
    assert full["schedules"][0]["description"] == "Saturdays"
    assert full["contacts"][0]["name"] == "Sam"
    location = full["service_at_locations"][0]["location"]
    assert location["location_type"] == "physical"
    assert location["latitude"] == pytest.approx(cafe.latitude)
    assert location["addresses"][0]["postal_code"] == "KX5 1AB"
    assert location["accessibility"][0]["description"] == "Step-free entrance"
    term = full["attributes"][0]["taxonomy_term"]
    assert term["name"] == "Green spaces" and term["term"] == "green-spaces"
    assert_valid("service", full)
    # An organisation asset with no group is its own organisation, and has no location.
    alone = client.get(reverse("assetmap:oruk_service", args=[body["contents"][1]["id"]])).json()
    assert alone["organization"]["name"] == "Allotment society"
    assert "service_at_locations" not in alone
    assert alone["url"] == "https://allotments.example.org/"
    assert_valid("service", alone)
    # Stable identifiers across requests.
    assert [s["id"] for s in get_page(client, SERVICES)["contents"]] == [
        s["id"] for s in body["contents"]
    ]


def test_organisations_are_groups_and_lone_organisations(client, services):
    body = get_page(client, ORGANISATIONS)
    names = [o["name"] for o in body["contents"]]
    assert names == ["Allotment society", "Fernhill Friends"]
    for record in body["contents"]:
        assert_valid("organization_list", record)
        full = client.get(reverse("assetmap:oruk_organization", args=[record["id"]])).json()
        assert_valid("organization", full)
    group = client.get(reverse("assetmap:oruk_organization", args=[body["contents"][1]["id"]]))
    assert [s["name"] for s in group.json()["services"]] == ["Repair café"]


def test_paging_as_the_api_reference_says(client, category, ward):
    assets_bulk(12, category=category, ward=ward, kind=Asset.SERVICE)
    first = get_page(client, SERVICES, per_page=5)
    assert (first["total_items"], first["total_pages"], first["size"]) == (12, 3, 5)
    assert first["first_page"] and not first["last_page"] and not first["empty"]
    last = get_page(client, SERVICES, per_page=5, page=3)
    assert last["size"] == 2 and last["last_page"] and not last["first_page"]
    beyond = get_page(client, SERVICES, per_page=5, page=9)
    assert beyond["empty"] and beyond["contents"] == []
    ids = [
        s["id"]
        for p in (1, 2, 3)
        for s in get_page(client, SERVICES, per_page=5, page=p)["contents"]
    ]
    assert len(set(ids)) == 12


@pytest.mark.parametrize(
    "params",
    [{"page": "0"}, {"page": "x"}, {"per_page": "100000"}, {"page": "99999999999999999999"}],
)
def test_bad_paging_is_a_400(client, services, params):
    for url in (SERVICES, ORGANISATIONS):
        response = client.get(url, params)
        assert response.status_code == 400
        assert response.json()["errors"]


def test_search_and_taxonomy_term_filters(client, services, other_category, ward):
    AssetFactory(name="Food bank", kind=Asset.SERVICE, category=other_category, ward=ward)
    body = get_page(client, SERVICES, search="repair")
    assert [s["name"] for s in body["contents"]] == ["Repair café"]
    full = client.get(reverse("assetmap:oruk_service", args=[body["contents"][0]["id"]])).json()
    term_id = full["attributes"][0]["taxonomy_term"]["id"]
    names = [s["name"] for s in get_page(client, SERVICES, taxonomy_term_id=term_id)["contents"]]
    assert names == ["Repair café", "Allotment society"]
    response = client.get(SERVICES, {"taxonomy_term_id": "not-a-term"})
    assert response.status_code == 400 and "taxonomy_term_id" in response.json()["errors"]


def test_unknown_ids_are_404(client, services):
    listed = get_page(client, SERVICES)["contents"][0]
    for name, value in [
        ("oruk_service", "not-a-uuid"),
        ("oruk_service", "6f0c1d9e-8a55-4c8e-9f58-2b1f0a7d4c11"),
        ("oruk_service", listed["organization_id"]),  # an organisation's id is not a service's
        ("oruk_organization", listed["id"]),
    ]:
        assert client.get(reverse(f"assetmap:{name}", args=[value])).status_code == 404
    Asset.objects.filter(name="Repair café").update(status=Asset.ARCHIVED)
    assert client.get(reverse("assetmap:oruk_service", args=[listed["id"]])).status_code == 404


def test_the_first_versions_addresses_redirect(client):
    response = client.get("/api/openreferral/services.json?page=2")
    assert response.status_code == 301 and response["Location"] == f"{SERVICES}?page=2"
    response = client.get("/api/openreferral/organizations.json")
    assert response.status_code == 301 and response["Location"] == ORGANISATIONS


def test_meta_information(client):
    body = client.get(reverse("assetmap:oruk_root")).json()
    assert body["version"] == "3.0" and body["openapi_url"].endswith("schema/openapi.json")


def test_city_and_taxonomy_come_from_the_site_settings(client, category, ward, home_page):
    from wagtail.models import Site

    from coproduce.models import SiteSettings

    names = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    names.council_name = "Marsh Vale District Council"
    names.save()
    AssetFactory(
        kind=Asset.SERVICE, category=category, ward=ward, address="2 Quay St", postcode="KX5 1AB"
    )
    listed = get_page(client, SERVICES)["contents"][0]
    full = client.get(reverse("assetmap:oruk_service", args=[listed["id"]])).json()
    assert full["service_at_locations"][0]["location"]["addresses"][0]["city"] == "Marsh Vale"
    taxonomy = full["attributes"][0]["taxonomy_term"]["taxonomy"]
    assert taxonomy == "Marsh Vale community asset categories"


def test_feeds_are_a_fixed_number_of_queries(client, category, ward, group, count_queries):
    def sizes():
        return [
            count_queries(lambda url=url: client.get(url, {"per_page": 500}))[0]
            for url in (SERVICES, ORGANISATIONS)
        ]

    assets_bulk(5, category=category, ward=ward, kind=Asset.SERVICE, group=group)
    sizes()  # warms the per-process caches (site, content types)
    small = sizes()
    assets_bulk(400, category=category, ward=ward, kind=Asset.GROUP)
    assert sizes() == small
