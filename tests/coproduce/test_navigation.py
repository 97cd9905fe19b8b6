"""Navigation and footer settings drive the header and footer links."""

import pytest
from wagtail.models import Site

from coproduce.models import FooterSettings, NavigationSettings, SiteSettings
from tests.pages import StandardPageFactory

pytestmark = pytest.mark.django_db


def link(text, page=None, url=""):
    return ("link", {"text": text, "page": page, "external_url": url})


def test_navigation_links_render_in_the_header(client, home_page):
    about = StandardPageFactory(parent=home_page, title="About")
    navigation = NavigationSettings.for_site(Site.objects.get())
    navigation.links = [
        link("How it works", page=about),
        link("Council website", url="https://kelderby.example/"),
    ]
    navigation.save()

    header = client.get("/").content.decode().split("</header>")[1].split("</section>")[0]

    assert f'href="{about.url}">How it works</a>' in header
    assert 'href="https://kelderby.example/">Council website</a>' in header


def test_current_navigation_link_is_marked(client, home_page):
    about = StandardPageFactory(parent=home_page, title="About")
    navigation = NavigationSettings.for_site(Site.objects.get())
    navigation.links = [link("How it works", page=about)]
    navigation.save()

    html = client.get(about.url).content.decode()

    assert 'aria-current="page"' in html


def test_footer_links_and_contact_render(client, home_page):
    privacy = StandardPageFactory(parent=home_page, title="Privacy notice")
    footer = FooterSettings.for_site(Site.objects.get())
    footer.links = [link("Privacy notice", page=privacy)]
    footer.contact = "Town Hall\nKelderby KX1 1AA"
    footer.save()

    html = client.get("/").content.decode().split('<footer class="govuk-footer">')[1]

    assert f'href="{privacy.url}">Privacy notice</a>' in html
    assert "Town Hall<br>Kelderby KX1 1AA" in html


def test_site_settings_name_the_council_and_phase(client, home_page):
    settings = SiteSettings.for_site(Site.objects.get())
    settings.council_name = "Kelderby Borough Council"
    settings.service_name = "Coproduce Kelderby"
    settings.phase = "alpha"
    settings.save()

    html = client.get("/").content.decode()

    assert "Kelderby Borough Council" in html
    assert "Coproduce Kelderby" in html
    assert 'class="govuk-phase-banner"' in html
    assert ">Alpha</strong>" in html
