"""A small rate limit for public forms, kept in the cache.

With several app servers (or several gunicorn workers) the cache must be
shared for the limit to hold across them: Redis, or the database cache that
production uses without REDIS_URL.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache


def client_address(request):
    """The client's address, seen through the council's own proxies.

    Behind `TRUSTED_PROXY_COUNT` proxies, REMOTE_ADDR is the nearest proxy for
    everyone; the client is the address that many places from the right of
    X-Forwarded-For (the proxies append to it, so the left part can be forged).
    """
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = [a.strip() for a in request.headers.get("X-Forwarded-For", "").split(",")]
    if count > 0 and len(forwarded) >= count and forwarded[-count]:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")


def client_key(request):
    """Who is asking: the signed-in user, else the client address."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    address = client_address(request)
    return "ip:" + hashlib.sha256(address.encode()).hexdigest()[:16]


def rate_limited(request, scope, *, limit, period):
    """Count this request against `limit` per `period` seconds; True when over.

    Fixed windows: cheap, and good enough to stop a script hammering a form.
    """
    key = _window_key(request, scope, period)
    if cache.add(key, 1, timeout=period):
        return False
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=period)
        return False
    return count > limit


def _window_key(request, scope, period):
    window = int(time.time() // period)
    return f"ratelimit:{scope}:{client_key(request)}:{window}"


def rate_limit_retry_after(request, scope, *, limit, period):
    """Seconds until this client may try again if it has used up `limit`, else None.

    Only looks: with `rate_limit_count`, a form counts only what could be
    abused (a successful submission, a honeypot hit), not a person's mistakes.
    """
    if (cache.get(_window_key(request, scope, period)) or 0) < limit:
        return None
    return max(1, int(period - time.time() % period))


def rate_limit_count(request, scope, *, period):
    """Count one use of `scope` by this client in the current window."""
    key = _window_key(request, scope, period)
    if not cache.add(key, 1, timeout=period):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=period)


RATE_LIMIT_MESSAGE = (
    "You have sent this form too many times in a short while. Wait a few minutes and try again."
)


def form_rate_limited(request, form, scope, *, limit, period):
    """Rate-limit a form post: when over the limit, the form is validated (so
    the person's input and any field errors are shown) and carries the
    rate-limit message at the top. True when the post must not be acted on."""
    if not rate_limited(request, scope, limit=limit, period=period):
        return False
    form.is_valid()
    form.add_error(None, RATE_LIMIT_MESSAGE)
    return True
