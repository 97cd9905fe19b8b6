"""The anonymous page cache: whole public responses kept for people who are not signed in.

Most requests to a council's site come from people who are not signed in and
see the same page as everyone else, so the response is stored once and served
again without touching the view, the session or the database.

What is never stored or served from here:

- a request that carries a session or a messages cookie (a signed-in person,
  or someone with a flash message waiting): they always get their own page;
- anything but a GET or HEAD answered 200, a streaming response, a response
  that sets a cookie, renders a CSRF token (a form) or says `private`/`no-store`;
- the admin, account, "my" and document URLs (`PAGE_CACHE_SKIP_PREFIXES`).

Invalidation is exact and coarse: every stored page belongs to a *generation*,
and any write to a table of an app in `PAGE_CACHE_CONTENT_APPS` starts a new
one — publishing, unpublishing, moving or deleting a page, an approved asset
or comment, a new response behind a public count, a settings or snippet
change — whether it comes from `save()`, a queryset `.update()`, a bulk
create or raw SQL, because the watch sits on the database connection rather
than on model signals. Sessions, users and the task queue are not content, so
signing in or queueing an email keeps the pages. `PAGE_CACHE_SECONDS` bounds
how long a page can live even so.

A hit reads the shared cache once: the generation. Each worker keeps its own
copy of the pages of the current generation (`WorkerPages`), stored as their
status, headers and body, and builds the response from that copy.
"""

import functools
import hashlib
import pickle
import re
import secrets
import threading
import time

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import cc_delim_re

GENERATION_KEY = "pagecache:generation"
UNSAFE_CACHE_CONTROL = {"private", "no-store", "no-cache"}


def page_cache_generation():
    return _generation(GENERATION_KEY)


def _fresh_generation():
    """A generation never used before, for a generation key the cache has lost.

    Not 1: after a flush or an eviction a counter would start again at a
    number whose pages a worker may still hold (`WorkerPages`).
    """
    return secrets.randbits(62)


def _bump(key):
    _forget_generations()
    try:
        cache.incr(key)
    except ValueError:
        cache.add(key, _fresh_generation(), timeout=None)


def page_cache_invalidate():
    """Start a new generation: every page stored so far is rendered afresh on its next request."""
    _bump(GENERATION_KEY)


# Narrower generations for what many pages read and few writes change. Each is
# renewed by writes to its own tables only, so a new response or comment (a
# new content generation) keeps them.
CHROME_GENERATION_KEY = "pagecache:chrome-generation"
PAGES_GENERATION_KEY = "pagecache:pages-generation"
PERMISSIONS_GENERATION_KEY = "pagecache:permissions-generation"

ALL_GENERATION_KEYS = (
    GENERATION_KEY,
    CHROME_GENERATION_KEY,
    PAGES_GENERATION_KEY,
    PERMISSIONS_GENERATION_KEY,
)

# The site chrome (coproduce.chrome) changes only with the settings and the
# pages its links name.
CHROME_TABLES = frozenset(
    {
        "coproduce_sitesettings",
        "coproduce_navigationsettings",
        "coproduce_footersettings",
        "wagtailcore_page",
        "wagtailcore_site",
    }
)


class _Reads:
    """How many times this process has read a generation (see `_watch_writes`)."""

    count = 0


_reads = _Reads()


# A request reads several generations, some of them many times (routing, the
# site, breadcrumbs, permissions, the chrome): they are read together once per
# request, in one round trip to the cache, and kept for the rest of it. Kept
# per thread (a worker serves one request at a time on a thread), only between
# Django's request_started and request_finished, and forgotten as soon as this
# process starts a new generation itself, so its own writes show at once;
# another process's write shows from the next request, as a page rendered at
# that moment would anyway. Outside a request every read goes to the cache.
_this_request = threading.local()


def _request_started(**kwargs):
    _this_request.generations = {}


def _request_finished(**kwargs):
    _this_request.generations = None


def _forget_generations():
    if getattr(_this_request, "generations", None):
        _this_request.generations = {}


