"""No cookies for anonymous readers; security headers on public pages."""

import base64
import hashlib
import re

import pytest

from tests.pages import StandardPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_urls(home_page):
    page = StandardPageFactory(parent=home_page, title="Council tax explained")
    return ["/", page.url, "/search/", "/search/?query=council", "/search/?query=nothing-matches"]


def test_anonymous_visitors_get_no_cookies_on_content_pages(client, public_urls):
    for url in public_urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert not response.cookies, f"{url} set {list(response.cookies)}"
        assert "Set-Cookie" not in response.headers, url


def test_public_pages_send_security_headers(client, public_urls):
    for url in [*public_urls, "/no-such-page/"]:
        response = client.get(url)
        policy = response.headers.get("Content-Security-Policy", "")
        assert "default-src 'self'" in policy, url
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, url
        assert response.headers["X-Content-Type-Options"] == "nosniff", url
        assert response.headers["Referrer-Policy"] == "same-origin", url
        # Never framed, and both headers say so.
        assert "frame-ancestors 'none'" in policy, url
        assert response.headers["X-Frame-Options"] == "DENY", url
        permissions = response.headers.get("Permissions-Policy", "")
        assert "camera=()" in permissions and "geolocation=()" in permissions, url


def test_the_admin_has_its_own_looser_policy(client, officer):
    # The strict public policy would block the page editor's inline scripts.
    client.force_login(officer)
    for url in ["/admin/login/", "/admin/", "/admin/pages/"]:
        response = client.get(url)
        policy = response.headers.get("Content-Security-Policy", "")
        assert "script-src 'self' 'unsafe-inline'" in policy, url
        assert "style-src 'self' 'unsafe-inline'" in policy, url
        assert "object-src 'none'" in policy, url
        # The editor's preview panel frames the admin's own pages.
        assert "frame-ancestors 'self'" in policy, url
        assert response.headers["X-Frame-Options"] == "SAMEORIGIN", url
        assert "microphone=()" in response.headers["Permissions-Policy"], url


def test_public_policy_stays_strict_beside_the_admin(client, home_page):
    for url in ["/", "/administration-news/", "/search/?query=admin"]:
        policy = client.get(url).headers.get("Content-Security-Policy", "")
        assert "unsafe-inline" not in policy, url


def test_every_inline_script_on_a_public_page_is_allowed_by_its_hash(client, public_urls):
    for url in [*public_urls, "/no-such-page/"]:
        response = client.get(url)
        policy = response.headers["Content-Security-Policy"]
        script_src = next(p for p in policy.split(";") if p.strip().startswith("script-src"))
        inline = re.findall(r"<script>(.*?)</script>", response.content.decode(), re.S)
        assert inline, url
        for body in inline:
            digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in script_src, f"{url}: {body[:60]}"
