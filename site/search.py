"""Site search beyond editorial pages.

Pages are found through Wagtail's search; an engagement app adds its own
public records (the asset map its published assets) by registering a
provider in its `AppConfig.ready()`, so the site never imports the apps.
"""

from dataclasses import dataclass, field

_providers = []


@dataclass(frozen=True)
class SearchResult:
    title: str
    url: str
    summary: str = ""


@dataclass
class SearchSection:
    """Up to a few results of one kind, their total, and where to see them all."""

    heading: str
    results: list = field(default_factory=list)
    total: int = 0
    more_url: str = ""
    more_label: str = ""


def register_search_provider(provider):
    """`provider(query, *, limit, request)` returns a SearchSection, or None when it finds nothing."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def search_sections(query, *, request=None, limit=5):
    sections = []
    for provider in _providers:
        section = provider(query, limit=limit, request=request)
        if section is not None and section.total:
            sections.append(section)
    return sections
