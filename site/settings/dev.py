"""Development: SQLite, console email, inline tasks unless TASKS_BACKEND=database."""

import os

from .base import *  # noqa: F403

# The demo shows what a resident would see: the site's own 404, 403 and 500
# pages, not Django's debug pages (tracebacks still go to the console).
# DJANGO_DEBUG=1 turns Django's debug pages back on while developing.
DEBUG = os.environ.get("DJANGO_DEBUG", "") == "1"
SECRET_KEY = "dev-only-not-secret-f7c1e4b9a2d84f36b0e1"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

# A template edited while the server runs shows within half a minute.
PAGE_CACHE_SECONDS = 30

# allauth's rate limits need a real cache; LocMem is one per process.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

if os.environ.get("TASKS_BACKEND") == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": database_from_url(os.environ["DATABASE_URL"])}  # noqa: F405

# Serve static files from the app and project folders without collectstatic,
# and uploaded media, whether DEBUG is on or off.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
SERVE_MEDIA = True

# GOV.UK Notify from the environment, to try it against a trial key or the
# local fake (`python -m tests.notify_fake` prints the variables to set).
NOTIFY_API_KEY = os.environ.get("NOTIFY_API_KEY", "")
NOTIFY_BASE_URL = os.environ.get("NOTIFY_BASE_URL", NOTIFY_BASE_URL)  # noqa: F405
NOTIFY_EMAIL_TEMPLATE_ID = os.environ.get("NOTIFY_EMAIL_TEMPLATE_ID", "")
NOTIFY_SMS_TEMPLATE_ID = os.environ.get("NOTIFY_SMS_TEMPLATE_ID", "")

# Security keys over plain http on the development server (http://localhost:…).
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
