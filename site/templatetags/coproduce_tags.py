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
from coproduce.shared import is_personal_request, shared_render_of

register = template.Library()


class PersonalNode(template.Node):
    def __init__(self, template_name, values):
        self.template_name = template_name
        self.values = values

    def render(self, context):
        name = self.template_name.resolve(context)
        values = {key: value.resolve(context) for key, value in self.values.items()}
        shared = shared_render_of(context.get("request"))
        if shared is not None:
            return shared.leave_out(name, values)
        with context.push(**values):
            return context.template.engine.get_template(name).render(context)


@register.tag
def personal(parser, token):
    """`{% personal "template.html" name=value ... %}`: a part of the page that is the reader's own.

    Rendered like `{% include %}` with the page's context; on a page shared
    among signed-in people (coproduce.shared) it is rendered for each reader
    with only the request and the named values (str, int or bool), so it
    must need nothing else.
    """
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% personal %} needs a template name")
    values = {}
    for bit in bits[2:]:
        name, sep, expression = bit.partition("=")
        if not sep:
            raise template.TemplateSyntaxError(f"{{% personal %}} takes name=value, not {bit}")
        values[name] = parser.compile_filter(expression)
    return PersonalNode(parser.compile_filter(bits[1]), values)


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
    if is_personal_request(request):
        return wagtailuserbar(context)
    page = get_page_instance(context)
    # On a shared page (coproduce.shared) the bar is a personal part, given the page's id.
    page_id = page.pk if page is not None else context.get("userbar_page_id") or None
    key = ":".join(
        str(part)
        for part in (
            "userbar",
            pages_generation(),
            user.pk,
            f"{user.is_active:d}{user.is_superuser:d}",
            page_id or "-",
            request.get_host(),
            get_language(),
        )
    )
    return remembered(PERMISSIONS_GENERATION_KEY, key, lambda: _userbar(context, page, page_id))


def _userbar(context, page, page_id):
    if page is None and page_id:
        page = Page.objects.filter(pk=page_id).first()
        if page is not None:
            context["page"] = page.specific
    return wagtailuserbar(context)
