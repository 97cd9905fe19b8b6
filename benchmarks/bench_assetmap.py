"""GeoJSON endpoint with 5,000 published assets: time per request and payload size.

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


def _time(client, url):
    client.get(url)  # warm-up
    timings = []
    size = 0
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - start)
        size = len(response.content)
        assert response.status_code == 200, response.status_code
    return timings, size


def run() -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    _data()
    client = Client(HTTP_HOST="localhost")
    geojson, geojson_bytes = _time(client, "/api/assets.geojson")
    points, points_bytes = _time(client, "/api/assets/points.json")
    with CaptureQueriesContext(connection) as queries:
        client.get("/api/assets.geojson")
    return {
        "assets": ASSETS,
        "runs": RUNS,
        "geojson_median_ms": round(statistics.median(geojson) * 1000, 1),
        "geojson_max_ms": round(max(geojson) * 1000, 1),
        "geojson_bytes": geojson_bytes,
        "geojson_queries": len(queries.captured_queries),
        "points_median_ms": round(statistics.median(points) * 1000, 1),
        "points_bytes": points_bytes,
    }
