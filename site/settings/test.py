"""Tests: fast hashing, in-memory email and cache, tasks run immediately.

DATABASE_URL switches the suite to PostgreSQL (`.ci/run` does both).
"""

import os

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret-2b8e6c0d1a9f4e73"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Django's test runner sends straight to the outbox; tests of the queue set
# EMAIL_BACKEND = "coproduce.mail.QueuedEmailBackend" themselves.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"
# Off, so that tests count the queries of a page rendered afresh;
# tests/coproduce/test_cache.py turns it on.
PAGE_CACHE_SECONDS = 0

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": database_from_url(os.environ["DATABASE_URL"])}  # noqa: F405
else:
    DATABASES["default"]["NAME"] = ":memory:"  # noqa: F405
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE"}  # noqa: F405

# Serve static files from the app and project folders without collectstatic.
WHITENOISE_USE_FINDERS = True
ASSETMAP_TILE_URL = ""  # tests never fetch map tiles, whatever the environment says
WHITENOISE_AUTOREFRESH = True
