"""Page view restrictions, read once per generation of the page tree.

Wagtail checks a page's view restrictions on every request (two queries: the
ancestors, then their restrictions), and `PageQuerySet.public()` reads every
restriction again each time it is used. A council's site has few restricted
sections, so the list of them is remembered (`coproduce.cache.remembered`,
renewed by any write to a page, a site or a restriction) and both answers
come from it without a query. Pages under an alias are left to Wagtail, which
follows the alias to its source's restrictions.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q

from .cache import PAGES_GENERATION_KEY, remembered


@dataclass(frozen=True)
class Sections:
    # (restriction id, its page's path, its page's depth), by id.
    restricted: tuple[tuple[int, str, int], ...]
    alias_paths: tuple[str, ...]


def _read_sections():
    from wagtail.models import Page, PageViewRestriction

    restricted = tuple(
        PageViewRestriction.objects.order_by("pk").values_list("pk", "page__path", "page__depth")
    )
    aliases = tuple(
        Page.objects.filter(alias_of__isnull=False).order_by("path").values_list("path", flat=True)
    )
    return Sections(restricted=restricted, alias_paths=aliases)


def restricted_sections():
    return remembered(PAGES_GENERATION_KEY, "restricted-sections", _read_sections)


def page_view_restrictions(page, read):
    """The view restrictions that apply to `page`; `read()` is Wagtail's own lookup."""
    from wagtail.models import PageViewRestriction

    if not settings.PAGE_CACHE_SECONDS:
        return read()
    sections = restricted_sections()
    if page.alias_of_id or page.path.startswith(sections.alias_paths):
        return read()
    ids = [pk for pk, path, _depth in sections.restricted if page.path.startswith(path)]
    if not ids:
        return PageViewRestriction.objects.none()
    return PageViewRestriction.objects.filter(pk__in=ids).order_by("pk")


def public_pages(queryset):
    """`queryset.public()`: pages outside every restricted section, without reading them again."""
    if not settings.PAGE_CACHE_SECONDS:
        return queryset.public()
    private = Q()
    for _pk, path, depth in restricted_sections().restricted:
        private |= Q(path__startswith=path, depth__gte=depth)
    return queryset.exclude(private) if private else queryset
