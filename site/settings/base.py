"""Settings shared by every environment.

`site/` is installed as the `coproduce` package (see pyproject.toml), so this
module is `coproduce.settings.base`.
"""

import base64
import hashlib
import os
from pathlib import Path
from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy as _

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

INSTALLED_APPS = [
    # Project apps first. Order matters to `load_demo`, which runs each app's
    # demo module in this order: site pages, then the spine, then accounts.
    "coproduce",
    "commissioning",
    "accounts",
    # Engagement apps build on the spine and never import each other.
    "budget",
    "assetmap",
    "panels",
    "consultations",
    # Delivery and review follow the engagement apps (its demo uses theirs).
    "delivery",
    # Themes from free text: after the engagement apps, so its demo themes
    # what they have loaded.
    "commissioning.themes",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    # wagtail.users, with the user admin forms of the email-login user model.
    "accounts.apps.WagtailUsersConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    # Two-factor sign-in (TOTP, recovery codes, security keys), required of
    # staff by accounts.middleware.StaffTwoFactorMiddleware.
    "allauth.mfa",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    # Django's widget templates, for the GOV.UK form renderer (TemplatesSetting).
    "django.forms",
]

# The project's own apps by label: the manifests' checks look at their models.
PROJECT_APPS = [
    "coproduce",
    "accounts",
    "commissioning",
    "themes",
    "budget",
    "assetmap",
    "panels",
    "consultations",
    "delivery",
]

MIDDLEWARE = [
    # First, so a hit runs nothing else: a stored page already carries the
    # headers of the middleware below it (security, permissions policy).
    "coproduce.cache.AnonymousPageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "coproduce.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "coproduce.cache.CachedSiteMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "coproduce.middleware.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.StaffTwoFactorMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "coproduce.urls"
WSGI_APPLICATION = "coproduce.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "coproduce.chrome.chrome",
            ],
            "builtins": ["coproduce.templatetags.govuk"],
        },
    },
]

# WAL and IMMEDIATE transactions: concurrent writers wait instead of failing
# with "database is locked". Every SQLite database gets them, however it is
# configured (see database_from_url).
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}


def database_from_url(url, **kwargs):
    """A DATABASES entry from a DATABASE_URL, with the SQLite options when it is SQLite."""
    import dj_database_url

    config = dj_database_url.parse(url, **kwargs)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
    return config


DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BASE_DIR / "db.sqlite3",
        "OPTIONS": dict(SQLITE_OPTIONS),
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
# One way in: the Wagtail admin signs people in, out and resets passwords
# through allauth (accounts.admin_urls answers Wagtail's own URLs).
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
# Email addresses change through allauth (/accounts/email/), which verifies them.
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
# Private pages and documents send people to allauth's sign-in too.
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "accounts:profile"

# django-allauth: email is the login, verified before first sign-in, no
# answer that tells whether an address has an account. Its rate limits are on
# by default and need a real cache (see CACHES in each environment).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_UNIQUE_EMAIL = True
# Subjects start with the service's name from the site settings (see the adapter).
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
# GOV.UK wording (labels, error messages, no placeholders); sign-up adds a honeypot.
ACCOUNT_FORMS = {
    "login": "accounts.forms.LoginForm",
    "signup": "accounts.forms.SignupForm",
    "add_email": "accounts.forms.AddEmailForm",
    "change_password": "accounts.forms.ChangePasswordForm",
    "set_password": "accounts.forms.SetPasswordForm",
    "reset_password": "accounts.forms.ResetPasswordForm",
    "reauthenticate": "accounts.forms.ReauthenticateForm",
    "reset_password_from_key": "accounts.forms.ResetPasswordKeyForm",
}

