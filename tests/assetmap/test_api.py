"""Open data: GeoJSON (RFC 7946), its conditional GET, filters, CSV, the map's payloads."""

import csv
import gzip
import io
import json

import pytest
from django.urls import reverse

from assetmap.models import Asset

from .factories import AssetFactory, assets_bulk

GEOJSON = reverse("assetmap:geojson")


def get_json(client, url, **params):
    response = client.get(url, params)
    return response, json.loads(response.content)


def assert_rfc7946(collection):
    assert collection["type"] == "FeatureCollection"
    assert isinstance(collection["features"], list)
    for feature in collection["features"]:
        assert feature["type"] == "Feature"
        assert isinstance(feature["properties"], dict)
        geometry = feature["geometry"]
        assert geometry["type"] == "Point"
        lon, lat = geometry["coordinates"]
        assert all(isinstance(v, float | int) and not isinstance(v, bool) for v in (lon, lat))
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert "crs" not in feature


@pytest.fixture
def mixed(category, other_category, ward, other_ward):
    orchard = AssetFactory(
        name="Orchard",
        kind=Asset.SPACE,
        category=category,
        ward=ward,
        latitude=53.65,
        longitude=-2.1,
    )
    orchard.tags.add("fruit")
    AssetFactory(
        name="Food bank",
        kind=Asset.SERVICE,
        category=other_category,
        ward=other_ward,
        latitude=53.61,
        longitude=-2.19,
    )
    AssetFactory(name="Pending hall", status=Asset.PENDING, category=category, ward=ward)
    AssetFactory(name="Rejected hall", status=Asset.REJECTED, category=category, ward=ward)
    AssetFactory(name="No location", latitude=None, longitude=None, category=category, ward=ward)
    return orchard


def test_geojson_is_a_valid_feature_collection_of_published_assets(client, mixed):
    response, body = get_json(client, GEOJSON)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    assert_rfc7946(body)
    names = {f["properties"]["name"] for f in body["features"]}
    assert names == {"Orchard", "Food bank"}  # nothing unpublished, nothing unlocated
    orchard = next(f for f in body["features"] if f["properties"]["name"] == "Orchard")
    assert orchard["geometry"]["coordinates"] == [-2.1, 53.65]  # longitude first
    assert orchard["id"] == mixed.pk
    assert orchard["properties"]["url"].endswith(f"/community-assets/{mixed.pk}/")


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"kind": "service"}, {"Food bank"}),
        ({"category": "green-spaces"}, {"Orchard"}),
        ({"ward": "brookside"}, {"Food bank"}),
        ({"tag": "fruit"}, {"Orchard"}),
        ({"bbox": "-2.15,53.62,-2.05,53.68"}, {"Orchard"}),
        ({"bbox": "-2.2,53.6,-2.05,53.68", "kind": "space"}, {"Orchard"}),
        ({"q": "food"}, {"Food bank"}),
        ({"tag": "unknown-tag"}, set()),
    ],
)
def test_geojson_filters(client, mixed, params, expected):
    _, body = get_json(client, GEOJSON, **params)
    assert {f["properties"]["name"] for f in body["features"]} == expected


@pytest.mark.parametrize(
    "params, field",
    [
        ({"bbox": "1,2,3"}, "bbox"),
        ({"bbox": "a,b,c,d"}, "bbox"),
        ({"bbox": "nan,1,2,3"}, "bbox"),
        ({"bbox": "-2,53.7,-2.1,53.6"}, "bbox"),  # west > east
        ({"bbox": "-2,95,-1,96"}, "bbox"),
        ({"kind": "castle"}, "kind"),
        ({"category": "no-such-category"}, "category"),
        ({"ward": "atlantis"}, "ward"),
        ({"tag": "not a slug!"}, "tag"),
    ],
)
def test_bad_filters_are_a_400_json_error(client, mixed, params, field):
    response, body = get_json(client, GEOJSON, **params)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert field in body["errors"]


def test_geojson_is_a_fixed_number_of_queries_however_many_assets(
    client, category, ward, django_assert_num_queries
):
    # Three small aggregates make the ETag, one query reads the rows.
    assets_bulk(10, category=category, ward=ward)
    with django_assert_num_queries(4):
        small = client.get(GEOJSON)
    assets_bulk(1000, category=category, ward=ward)
    with django_assert_num_queries(4):
        large = client.get(GEOJSON)
    assert len(json.loads(small.content)["features"]) == 10
    assert len(json.loads(large.content)["features"]) == 1010
    # The same content again: its body comes from the cache, no row is read.
    with django_assert_num_queries(3):
        again = client.get(GEOJSON)
    assert again.content == large.content


