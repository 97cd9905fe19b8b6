"""Shared pages for signed-in people: the page rendered once, only their own parts each time.

A signed-in resident sees nearly what everyone else sees on a programme or
the asset map: only the account links, their messages, the editors' user bar
and a few links are theirs. Those parts are marked in the templates with
`{% personal "template.html" %}` (`coproduce_tags`). For a view that opts in
(`SharedForSignedInMixin` on a page model, `serve_shared` in a view) the rest
is rendered once per content generation of the page cache and URL, and each
signed-in request renders only its personal parts into it.

Nobody's part reaches another person:

- the shared part is rendered *as nobody*: the request's user is anonymous
  while it renders, and a `{% personal %}` tag puts a mark where its part
  goes instead of rendering it (no messages are read, no user bar drawn);
- a shared part that uses the CSRF token (a form outside a personal part),
  answers other than 200 or sets a cookie is not shared: that URL is
  rendered whole for each person until the next generation;
- previews and revisions in the admin are never shared.

A write to content starts a new generation (`coproduce.cache`), so a publish
shows to signed-in people at once, as to everyone else.
"""

import functools
import hashlib

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.template.loader import render_to_string

from .cache import kept_get, kept_set, page_cache_generation

# Where a personal part goes in a shared page. Forms refuse NUL characters
# (Django's ProhibitNullCharactersValidator), so no content carries it.
MARK = "\x00personal\x00"
NOT_SHARED = "not shared"
PERSONAL_VALUE_TYPES = (str, int, bool, type(None))


class SharedRender:
    """The personal parts a shared render left out: (template, values) in page order."""

    def __init__(self):
        self.parts = []

    def leave_out(self, template_name, values):
        for name, value in values.items():
            if not isinstance(value, PERSONAL_VALUE_TYPES):
                raise TypeError(f"{{% personal %}} value {name} must be a str, int or bool")
        self.parts.append((template_name, values))
        return MARK


def shared_render_of(request):
    """The shared render in progress for `request`, else None."""
    return getattr(request, "_coproduce_shared_render", None)


def is_personal_request(request):
    """Admin previews and revisions show an editor's own variant: never shared or remembered."""
    return any(
        getattr(request, name, None)
        for name in ("is_preview", "is_dummy", "in_preview_panel", "revision_id")
    )


def _shares(request):
    user = getattr(request, "user", None)
    return (
        bool(settings.PAGE_CACHE_SECONDS)
        and request.method in ("GET", "HEAD")
        and user is not None
        and user.is_authenticated
        and not is_personal_request(request)
        and shared_render_of(request) is None
    )


def shared_key(request, generation):
    raw = "|".join([request.scheme, request.get_host(), request.get_full_path()])
    return f"shared:{generation}:{hashlib.sha256(raw.encode()).hexdigest()}"


def serve_shared(request, render, personal=None):
    """`render(personal)`'s response for `request`, from the shared page where it can be.

    `render` returns the view's response (a TemplateResponse is rendered
    here), given what the view worked out for this person alone
    (`personal`, a dict for the page's personal parts). It runs once per
    generation and URL as nobody, given nothing of the person, and again for
    each person, given `personal`, only where the page cannot be shared.
    """
    personal = personal or {}
    if not _shares(request):
        return render(personal)
    key = shared_key(request, page_cache_generation())
    shared = kept_get(key)
    if shared is None:
        shared = _render_shared(request, render)
        kept_set(key, shared)
    if shared == NOT_SHARED:
        return render(personal)
    return _filled(request, shared, personal)


def _render_shared(request, render):
    user, token_used = request.user, request.META.get("CSRF_COOKIE_NEEDS_UPDATE", False)
    request.user, request.META["CSRF_COOKIE_NEEDS_UPDATE"] = AnonymousUser(), False
    request._coproduce_shared_render = left_out = SharedRender()
    try:
        response = render({})
        if hasattr(response, "render"):
            response.render()
        uses_token = request.META["CSRF_COOKIE_NEEDS_UPDATE"]
    finally:
        request.user, request.META["CSRF_COOKIE_NEEDS_UPDATE"] = user, token_used
        del request._coproduce_shared_render
    return _shared_page(response, left_out.parts, uses_token)


def _shared_page(response, parts, uses_token):
    if uses_token or response.status_code != 200 or response.streaming or response.cookies:
        return NOT_SHARED
    chunks = response.content.decode(response.charset).split(MARK)
    if len(chunks) != len(parts) + 1:
        return NOT_SHARED
    return (response["Content-Type"], tuple(chunks), tuple(parts))


def _filled(request, shared, personal):
    content_type, chunks, parts = shared
    body = [chunks[0]]
    for (template_name, values), chunk in zip(parts, chunks[1:], strict=True):
        body.append(render_to_string(template_name, {**personal, **values}, request))
        body.append(chunk)
    return HttpResponse("".join(body), content_type=content_type)


def shared_for_signed_in(view):
    """Decorate a function view whose page is the same for everyone but its personal parts."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        return serve_shared(request, lambda _personal: view(request, *args, **kwargs))

    return wrapped


class SharedForSignedInMixin:
    """For page models: signed-in people get the page shared (see the module docstring).

    Only for pages whose view and templates depend on who is reading only
    through `{% personal %}` parts.
    """

    def serve(self, request, *args, **kwargs):
        serve = super().serve
        return serve_shared(request, lambda _personal: serve(request, *args, **kwargs))
