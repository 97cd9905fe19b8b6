from django import template
from wagtail.models import Page

register = template.Library()


@register.simple_tag(takes_context=True)
def page_breadcrumbs(context):
    """Breadcrumbs: `breadcrumbs` from the view, else the page's ancestors.

    The ancestors come in one query; the site root (depth 1) is left out and
    the home page is called "Home".
    """
    if "breadcrumbs" in context:
        return context["breadcrumbs"]
    page = context.get("page")
    if not isinstance(page, Page) or page.depth <= 2:
        return []
    crumbs = []
    for ancestor in page.get_ancestors().filter(depth__gte=2).only("title", "url_path", "depth"):
        title = "Home" if ancestor.depth == 2 else ancestor.title
        crumbs.append({"title": title, "url": ancestor.get_url(request=context.get("request"))})
    return crumbs
