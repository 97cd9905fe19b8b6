"""GeoJSON endpoint with 5,000 published assets: time per request and payload size.

Three cases, each through the whole middleware stack with gzip accepted:
the body built afresh (its cache emptied before each request), the body
from the cache (the same content asked again), and a conditional request
whose ETag matches (304). Sizes are the raw and the gzipped bodies.

Run with `python -m benchmarks assetmap` (a fresh migrated SQLite database).
"""

import statistics
import time

ASSETS = 5000
RUNS = 10


def _data():
    from django.conf import settings

    from assetmap.models import Asset
    from commissioning.models import AssetCategory, Ward

    ward, _ = Ward.objects.get_or_create(
        slug="bench-ward",
        defaults={"name": "Bench ward", "postcode_prefixes": "KX9", "population": 1},
    )
    categories = [
        AssetCategory.objects.get_or_create(slug=f"bench-{i}", defaults={"name": f"Bench {i}"})[0]
        for i in range(9)
    ]
    box = settings.ASSETMAP_BOROUGH_BOUNDS
    Asset.objects.filter(name__startswith="Bench asset ").delete()
    Asset.objects.bulk_create(
        [
            Asset(
                name=f"Bench asset {i}",
                kind=Asset.KINDS[i % len(Asset.KINDS)][0],
                category=categories[i % len(categories)],
                ward=ward,
                description="A community asset used to measure the open-data endpoint.",
                address=f"{i % 200 + 1} Mill Lane, Kelderby",
                postcode="KX9 1AB",
                latitude=box["south"] + (box["north"] - box["south"]) * ((i * 7919) % 1000) / 1000,
                longitude=box["west"] + (box["east"] - box["west"]) * ((i * 104729) % 1000) / 1000,
                status=Asset.PUBLISHED,
            )
            for i in range(ASSETS)
        ],
        batch_size=1000,
    )


def _time(client, url, *, status=200, before=None, **headers):
    client.get(url, **headers)  # warm-up
    timings = []
    response = None
    for _ in range(RUNS):
        if before:
            before()
        start = time.perf_counter()
        response = client.get(url, **headers)
        timings.append(time.perf_counter() - start)
        assert response.status_code == status, response.status_code
    return timings, response


def _ms(timings):
    return round(statistics.median(timings) * 1000, 1), round(max(timings) * 1000, 1)


def run() -> dict:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    _data()
    client = Client(HTTP_HOST="localhost")
    url = "/api/assets.geojson"
    gzip = {"HTTP_ACCEPT_ENCODING": "gzip"}
    built, raw = _time(client, url, before=cache.clear)
    built_gz, zipped = _time(client, url, before=cache.clear, **gzip)
    cached_gz, _ = _time(client, url, **gzip)
    etag = zipped["ETag"]
    not_modified, _ = _time(client, url, status=304, HTTP_IF_NONE_MATCH=etag, **gzip)
    points, points_response = _time(client, "/api/assets/points.json")
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    with CaptureQueriesContext(connection) as queries_304:
        client.get(url, HTTP_IF_NONE_MATCH=etag)
    return {
        "assets": ASSETS,
        "runs": RUNS,
        "geojson_built_median_ms": _ms(built)[0],
        "geojson_built_gzip_median_ms": _ms(built_gz)[0],
        "geojson_built_gzip_max_ms": _ms(built_gz)[1],
        "geojson_cached_gzip_median_ms": _ms(cached_gz)[0],
        "geojson_cached_gzip_max_ms": _ms(cached_gz)[1],
        "geojson_304_median_ms": _ms(not_modified)[0],
        "geojson_bytes": len(raw.content),
        "geojson_gzip_bytes": len(zipped.content),
        "geojson_queries": len(queries.captured_queries),
        "geojson_304_queries": len(queries_304.captured_queries),
        "points_median_ms": _ms(points)[0],
        "points_bytes": len(points_response.content),
    }
