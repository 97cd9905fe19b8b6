"""Home page throughput through Django's test client, uncached.

A home page with six featured pages and navigation and footer links, served
REQUESTS times in one process; the figure to compare is requests per second
(DESIGN.md measured a stock Wagtail page uncached at 0.07–0.09 × a bare
Django view's 1,382 req/s on these machines, behind gunicorn).
"""

import statistics
import time

REQUESTS = 200
WARM_UP = 10


def build_site():
    from wagtail.models import Page, Site

    from coproduce.models import FooterSettings, HomePage, NavigationSettings, StandardPage

    root = Page.get_first_root_node()
    for child in root.get_children():
        child.delete()
    home = HomePage(
        title="Kelderby", slug="home", introduction="Shape the services we commission."
    )
    root.add_child(instance=home)
    Site.objects.all().delete()
    site = Site.objects.create(
        hostname="testserver", port=80, root_page=home, is_default_site=True
    )
    pages = []
    for number in range(6):
        page = StandardPage(
            title=f"Programme {number}",
            slug=f"programme-{number}",
            introduction="What we are commissioning and how to take part.",
            body=[("text", "<p>Residents and officers commission this service together.</p>")],
        )
        home.add_child(instance=page)
        page.save_revision().publish()
        pages.append(page)
        home.featured.create(page=page, sort_order=number)
    links = [("link", {"text": p.title, "page": p, "external_url": ""}) for p in pages[:3]]
    navigation = NavigationSettings.for_site(site)
    navigation.links = links
    navigation.save()
    footer = FooterSettings.for_site(site)
    footer.links = links
    footer.contact = "Town Hall, Kelderby KX1 1AA"
    footer.save()


def run():
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    build_site()
    client = Client()
    for _ in range(WARM_UP):
        assert client.get("/").status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    # Read now: the next request clears the connection's query log.
    queries_per_request = len(queries)
    timings = []
    started = time.perf_counter()
    for _ in range(REQUESTS):
        before = time.perf_counter()
        response = client.get("/")
        timings.append(time.perf_counter() - before)
        assert response.status_code == 200
    elapsed = time.perf_counter() - started
    return {
        "requests": REQUESTS,
        "seconds": round(elapsed, 3),
        "requests_per_second": round(REQUESTS / elapsed, 1),
        "median_ms": round(statistics.median(timings) * 1000, 2),
        "p95_ms": round(statistics.quantiles(timings, n=20)[-1] * 1000, 2),
        "queries_per_request": queries_per_request,
    }
