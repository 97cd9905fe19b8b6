"""Site pages run a fixed number of queries, however many links or featured pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from coproduce.models import FooterSettings, HomePageFeatured, NavigationSettings
from tests.pages import StandardPageFactory

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    # Warm the caches (site root paths, the chrome); the first request of a
    # new site also creates its settings rows, which renews the chrome.
    client.get(url)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def add_links(home_page, number):
    site = Site.objects.get()
    pages = [StandardPageFactory(parent=home_page) for _ in range(number)]
    navigation = NavigationSettings.for_site(site)
    navigation.links = [("link", {"text": p.title, "page": p, "external_url": ""}) for p in pages]
    navigation.save()
    footer = FooterSettings.for_site(site)
    footer.links = navigation.links
    footer.save()
    for order, page in enumerate(pages):
        HomePageFeatured.objects.create(home=home_page, page=page, sort_order=order)
    return pages


def test_home_page_queries_do_not_grow(client, home_page, django_assert_num_queries):
    add_links(home_page, 1)
    small = count_queries(client, "/")

    HomePageFeatured.objects.all().delete()
    add_links(home_page, 6)

    client.get("/")
    with django_assert_num_queries(small):
        response = client.get("/")
    assert len(response.context["featured_pages"]) == 6


def test_standard_page_queries_do_not_grow(client, home_page, django_assert_num_queries):
    page = StandardPageFactory(parent=home_page)
    add_links(home_page, 1)
    small = count_queries(client, page.url)

    add_links(home_page, 6)

    client.get(page.url)
    with django_assert_num_queries(small):
        client.get(page.url)


def test_search_queries_do_not_grow_with_results(client, home_page, django_assert_num_queries):
    StandardPageFactory(parent=home_page, title="Recycling centre")
    small = count_queries(client, "/search/?query=recycling")

    for number in range(12):
        StandardPageFactory(parent=home_page, title=f"Recycling point {number}")

    client.get("/search/?query=recycling")
    with django_assert_num_queries(small):
        client.get("/search/?query=recycling")


def test_the_chrome_costs_no_query_once_read(client, home_page, settings):
    settings.PAGE_CACHE_SECONDS = 600
    add_links(home_page, 3)
    client.get("/")
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    tables = " ".join(query["sql"] for query in queries)
    assert "coproduce_navigationsettings" not in tables
    assert "coproduce_footersettings" not in tables
    assert "coproduce_sitesettings" not in tables


def test_a_saved_setting_shows_on_the_next_request(client, home_page, settings):
    settings.PAGE_CACHE_SECONDS = 600
    from coproduce.models import SiteSettings

    assert b"Kelderby Borough Council" in client.get("/").content
    site_settings = SiteSettings.for_site(Site.objects.get())
    site_settings.council_name = "Brookvale Council"
    site_settings.save()
    assert b"Brookvale Council" in client.get("/").content
