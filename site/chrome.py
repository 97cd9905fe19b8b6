"""The site's chrome — council and service names, phase banner, header and footer links.

Every public page shows it, and reading it from the settings takes five or six
queries (the site, three settings rows and the pages their links point to).
It changes only when an editor saves a setting or a page, so it is kept in the
cache under a generation (`coproduce.cache.chrome_generation`) that any write
to those tables renews: a saved setting shows on the next request, and the
pages pay no query for their chrome.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .cache import chrome_generation, kept_get, kept_set


@dataclass(frozen=True)
class Link:
    text: str
    url: str


@dataclass(frozen=True)
class Chrome:
    council_name: str
    service_name: str
    phase: str
    phase_label: str
    phase_message: str
    feedback_email: str
    navigation: tuple[Link, ...]
    footer_links: tuple[Link, ...]
    footer_contact: str


def _links(stream):
    return tuple(Link(text=item.value["text"], url=item.value.url) for item in stream)


def chrome_build(request):
    from wagtail.models import Site

    from .models import FooterSettings, NavigationSettings, SiteSettings

    site = Site.find_for_request(request)
    if site is None:
        return Chrome("Coproduce", "Coproduce", "", "", "", "", (), (), "")
    site_settings = SiteSettings.for_site(site)
    return Chrome(
        council_name=site_settings.council_name,
        service_name=site_settings.service_name,
        phase=site_settings.phase,
        phase_label=site_settings.get_phase_display(),
        phase_message=site_settings.phase_message,
        feedback_email=site_settings.feedback_email,
        navigation=_links(NavigationSettings.for_site(site).links),
        footer_links=_links((footer := FooterSettings.for_site(site)).links),
        footer_contact=footer.contact,
    )


def chrome_for_request(request):
    if not settings.PAGE_CACHE_SECONDS:
        # Caching off (tests that count a page's own queries): read it afresh.
        return chrome_build(request)
    key = f"sitechrome:{chrome_generation()}:{request.get_host()}"
    chrome = kept_get(key)
    if chrome is None:
        chrome = chrome_build(request)
        kept_set(key, chrome)
    return chrome


def chrome(request):
    """Context processor: `chrome`, read on first use."""
    return {"chrome": SimpleLazyObject(lambda: chrome_for_request(request))}
