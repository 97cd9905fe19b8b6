"""Every public page type runs at most eight queries, the same number however much data.

Counted as production serves them, with the caches on: anonymous visitors on a
page the whole-page cache has not stored (its middleware left out, so the view
runs), and a signed-in resident, whom that cache never serves. Each page is
asked for until the caches are warm, counted, then counted again after more
of everything has been added.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.coproduce.borough import grow

pytestmark = pytest.mark.django_db

BUDGET = 8


@pytest.fixture(autouse=True)
def _production_caching(settings):
    settings.PAGE_CACHE_SECONDS = 600
    settings.MIDDLEWARE = [
        m for m in settings.MIDDLEWARE if m != "coproduce.cache.AnonymousPageCacheMiddleware"
    ]


def counts(client, pages):
    found = {}
    for name, url in pages.items():
        client.get(url)
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        found[name] = len(queries)
    return found


def assert_within_budget_and_constant(client, borough):
    small = counts(client, borough["pages"])
    grow(borough)
    large = counts(client, borough["pages"])
    over = {name: n for name, n in large.items() if n > BUDGET}
    assert not over, f"over {BUDGET} queries: {over}"
    assert large == small


def test_anonymous_pages_the_page_cache_has_not_stored(client, borough):
    assert_within_budget_and_constant(client, borough)


def test_pages_for_a_signed_in_resident(client, borough, resident):
    client.force_login(resident)
    assert_within_budget_and_constant(client, borough)


def test_pages_for_a_signed_in_officer(client, borough, officer):
    """Staff see the public pages with their officer links and the user bar, within budget too."""
    client.force_login(officer)
    assert_within_budget_and_constant(client, borough)
