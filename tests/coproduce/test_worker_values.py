"""What a worker keeps of the shared cache's generation-keyed values (coproduce.cache.WorkerValues)."""

import pytest
from django.core.cache import cache

from coproduce.cache import (
    GENERATION_KEY,
    WorkerValues,
    page_cache_invalidate,
    remembered,
    worker_values,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]


def test_a_value_read_again_comes_from_the_worker_not_the_shared_cache(monkeypatch):
    assert remembered(GENERATION_KEY, "wards", lambda: ["Dunmere"]) == ["Dunmere"]
    reads, get = [], cache.get

    def counted(key, *args, **kwargs):
        reads.append(key)
        return get(key, *args, **kwargs)

    monkeypatch.setattr(cache, "get", counted)
    assert remembered(GENERATION_KEY, "wards", lambda: ["not computed"]) == ["Dunmere"]
    assert [key for key in reads if key.startswith("remembered:")] == []


def test_each_read_gets_its_own_copy():
    remembered(GENERATION_KEY, "wards", lambda: ["Dunmere"])
    remembered(GENERATION_KEY, "wards", lambda: None).append("changed by one request")
    assert remembered(GENERATION_KEY, "wards", lambda: None) == ["Dunmere"]


def test_a_new_generation_is_never_answered_from_the_worker():
    remembered(GENERATION_KEY, "wards", lambda: ["Dunmere"])
    page_cache_invalidate()
    assert remembered(GENERATION_KEY, "wards", lambda: ["Dunmere", "Eastfield"]) == [
        "Dunmere",
        "Eastfield",
    ]


def test_what_another_worker_stored_is_read_from_the_shared_cache_once():
    remembered(GENERATION_KEY, "wards", lambda: ["Dunmere"])
    worker_values.clear()  # a worker that has not read it yet
    assert remembered(GENERATION_KEY, "wards", lambda: ["not computed"]) == ["Dunmere"]


def test_a_worker_keeps_at_most_its_size_dropping_the_oldest():
    kept = WorkerValues(size=2)
    for key in ("a", "b", "c"):
        kept.put(key, key.upper())
    assert list(kept.values) == ["b", "c"]
    assert kept.get("c") == "C"


def test_a_kept_value_lives_no_longer_than_the_page_cache_allows(monkeypatch):
    kept = WorkerValues()
    kept.put("a", "A")
    monkeypatch.setattr("coproduce.cache.time.time", lambda: 10**12)
    assert kept.get("a") is kept.get("never kept")
