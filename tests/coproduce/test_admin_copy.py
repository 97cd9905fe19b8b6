"""The admin's "copy" exists only for reference data an editor may duplicate.

Wagtail's copy view is an add form filled from another row: it saves the model
directly, so for anything an app creates through a service (residents'
records, moderated content, delivery records, accounts) it would be a way
around the service's rules.
"""

from django.urls import URLPattern, URLResolver, get_resolver

COPYABLE = {
    "wagtailsnippets_commissioning_ward:copy",
    "wagtailsnippets_commissioning_outcome:copy",
    "wagtailsnippets_commissioning_socialvaluecriterion:copy",
    "wagtailsnippets_commissioning_assetcategory:copy",
}


def _names(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


def test_only_reference_data_can_be_copied_in_the_admin():
    copies = {name for name in _names(get_resolver().url_patterns) if name.endswith(":copy")}

    # Wagtail's own: copying a page (it keeps the page's own rules) and a site.
    wagtails_own = {"wagtailadmin_pages:copy", "wagtailsites:copy"}
    assert copies - wagtails_own <= COPYABLE, sorted(copies - wagtails_own - COPYABLE)