def _generation(key):
    _reads.count += 1
    known = getattr(_this_request, "generations", None)
    if known is None:
        return _read_generation(key)
    if not known:
        known.update(cache.get_many(ALL_GENERATION_KEYS))
    if key not in known:
        known[key] = _read_generation(key)
    return known[key]


def _read_generation(key):
    generation = cache.get(key)
    if generation is None:
        fresh = _fresh_generation()
        cache.add(key, fresh, timeout=None)
        generation = cache.get(key, fresh)
    return generation


def chrome_generation():
    return _generation(CHROME_GENERATION_KEY)


def pages_generation():
    return _generation(PAGES_GENERATION_KEY)


@functools.cache
def _page_tables():
    """The page tree: every page model's table, the sites and the view restrictions."""
    from wagtail.models import Page, PageViewRestriction

    tables = {
        model._meta.db_table.lower()
        for model in apps.get_models()
        if issubclass(model, Page) and not model._meta.proxy
    }
    tables |= {"wagtailcore_site", PageViewRestriction._meta.db_table.lower()}
    tables.add(PageViewRestriction.groups.through._meta.db_table.lower())
    return frozenset(tables)


@functools.cache
def _permission_tables():
    """Who may do what: permissions, groups and the links of users and groups to them.

    Wagtail's page permissions of groups and the staff's admin profiles
    (language, theme) are here too: the user bar shows what they decide.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission
    from wagtail.users.models import UserProfile

    user = get_user_model()
    links = (user.groups, user.user_permissions, Group.permissions)
    tables = {Permission._meta.db_table, Group._meta.db_table, "django_content_type"}
    tables |= {GroupPagePermission._meta.db_table, UserProfile._meta.db_table}
    tables |= {link.through._meta.db_table for link in links}
    return frozenset(table.lower() for table in tables)


def _generations_for(table):
    """The generation keys a write to `table` renews."""
    keys = []
    if table in _content_tables():
        keys.append(GENERATION_KEY)
    if table in CHROME_TABLES:
        keys.append(CHROME_GENERATION_KEY)
    if table in _page_tables():
        keys.append(PAGES_GENERATION_KEY)
    if table in _permission_tables():
        keys.append(PERMISSIONS_GENERATION_KEY)
    return keys


def _invalidate_for(keys):
    for key in keys:
        _bump(key)


_MISSING = object()


class WorkerValues:
    """This process's copies of values kept under keys that name their generation.

    A round trip to the shared cache costs a worker more CPU than the value
    is worth (a system call each way): what a request reads by a generation's
    key — the site, the route, the chrome, breadcrumbs, permissions — is kept
    here too, pickled, so each read still gets its own copy to change as it
    likes. The key names the generation, read once a request, so a new
    generation is never answered from here; at most `size` values are kept,
    each for `PAGE_CACHE_SECONDS` at most.
    """

    def __init__(self, size=2048):
        self.size = size
        self.values = {}
        self.lock = threading.Lock()

    def get(self, key):
        kept = self.values.get(key)
        if kept is None or kept[0] <= time.time():
            return _MISSING
        return pickle.loads(kept[1])

    def put(self, key, value):
        kept = (time.time() + settings.PAGE_CACHE_SECONDS, pickle.dumps(value, -1))
        with self.lock:
            if key not in self.values and len(self.values) >= self.size:
                self.values.pop(next(iter(self.values)))
            self.values[key] = kept

    def clear(self):
        with self.lock:
            self.values = {}


worker_values = WorkerValues()


def kept_get(key, default=None):
    """The value kept under a generation's `key`: this worker's copy, else the shared cache's."""
    value = worker_values.get(key)
    if value is _MISSING:
        value = cache.get(key, _MISSING)
        if value is _MISSING:
            return default
        worker_values.put(key, value)
    return value


def kept_set(key, value):
    cache.set(key, value, settings.PAGE_CACHE_SECONDS)
    worker_values.put(key, value)


