from django import template
from wagtail.models import Page

from coproduce.cache import PAGES_GENERATION_KEY, remembered

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
