from django import template
from django.utils.translation import get_language
from wagtail.admin.templatetags.wagtailuserbar import get_page_instance, wagtailuserbar
from wagtail.models import Page

from coproduce.cache import (
    PAGES_GENERATION_KEY,
    PERMISSIONS_GENERATION_KEY,
    pages_generation,
    remembered,
)

register = template.Library()


@register.simple_tag(takes_context=True)
def page_breadcrumbs(context):
    """Breadcrumbs: `breadcrumbs` from the view, else the page's ancestors.

    The ancestors come in one query, remembered per page and host for a
    generation of the page tree; the site root (depth 1) is left out and the
    home page is called "Home".
    """
    if "breadcrumbs" in context:
        return context["breadcrumbs"]
    page = context.get("page")
    if not isinstance(page, Page) or page.depth <= 2:
        return []
    request = context.get("request")

    def read():
        crumbs = []
        ancestors = page.get_ancestors().filter(depth__gte=2).only("title", "url_path", "depth")
        for ancestor in ancestors:
            title = "Home" if ancestor.depth == 2 else ancestor.title
            crumbs.append({"title": title, "url": ancestor.get_url(request=request)})
        return crumbs

    # Links are relative to the request's site, so the host is part of the key.
    host = request.get_host() if request is not None else ""
    return remembered(PAGES_GENERATION_KEY, f"crumbs:{host}:{page.pk}", read)


def _userbar_is_personal_to_request(request):
    """Previews and revisions show the admin's own variant of the bar: never remembered."""
    return any(
        getattr(request, name, None)
        for name in ("is_preview", "is_dummy", "in_preview_panel", "revision_id")
    )


@register.simple_tag(takes_context=True)
def userbar(context):
    """Wagtail's user bar for staff, rendered once per person and page in a generation.

    Rendering it costs three queries (the person's admin profile, twice, and
    their page permissions) and a few milliseconds on every public page an
    officer opens. What it shows depends on who they are (their permissions,
    groups, page permissions and admin profile: the permissions generation),
    on the page and the tree (the pages generation) and on the host, so all
    of those make its key; anyone without admin access gets nothing, as from
    `{% wagtailuserbar %}`.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm("wagtailadmin.access_admin"):
        return ""
    if _userbar_is_personal_to_request(request):
        return wagtailuserbar(context)
    page = get_page_instance(context)
    key = ":".join(
        str(part)
        for part in (
            "userbar",
            pages_generation(),
            user.pk,
            f"{user.is_active:d}{user.is_superuser:d}",
            page.pk if page is not None else "-",
            request.get_host(),
            get_language(),
        )
    )
    return remembered(PERMISSIONS_GENERATION_KEY, key, lambda: wagtailuserbar(context))