# Two-factor sign-in through allauth's MFA. Staff (officers, editors,
# superusers: anyone who can reach the admin) must set up an authenticator app
# and pass this step at each sign-in before any page other than allauth's own
# (accounts.middleware). Security keys are a second factor after the password;
# passkey-only sign-in stays off, so one device is never enough for staff.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_PASSKEY_SIGNUP_ENABLED = False
MFA_TOTP_ISSUER = "Coproduce"
MFA_WEBAUTHN_USER_VERIFICATION = "preferred"
# Security keys need https, except on the development server (settings.dev).
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = False
MFA_FORMS = {
    "authenticate": "accounts.forms.MFAAuthenticateForm",
    "reauthenticate": "accounts.forms.MFAReauthenticateForm",
    "activate_totp": "accounts.forms.ActivateTOTPForm",
}
MFA_ADAPTER = "accounts.adapter.MFAAdapter"
# Paths where a staff session that has not passed two-factor sign-in is let
# through: allauth's own pages (sign in, the second step, set-up, sign out),
# the admin's sign-in and sign-out redirects, and static files.
STAFF_TWO_FACTOR_EXEMPT_PREFIXES = (
    "/accounts/",
    "/admin/login/",
    "/admin/logout/",
    "/admin/password_reset/",
    "/static/",
    "/media/",
)

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", _("English"))]
TIME_ZONE = "Europe/London"
# The admin's account page offers these time zones. Left unset, Wagtail lists
# every name in the system's zoneinfo, including "localtime", which browsers
# reject (a script error on the page); a council's staff work in UK time.
WAGTAIL_USER_TIME_ZONES = ["Europe/London"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# static/ holds the project's own files; static/vendor/ is filled by
# `make assets` from node_modules and is git-ignored.
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "/media/"
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

WAGTAIL_SITE_NAME = "Coproduce"
# The one public address every email links to (coproduce.mail.site_url).
WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
WAGTAILSEARCH_BACKENDS = {
    # The database backend uses PostgreSQL full-text search when the default
    # database is PostgreSQL, and SQLite FTS5 otherwise.
    "default": {"BACKEND": "wagtail.search.backends.database"},
}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
# Documents are always served through Wagtail's view, which enforces collection
# privacy (panel papers are for officers and members), never by a redirect to
# the storage's own address.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 5 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 24_000_000
# The user admin's forms come from accounts.viewsets.UserViewSet (see
# accounts.apps.WagtailUsersConfig above): Wagtail 6+ ignores WAGTAIL_USER_*_FORM.
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_COMMENTS_ENABLED = True

# Background work (emails, lottery draws, theme extraction, large exports).
# Inline by default; production and `TASKS_BACKEND=database` use the queue in
# the database, worked by `manage.py db_worker`.
# Panels' invitation addresses are deleted this many days after the panel's
# first draw (reserves can be drawn and written to until then).
PANELS_ADDRESS_RETENTION_DAYS = 90

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Every email is queued (coproduce.mail.QueuedEmailBackend) and sent by a task
# through EMAIL_DELIVERY_BACKEND, with retries: a mail outage never breaks a page.
EMAIL_BACKEND = "coproduce.mail.QueuedEmailBackend"
EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = "Coproduce <noreply@coproduce.example>"

# GOV.UK Notify (coproduce.messaging). With NOTIFY_API_KEY set, emails, text
# messages and letters (precompiled PDFs) go through Notify; without it, emails
# go through EMAIL_BACKEND, letters into one PDF for the print room, and no text
# messages are sent. Notify needs one email template with the placeholders
# ((subject)) and ((body)), and one text message template with ((body)).
NOTIFY_API_KEY = ""
NOTIFY_BASE_URL = "https://api.notifications.service.gov.uk"
NOTIFY_EMAIL_TEMPLATE_ID = ""
NOTIFY_SMS_TEMPLATE_ID = ""
NOTIFY_LETTER_POSTAGE = "second"

# GOV.UK Frontend's one inline script, first thing in <body> (base.html): it
# marks the page as scripted before it is drawn, so the header's menu is
# collapsed from the start instead of collapsing when site.js arrives and
# shifting the whole page up. Allowed by its hash; base.html must carry exactly
# this text (tests/coproduce/test_headers.py checks).
JS_ENABLED_SCRIPT = (
    "document.body.className += ' js-enabled' + "
    "('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');"
)
_js_enabled_digest = hashlib.sha256(JS_ENABLED_SCRIPT.encode()).digest()
JS_ENABLED_SCRIPT_HASH = f"'sha256-{base64.b64encode(_js_enabled_digest).decode()}'"

# Content Security Policy: no inline script but the one above, no third-party
# origins. Map tiles, if a council configures a tile server, are added per
# deployment.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", JS_ENABLED_SCRIPT_HASH],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
# The Wagtail admin runs inline scripts and styles (the page editor's inline
# panels, choosers and date pickers), so under /admin/ the policy allows them,
# and blob: images (upload previews); everything else stays as strict as the
# public site's. `coproduce.middleware.ContentSecurityPolicyMiddleware` picks
# the policy by path (django-csp 4 ignores the old CSP_* settings).
ADMIN_CSP_URL_PREFIXES = ("/admin/",)
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        # The page editor's preview panel frames the admin's own preview views.
        "frame-ancestors": ["'self'"],
    }
}
# Officers' avatars are not fetched from Gravatar: that would send a hash of
# their email address to a third party on every admin page.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# The admin dashboard would ask releases.wagtail.org for the latest version on
# every visit: a council site does not call out, and the admin CSP forbids it.
WAGTAIL_ENABLE_UPDATE_CHECK = False

