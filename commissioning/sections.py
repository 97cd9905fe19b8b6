"""Sections other apps add to a programme's public page, without the spine importing them.

An app registers a provider in its `AppConfig.ready()`:

    from commissioning.sections import register_programme_section
    register_programme_section("delivery", delivery_programme_section)

A provider is `(*, programme, request) -> dict | None`: None shows nothing;
a dict names the `template` to include and carries its context. Each
provider must run a fixed number of queries, and show the same to everyone:
the programme page remembers the sections per content generation, host and
day (`commissioning.selectors.programme_page_context`).
"""

_SECTIONS = {}


def register_programme_section(name, provider):
    """Register (or replace, so `ready()` may run twice) one section provider."""
    _SECTIONS[name] = provider


def programme_sections(*, programme, request):
    sections = []
    for provider in _SECTIONS.values():
        section = provider(programme=programme, request=request)
        if section:
            sections.append(section)
    return sections