def remembered(generation_key, key, compute):
    """`compute()` once per generation of `generation_key` (None is remembered too).

    For what many requests read and only a write to the generation's tables
    changes. Off with the page cache (`PAGE_CACHE_SECONDS = 0`): then it is
    computed on every call, as tests that count a view's own queries expect.
    """
    if not settings.PAGE_CACHE_SECONDS:
        return compute()
    full_key = f"remembered:{_generation(generation_key)}:{key}"
    value = kept_get(full_key, _MISSING)
    if value is _MISSING:
        value = compute()
        kept_set(full_key, value)
    return value


def _accepts_gzip(request):
    return "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "").lower()


def page_cache_key(request, generation):
    raw = "|".join(
        [
            request.method if request.method == "HEAD" else "GET",
            "gz" if _accepts_gzip(request) else "id",
            request.scheme,
            request.get_host(),
            request.get_full_path(),
        ]
    )
    # "page:", not the "pagecache:" of whole pickled responses stored before.
    return f"page:{generation}:{hashlib.sha256(raw.encode()).hexdigest()}"


def request_is_cacheable(request):
    if request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    path = request.path_info
    return not any(path.startswith(prefix) for prefix in settings.PAGE_CACHE_SKIP_PREFIXES)


def response_is_storable(request, response):
    # A page that renders a CSRF token (a form) sets the CSRF cookie: Django
    # renews it on every response that uses the token.
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    directives = {
        part.split("=")[0].strip().lower()
        for part in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    return not directives & UNSAFE_CACHE_CONTROL


class WorkerPages:
    """This process's copies of stored pages, all of one generation.

    A hit from here costs one small read from the shared cache (the
    generation) instead of two, and no unpickling. A new generation empties
    it, so a publish is seen at once, as with the shared cache alone.
    """

    def __init__(self, size=256):
        self.size = size
        self.generation = None
        self.pages = {}

    def get(self, generation, key):
        if generation != self.generation:
            return None
        return self.pages.get(key)

    def put(self, generation, key, page):
        if generation != self.generation:
            self.generation, self.pages = generation, {}
        if len(self.pages) >= self.size:
            self.pages.pop(next(iter(self.pages), None), None)
        self.pages[key] = page


worker_pages = WorkerPages()


def forget_worker_copies():
    """Empty this process's copies of pages and values (for tests that empty the shared cache)."""
    worker_pages.generation, worker_pages.pages = None, {}
    worker_values.clear()


def _page(response):
    """What is stored of a response: when it expires, its status, headers and body."""
    expires = time.time() + settings.PAGE_CACHE_SECONDS
    return (expires, response.status_code, list(response.items()), response.content)


def _stored_page(generation, key):
    page = worker_pages.get(generation, key)
    if page is None:
        page = cache.get(key)
        if page is not None:
            worker_pages.put(generation, key, page)
    if page is not None and page[0] > time.time():
        return page
    return None


class AnonymousPageCacheMiddleware:
    """Serve and store whole responses for anonymous visitors (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.PAGE_CACHE_SECONDS or not request_is_cacheable(request):
            return self.get_response(request)
        generation = page_cache_generation()
        key = page_cache_key(request, generation)
        page = _stored_page(generation, key)
        if page is not None:
            _expires, status, headers, content = page
            response = HttpResponse(content, status=status, headers=headers)
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if response_is_storable(request, response):
            # Responses come back from the view rendered.
            page = _page(response)
            cache.set(key, page, settings.PAGE_CACHE_SECONDS)
            worker_pages.put(generation, key, page)
            response["X-Page-Cache"] = "miss"
        return response


# SQLite's many-to-many add is `INSERT OR IGNORE INTO`.
_WRITE = re.compile(
    r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+[`"]?(\w+)', re.IGNORECASE
)


@functools.cache
def _content_tables():
    content = settings.PAGE_CACHE_CONTENT_APPS
    tables = set()
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label in content:
            tables.add(model._meta.db_table.lower())
    return frozenset(tables - set(settings.PAGE_CACHE_IGNORED_TABLES))


def _written_generations(sql):
    """The generation keys the write `sql` renews (none for a read or another table)."""
    match = _WRITE.match(sql) if sql[:12].lstrip()[:1] in "IUDiud" else None
    return _generations_for(match.group(1).lower()) if match else []


class _Renewed(dict):
    """Generation keys a transaction has renewed, each with the count of generation reads then.

    Called at the commit, it renews them all again.
    """

    def __call__(self):
        keys = sorted(self)
        self.clear()
        _invalidate_for(keys)


def _renewed_in(connection):
    """This transaction's `_Renewed`, registered once to run at its commit.

    A rolled-back transaction (or savepoint) drops the callback; the next write
    then starts afresh, so nothing is ever left unrenewed.
    """
    renewed = getattr(connection, "_pagecache_renewed", None)
    if renewed is None or not any(entry[1] is renewed for entry in connection.run_on_commit):
        renewed = connection._pagecache_renewed = _Renewed()
        connection.on_commit(renewed)
    return renewed


def _watch_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    keys = _written_generations(sql)
    if not keys:
        return result
    connection = context["connection"]
    if not connection.in_atomic_block:
        _invalidate_for(keys)
        return result
    # Renewed now, so this process sees the change at once, and again once
    # the transaction commits, so a page rendered meanwhile from the old rows
    # is not kept. A later write in the same transaction renews it again only
    # if a generation was read since (something may have been rendered and
    # stored in between): a response of seven statements renews each
    # generation twice, not fourteen times.
    renewed = _renewed_in(connection)
    fresh = [key for key in keys if renewed.get(key) != _reads.count]
    if fresh:
        _invalidate_for(fresh)
        renewed.update(dict.fromkeys(fresh, _reads.count))
    return result


def _install_write_watch(sender, connection, **kwargs):
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)


def connect_signals():
    """Watch every connection's writes: one that touches a watched table invalidates."""
    from django.core.signals import request_finished, request_started
    from django.db.backends.signals import connection_created

    connection_created.connect(_install_write_watch, dispatch_uid="pagecache-write-watch")
    request_started.connect(_request_started, dispatch_uid="pagecache-request-started")
    request_finished.connect(_request_finished, dispatch_uid="pagecache-request-finished")


def route_cached(root, request, path_components, route):
    """Route `path_components` under `root`, remembering the page a path leads to.

    Wagtail walks the tree one level at a time, two queries a level. A path
    routed before in this generation of the page tree costs no query: the
    page itself is remembered (any write to a page table, a site or a view
    restriction starts a new generation), and what is left of the path after
    it — a routable page's sub-route — is resolved by the page again. Off with
    the page cache (`PAGE_CACHE_SECONDS = 0`, as in tests that count queries).
    """
    if not settings.PAGE_CACHE_SECONDS:
        return route(request, path_components)
    path = "/".join(path_components)
    key = f"route:{_generation(PAGES_GENERATION_KEY)}:{root.pk}:"
    key += hashlib.sha256(path.encode()).hexdigest()
    remembered = kept_get(key)
    if remembered is not None:
        page, rest = remembered
        return page.route(request, rest)
    result = route(request, path_components)
    page = result[0]
    prefix = page.url_path[len(root.url_path) :].strip("/")
    own = prefix.split("/") if prefix else []
    if page.url_path.startswith(root.url_path) and path_components[: len(own)] == own:
        # Stored before the page is rendered: nothing of this request is on it.
        kept_set(key, (page, path_components[len(own) :]))
    return result


def site_for_request(request):
    """The Wagtail site answering `request`, with its root page in its specific form.

    Wagtail looks the site up on every request (one query) and routing then
    fetches the root page's specific form (another); both are remembered per
    host for a generation of the page tree, so a new site, a changed root or
    a published home page shows on the next request.
    """
    from django.http.request import split_domain_port
    from wagtail.models import Site

    hostname = split_domain_port(request.get_host())[0].lower()

    def find():
        site = Site.find_for_request(request)
        if site is not None:
            site.root_page = site.root_page.specific
        return site

    return remembered(PAGES_GENERATION_KEY, f"site:{hostname}:{request.get_port()}", find)


class CachedSiteMiddleware:
    """Give Wagtail the request's site from the cache (`site_for_request`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.PAGE_CACHE_SECONDS and not hasattr(request, "_wagtail_site"):
            # Where Site.find_for_request keeps the site it found for a request.
            request._wagtail_site = site_for_request(request)
        return self.get_response(request)
