"""The production cache: django-redis when REDIS_URL is set, else a table in the database.

Either way it is shared by every worker and app server, so rate limits and
allauth's lockouts hold across them.

`.ci/run` sets REDIS_URL to its Redis server, and then the round trip below
fails, with a message, if Redis does not answer. Without REDIS_URL (a
newcomer's `make test`) the test checks the single-server fallback instead.
"""

import importlib
import os
import sys
import uuid

import pytest
from django.core.cache import CacheHandler
from django.core.management import call_command
from django.test import override_settings

REDIS_URL = os.environ.get("REDIS_URL", "")


def production_caches(monkeypatch, redis_url):
    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    monkeypatch.setenv("ALLOWED_HOSTS", "coproduce.kelderby.example")
    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/unused.sqlite3")
    if redis_url:
        monkeypatch.setenv("REDIS_URL", redis_url)
    else:
        monkeypatch.delenv("REDIS_URL", raising=False)
    sys.modules.pop("coproduce.settings.production", None)
    try:
        return importlib.import_module("coproduce.settings.production").CACHES
    finally:
        sys.modules.pop("coproduce.settings.production", None)


def test_production_uses_redis_when_configured(monkeypatch):
    caches = production_caches(monkeypatch, "redis://cache.internal:6379/1")

    assert caches["default"]["BACKEND"] == "django_redis.cache.RedisCache"
    assert caches["default"]["LOCATION"] == "redis://cache.internal:6379/1"


@pytest.mark.django_db
def test_production_cache_round_trip(monkeypatch):
    caches = production_caches(monkeypatch, REDIS_URL)
    if not REDIS_URL:
        # Not one process's memory: the database cache, in the table that
        # `manage.py createcachetable` makes (here in the test database).
        assert caches["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
        with override_settings(CACHES=caches):
            call_command("createcachetable", verbosity=0)
    cache = CacheHandler(caches)["default"]
    key = f"coproduce-test:{uuid.uuid4()}"
    try:
        # What the rate limits and allauth do: add, increment, read, expire.
        assert cache.add(key, 1, timeout=30)
        assert not cache.add(key, 1, timeout=30)
        assert cache.incr(key) == 2
        assert cache.get(key) == 2
        cache.set(f"{key}:dict", {"ward": "Brookside"}, timeout=30)
        assert cache.get(f"{key}:dict") == {"ward": "Brookside"}
        cache.delete_many([key, f"{key}:dict"])
        assert cache.get(key) is None
    except AssertionError:
        raise
    except Exception as error:
        pytest.fail(f"the cache at REDIS_URL={REDIS_URL!r} does not answer: {error}")
    finally:
        cache.close()
