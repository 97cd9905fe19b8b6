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
"""

import functools
import hashlib
import re

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.utils.cache import cc_delim_re

GENERATION_KEY = "pagecache:generation"
UNSAFE_CACHE_CONTROL = {"private", "no-store", "no-cache"}


def page_cache_generation():
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        generation = cache.get(GENERATION_KEY, 1)
    return generation


def _bump(key):
    try:
        cache.incr(key)
    except ValueError:
        cache.add(key, 2, timeout=None)


def page_cache_invalidate():
    """Start a new generation: every page stored so far is rendered afresh on its next request."""
    _bump(GENERATION_KEY)


# The site chrome (coproduce.chrome) changes only with the settings and the
# pages its links name, so it has a generation of its own.
CHROME_GENERATION_KEY = "pagecache:chrome-generation"
CHROME_TABLES = frozenset(
    {
        "coproduce_sitesettings",
        "coproduce_navigationsettings",
        "coproduce_footersettings",
        "wagtailcore_page",
        "wagtailcore_site",
    }
)


def chrome_generation():
    generation = cache.get(CHROME_GENERATION_KEY)
    if generation is None:
        cache.add(CHROME_GENERATION_KEY, 1, timeout=None)
        generation = cache.get(CHROME_GENERATION_KEY, 1)
    return generation


def _invalidate_for(table):
    page_cache_invalidate()
    if table in CHROME_TABLES:
        _bump(CHROME_GENERATION_KEY)


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
    return f"pagecache:{generation}:{hashlib.sha256(raw.encode()).hexdigest()}"


def request_is_cacheable(request):
    if request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    path = request.path_info
    return not any(path.startswith(prefix) for prefix in settings.PAGE_CACHE_SKIP_PREFIXES)


def response_is_storable(request, response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_USED"):
        return False
    directives = {
        part.split("=")[0].strip().lower()
        for part in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    return not directives & UNSAFE_CACHE_CONTROL


class AnonymousPageCacheMiddleware:
    """Serve and store whole responses for anonymous visitors (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.PAGE_CACHE_SECONDS or not request_is_cacheable(request):
            return self.get_response(request)
        key = page_cache_key(request, page_cache_generation())
        response = cache.get(key)
        if response is not None:
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if response_is_storable(request, response):
            # Responses come back from the view rendered, so they pickle whole.
            cache.set(key, response, settings.PAGE_CACHE_SECONDS)
            response["X-Page-Cache"] = "miss"
        return response


_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+[`"]?(\w+)', re.IGNORECASE)


@functools.cache
def _content_tables():
    content = settings.PAGE_CACHE_CONTENT_APPS
    tables = set()
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label in content:
            tables.add(model._meta.db_table.lower())
    return frozenset(tables - set(settings.PAGE_CACHE_IGNORED_TABLES))


def _written_content_table(sql):
    """The content table `sql` writes to, or None."""
    match = _WRITE.match(sql) if sql[:12].lstrip()[:1] in "IUDiud" else None
    table = match.group(1).lower() if match else None
    return table if table in _content_tables() else None


def _watch_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    table = _written_content_table(sql)
    if table:
        connection = context["connection"]
        # Now, so this process sees the change at once, and again once the
        # transaction commits, so a page rendered meanwhile from the old rows
        # is not kept.
        _invalidate_for(table)
        if connection.in_atomic_block:
            connection.on_commit(lambda: _invalidate_for(table))
    return result


def _install_write_watch(sender, connection, **kwargs):
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)


def connect_signals():
    """Watch every connection's writes: one that touches a content app's table invalidates."""
    from django.db.backends.signals import connection_created

    connection_created.connect(_install_write_watch, dispatch_uid="pagecache-write-watch")


def route_cached(root, request, path_components, route):
    """Route `path_components` under `root`, remembering which page a path names.

    Wagtail walks the tree one level at a time, two queries a level; a path
    already resolved in this content generation costs one query (the live
    page itself). Only whole-page matches are remembered: a path that goes on
    into a routable page's sub-routes is routed afresh. Off with the page
    cache (`PAGE_CACHE_SECONDS = 0`, as in tests that count queries).
    """
    from django.contrib.contenttypes.models import ContentType

    if not settings.PAGE_CACHE_SECONDS:
        return route(request, path_components)
    path = "/".join(path_components)
    key = f"route:{page_cache_generation()}:{root.pk}:{hashlib.sha256(path.encode()).hexdigest()}"
    remembered = cache.get(key)
    if remembered is not None:
        model = ContentType.objects.get_for_id(remembered[0]).model_class()
        page = model.objects.filter(pk=remembered[1], live=True).first() if model else None
        if page is not None:
            # The page's own route with nothing left: a routable page's index.
            return page.route(request, [])
    result = route(request, path_components)
    page = result[0]
    if page.url_path == f"{root.url_path}{path}/":
        cache.set(key, (page.content_type_id, page.pk), settings.PAGE_CACHE_SECONDS)
    return result