# The anonymous page cache (coproduce/cache.py): how long a stored page may
# live at most, which URLs are never stored, and which apps' saves start a new
# generation of stored pages.
PAGE_CACHE_SECONDS = 600
# /static/ is whitenoise's, below the page cache: a file is never looked up in it.
PAGE_CACHE_SKIP_PREFIXES = (
    "/admin/",
    "/accounts/",
    "/my/",
    "/documents/",
    "/django-admin/",
    "/static/",
)
PAGE_CACHE_CONTENT_APPS = {
    "wagtailcore",
    "wagtailimages",
    "wagtaildocs",
    "wagtailredirects",
    "taggit",
    "coproduce",
    "commissioning",
    "budget",
    "assetmap",
    "panels",
    "consultations",
    "delivery",
    "themes",
}
# Tables of those apps that no public page shows: the action log (every audit
# entry), draft revisions and workflow states. Writing them keeps the pages.
PAGE_CACHE_IGNORED_TABLES = {
    "wagtailcore_modellogentry",
    "wagtailcore_pagelogentry",
    "wagtailcore_revision",
    "wagtailcore_workflowstate",
    "wagtailcore_taskstate",
}

# How many proxies of the council's own sit in front of the app servers. With
# N > 0 the client address is the Nth from the right of X-Forwarded-For, so
# residents behind the proxy do not share one rate limit or lockout. Our rate
# limits (coproduce.ratelimit) and allauth's read the same number.
TRUSTED_PROXY_COUNT = 0
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

# How long each class of personal data is kept, in days (None: until deleted
# by hand). `manage.py apply_retention` (daily, from cron or the task worker)
# anonymises or deletes what is older; README "Security and privacy" explains each.
RETENTION = {
    # Counted from the day the panel stopped taking applications. Applications
    # used in a draw are pseudonymised (the draw must stay reproducible); the rest deleted.
    "panel_applications": 730,
    # Civic lottery invitation addresses (panels registers them when it has them).
    "invitation_addresses": 180,
    # Counted from the day the consultation closed; the records are deleted.
    "equality_monitoring": 1095,
    # Accounts whose email address was never confirmed, counted from sign-up: anonymised.
    "unverified_accounts": 30,
    # The audit trail (Reports → Audit trail), counted from each entry: deleted.
    "audit_entries": 2190,
    # Emails, text messages and letters sent (coproduce.messaging), counted from
    # each message: deleted, unless still waiting to be sent.
    "sent_messages": 180,
}

# Sessions are read on every signed-in request: from the cache, written through
# to the database, so a cache flush or restart signs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# Nothing on the public site is framed; the admin's previews are framed by
# the admin itself (see coproduce.middleware).
X_FRAME_OPTIONS = "DENY"
# Browser features the site never uses are switched off for it and anything
# it embeds.
PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    ]
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Asset map. The borough's bounding box (a fictional one for Kelderby):
# coordinates outside it are refused. Tiles are off unless ASSETMAP_TILE_URL
# names a tile server (e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png,
# online only); the map then shows the borough's outline and markers on a
# plain background beside the list, with no request beyond the site. The
# tile server's origin is allowed as an image source in the public CSP.
ASSETMAP_BOROUGH_BOUNDS = {"south": 53.60, "west": -2.20, "north": 53.68, "east": -2.05}
ASSETMAP_TILE_URL = os.environ.get("ASSETMAP_TILE_URL", "")
ASSETMAP_TILE_ATTRIBUTION = os.environ.get("ASSETMAP_TILE_ATTRIBUTION", "")
if ASSETMAP_TILE_URL:
    _tiles = urlsplit(ASSETMAP_TILE_URL.replace("{s}", "a"))
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(f"{_tiles.scheme}://{_tiles.netloc}")
