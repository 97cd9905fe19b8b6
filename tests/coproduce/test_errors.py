"""Errors are shown in the site's own design, never as Django's debug page."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
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

    assert urls.handler403 == "coproduce.views.permission_denied"
    assert urls.handler404 == "coproduce.views.page_not_found"
    assert urls.handler500 == "coproduce.views.server_error"


@pytest.mark.django_db
@pytest.mark.urls("tests.coproduce.urls_errors")
class TestForbidden:
    def test_a_refusal_gives_the_sites_own_403_with_a_way_back(self, client, home_page):
        response = client.get("/forbidden/")

        assert response.status_code == 403
        html = response.content.decode()
        assert "You cannot see this page" in html
        assert "This space is for the panel&#x27;s members and officers." in html
        assert 'class="govuk-skip-link"' in html  # the site's base template
        assert 'href="/">go to the home page</a>' in html
        assert "/accounts/login/?next=/forbidden/" in html  # anonymous: sign in

    def test_signed_in_people_are_told_which_account(self, client, home_page, resident):
        client.force_login(resident)

        html = client.get("/forbidden/").content.decode()

        assert "You are signed in as resident@example.org" in html
        assert "/accounts/login/" not in html


@pytest.mark.urls("tests.coproduce.urls_errors")
class TestServiceUnavailable:
    def test_an_unreachable_database_gives_503_with_retry_after(self, client):
        client.raise_request_exception = False

        response = client.get("/database-down/")

        assert response.status_code == 503
        assert response["Retry-After"] == "30"
        html = response.content.decode()
        assert "Sorry, the service is unavailable" in html
        assert "db.internal" not in html and "Traceback" not in html

    def test_other_failures_stay_500(self, client):
        client.raise_request_exception = False

        response = client.get("/broken/")

        assert response.status_code == 500
        assert "Retry-After" not in response


def dev_setting(*names, env=None):
    code = (
        "from coproduce.settings import dev; print(" + ", ".join(f"dev.{n}" for n in names) + ")"
    )
    environ = {k: v for k, v in os.environ.items() if k not in {"DJANGO_DEBUG", "DATABASE_URL"}}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env={**environ, **(env or {})},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.split()


def test_the_demo_server_shows_the_sites_error_pages():
    # `make run` serves the demo with DEBUG off, so an unknown address shows the
    # site's 404 page; static files and media are still served.
    assert dev_setting("DEBUG", "WHITENOISE_USE_FINDERS", "SERVE_MEDIA") == [
        "False",
        "True",
        "True",
    ]


def test_django_debug_pages_are_one_variable_away():
    assert dev_setting("DEBUG", env={"DJANGO_DEBUG": "1"}) == ["True"]


def test_favicon_ico_points_at_the_sites_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.svg")
