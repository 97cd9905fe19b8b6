"""Errors are shown in the site's own design, never as Django's debug page."""

import pytest
from django.test import RequestFactory

from coproduce import views


@pytest.mark.django_db
def test_unknown_url_gives_the_sites_own_404(client, home_page):
    response = client.get("/no-such-page/at-all/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert 'class="govuk-skip-link"' in html  # the site's base template
    assert "Using the URLconf" not in html  # Django's technical 404


def test_server_error_renders_without_the_database():
    # No django_db mark: any query here would fail the test.
    response = views.server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    html = response.content.decode()
    assert "Sorry, there is a problem with the service" in html
    assert "Traceback" not in html


def test_urlconf_uses_the_sites_error_handlers():
    from coproduce import urls

    assert urls.handler404 == "coproduce.views.page_not_found"
    assert urls.handler500 == "coproduce.views.server_error"
