"""Browser tests: headless Chromium (Playwright) against pytest-django's live server.

Fixtures for every app's browser tests:

- `demo_server`: the live server's base URL, with the demo borough loaded
  (`load_demo`) into the test database. Tests using it are transactional: the
  database is emptied after each test and restored to its migrated state
  before the next (serialized rollback), so load the demo once per test and
  check several pages in one test rather than one page per test.
- `page`: a fresh Playwright page (its own cookies) in the session's one
  browser. The context bypasses the site's Content Security Policy only so
  that axe-core can be injected; `test_site.py` checks the policy itself.
- `sign_in(page, base_url, email)`: signs a demo account in through the
  login form (staff also through the second step, with a recovery code). It is the one place that knows how to sign in: staff use it too
  (`admin_sign_in` signs in with it, then opens the Wagtail admin).
- `console_problems(page)`: a list that fills with the page's console errors
  (a Content Security Policy violation is one) and script errors.

Accessibility checks live in `tests/browser/axe.py` (`assert_accessible`,
`assert_pages_accessible`). Every test in this folder is marked `browser`.
"""

import os
import threading
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connections
from django.test.testcases import LiveServerThread

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
DEMO_PASSWORD = "demo-password-1"  # noqa: S105 - the demo's published password

HERE = Path(__file__).resolve().parent


class OneRequestAtATimeServer(ThreadedWSGIServer):
    """The live server, answering one request at a time on an in-memory database.

    On SQLite the test database lives in memory, so every request thread shares
    the test's one connection. Two requests at once (the admin's autosave and
    its Save button, say) then interleave on that connection: "cannot start a
    transaction within a transaction", or a foreign key checked against the
    other request's half-done work. Connections still come and go in threads,
    so a browser's idle keep-alive connection never holds the others up; only
    the application runs one request at a time, its whole body included.
    """

    def set_app(self, application):
        if not self.connections_override:
            return super().set_app(application)
        lock = threading.Lock()

        def one_at_a_time(environ, start_response):
            with lock:
                result = application(environ, start_response)
                try:
                    return [b"".join(result)]
                finally:
                    if hasattr(result, "close"):
                        result.close()

        return super().set_app(one_at_a_time)


LiveServerThread.server_class = OneRequestAtATimeServer


def pytest_collection_modifyitems(items):
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(
            f"Browser tests need Chromium at {CHROMIUM}: install it with "
            "`apt-get install chromium` (`.ci/run` does), or set CHROMIUM_PATH. "
            "Deselect these tests with `-m 'not browser'` only while working offline.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    # Playwright's synchronous API keeps an asyncio loop in this thread, which
    # Django takes for async code; the ORM calls in these tests are synchronous.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    before = {alias: connections[alias] for alias in connections}
    with sync_playwright() as playwright:
        _keep_test_database_state(before)
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()
        # These connections belong to Playwright's context: close them while
        # it lasts, or PostgreSQL could not drop the test database at the end.
        connections.close_all()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _keep_test_database_state(before):
    """Carry the test databases' serialized state over to Playwright's context.

    Once Playwright runs its event loop in this thread, Django's connection
    handler (context-local) hands out new connection objects, which lack the
    migrated data that pytest-django serialized for `serialized_rollback`.
    """
    for alias, old in before.items():
        new = connections[alias]
        if new is not old and hasattr(old, "_test_serialized_contents"):
            new._test_serialized_contents = old._test_serialized_contents


def _new_page(browser, **options):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="en-GB", **options
    )
    context.set_default_timeout(15_000)
    return context, context.new_page()


@pytest.fixture
def page(browser):
    context, page = _new_page(browser, bypass_csp=True)
    yield page
    context.close()


@pytest.fixture
def strict_page(browser):
    """A page that obeys the site's Content Security Policy (no axe-core injection)."""
    context, page = _new_page(browser)
    yield page
    context.close()


@pytest.fixture
def demo_server(browser, live_server, django_db_serialized_rollback):
    """The live server's URL with the demo borough loaded."""
    call_command("load_demo", stdout=StringIO())
    return live_server.url


def _recovery_code(email):
    from accounts.models import User
    from tests.accounts.factories import recovery_code

    return recovery_code(User.objects.get(email=email))


@pytest.fixture
def sign_in():
    def sign_in(page, base_url, email, password=DEMO_PASSWORD):
        page.goto(f"{base_url}/accounts/login/")
        page.fill('input[name="login"]', email)
        page.fill('input[name="password"]', password)
        with page.expect_navigation():
            page.press('input[name="password"]', "Enter")
        if "/accounts/2fa/authenticate/" in page.url:
            # Staff: the second step, with one of their unused recovery codes
            # (a TOTP code works once per 30 seconds, too rarely for tests).
            page.fill('input[name="code"]', _recovery_code(email))
            with page.expect_navigation():
                page.press('input[name="code"]', "Enter")
        assert "/accounts/login/" not in page.url, f"signing in as {email} failed"
        assert "/accounts/2fa/" not in page.url, f"{email} did not pass the second step"

    return sign_in


@pytest.fixture
def admin_sign_in(sign_in):
    """Sign a staff account in and open the Wagtail admin's dashboard."""

    def admin_sign_in(page, base_url, email, password=DEMO_PASSWORD):
        sign_in(page, base_url, email, password)
        page.goto(f"{base_url}/admin/")
        assert page.url.rstrip("/").endswith("/admin"), f"{email} did not reach the admin"

    return admin_sign_in


@pytest.fixture
def console_problems():
    def console_problems(page):
        problems = []
        page.on(
            "console",
            lambda msg: (
                msg.type == "error"
                and problems.append(f"{page.url} console: {msg.text} ({msg.location.get('url')})")
            ),
        )
        page.on("pageerror", lambda error: problems.append(f"{page.url} script error: {error}"))
        return problems

    return console_problems