def test_geojson_conditional_get(client, mixed, django_assert_num_queries):
    first = client.get(GEOJSON, {"kind": "space"})
    etag = first["ETag"]
    assert etag.startswith('W/"') and "no-cache" in first["Cache-Control"]
    with django_assert_num_queries(3):  # the version only: no row read, no body built
        response = client.get(GEOJSON, {"kind": "space"}, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and response.content == b""
    assert response["ETag"] == etag
    # Gzipped, the same content under the same tag.
    zipped = client.get(GEOJSON, {"kind": "space"}, HTTP_ACCEPT_ENCODING="gzip, br")
    assert zipped["Content-Encoding"] == "gzip" and zipped["ETag"] == etag
    assert "Accept-Encoding" in zipped["Vary"]
    assert gzip.decompress(zipped.content) == first.content
    again = client.get(
        GEOJSON, {"kind": "space"}, HTTP_IF_NONE_MATCH=etag, HTTP_ACCEPT_ENCODING="gzip"
    )
    assert again.status_code == 304
    # Other filters are another body, with another tag.
    assert client.get(GEOJSON)["ETag"] != etag


@pytest.mark.parametrize(
    "change",
    [
        lambda orchard: AssetFactory(
            kind=Asset.SPACE, category=orchard.category, ward=orchard.ward
        ),
        lambda orchard: Asset.objects.filter(pk=orchard.pk).update(status=Asset.ARCHIVED),
        lambda orchard: Asset.objects.filter(pk=orchard.pk).delete(),
        lambda orchard: orchard.save(),  # an approved edit saves the asset
        lambda orchard: (
            type(orchard.category).objects.filter(pk=orchard.category_id).update(name="Parks")
        ),
        lambda orchard: (
            type(orchard.ward).objects.filter(pk=orchard.ward_id).update(name="Fern Hill")
        ),
    ],
    ids=["added", "unpublished", "deleted", "edited", "category renamed", "ward renamed"],
)
def test_geojson_etag_changes_with_what_the_body_shows(client, mixed, change):
    etag = client.get(GEOJSON, {"kind": "space"})["ETag"]
    change(mixed)
    response = client.get(GEOJSON, {"kind": "space"}, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response["ETag"] != etag


def test_points_are_ids_and_coordinates_only(client, mixed, category, ward, count_queries):
    response, body = get_json(client, reverse("assetmap:points"))
    assert response.status_code == 200
    assert sorted(p[0] for p in body["points"]) == sorted(
        Asset.objects.published().mapped().values_list("id", flat=True)
    )
    assert all(len(p) == 3 for p in body["points"])
    small, _ = count_queries(lambda: client.get(reverse("assetmap:points")))
    assets_bulk(1000, category=category, ward=ward)
    large, _ = count_queries(lambda: client.get(reverse("assetmap:points")))
    assert small == large == 1


def test_asset_json_gives_details_of_published_assets_only(client, mixed):
    response, body = get_json(client, reverse("assetmap:asset_json", args=[mixed.pk]))
    assert response.status_code == 200
    assert body["name"] == "Orchard" and body["url"] == mixed.get_absolute_url()
    pending = Asset.objects.get(name="Pending hall")
    response = client.get(reverse("assetmap:asset_json", args=[pending.pk]))
    assert response.status_code == 404


def test_csv_download(client, mixed):
    response = client.get(reverse("assetmap:csv"), {"ward": "fernhill"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {r["name"] for r in rows} == {"Orchard", "No location"}
    assert next(r for r in rows if r["name"] == "Orchard")["tags"] == "fruit"


def test_csv_is_constant_queries(client, category, ward, count_queries):
    assets_bulk(10, category=category, ward=ward)
    client.get(reverse("assetmap:csv"))  # warms the per-process caches (site, content types)
    small, _ = count_queries(lambda: client.get(reverse("assetmap:csv")))
    assets_bulk(1000, category=category, ward=ward)
    large, _ = count_queries(lambda: client.get(reverse("assetmap:csv")))
    assert small == large


def test_csv_bad_filter_is_400(client, mixed):
    assert client.get(reverse("assetmap:csv"), {"bbox": "x"}).status_code == 400
