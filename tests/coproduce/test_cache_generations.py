"""A request reads the cache generations once, together, and still sees its own writes at once."""

import pytest
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from coproduce.cache import PAGES_GENERATION_KEY, page_cache_invalidate, pages_generation
from tests.pages import StandardPageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]


def another_process_renews_the_pages():
    cache.incr(PAGES_GENERATION_KEY)


def _signal(signal):
    """Send a request's start or end as Django's test client does: without closing the
    test's database connection (which `close_old_connections` would, on PostgreSQL)."""
    signal.disconnect(close_old_connections)
    try:
        signal.send(sender=None)
    finally:
        signal.connect(close_old_connections)


@pytest.fixture
def in_a_request():
    _signal(request_started)
    yield
    _signal(request_finished)


def test_outside_a_request_every_read_goes_to_the_cache():
    before = pages_generation()
    another_process_renews_the_pages()
    assert pages_generation() == before + 1


def test_a_request_reads_its_generations_once(in_a_request, monkeypatch):
    reads = []
    original = cache.get_many

    def counted(keys, *args, **kwargs):
        reads.append(tuple(keys))
        return original(keys, *args, **kwargs)

    monkeypatch.setattr(cache, "get_many", counted)
    before = pages_generation()
    another_process_renews_the_pages()
    assert pages_generation() == before
    assert len(reads) == 1
    # This process's own write: read afresh, once more.
    page_cache_invalidate()
    assert pages_generation() == before + 1
    assert len(reads) == 2


def test_another_processs_write_shows_from_the_next_request():
    _signal(request_started)
    before = pages_generation()
    another_process_renews_the_pages()
    _signal(request_finished)
    _signal(request_started)
    try:
        assert pages_generation() == before + 1
    finally:
        _signal(request_finished)


def test_a_write_during_the_request_shows_at_once(in_a_request, home_page):
    before = pages_generation()
    StandardPageFactory(parent=home_page, title="Parks")
    assert pages_generation() > before


def test_a_publish_between_requests_shows_on_the_next_one(client, resident, home_page):
    page = StandardPageFactory(parent=home_page, title="Bin days")
    client.force_login(resident)
    client.get(page.url)
    assert b"Bin days" in client.get(page.url).content
    page.title = "Bin collection days"
    page.save_revision().publish()
    assert b"Bin collection days" in client.get(page.url).content
