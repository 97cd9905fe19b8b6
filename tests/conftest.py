"""Fixtures every app's tests share: a site with its home page, and users.

App-specific factories live in tests/<app>/factories.py.
"""

import pytest
from django.core.cache import cache
from django.http import HttpRequest
from django.test import Client

from tests.pages import site_home


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: no stored page, rate limit or lockout."""
    from coproduce.cache import forget_worker_copies

    cache.clear()
    forget_worker_copies()
    yield
    cache.clear()
    forget_worker_copies()


@pytest.fixture(autouse=True)
def _test_client_signs_in_with_two_factor(request, monkeypatch):
    """`client.force_login` and `client.login` stand for a whole sign-in, second step included.

    Staff must pass two-factor sign-in (accounts.middleware); a test that
    signs someone in with the test client means a finished sign-in, so the
    session gets the record allauth writes when the second step is passed.
    Tests of the two-factor duty itself sign in through the pages, or mark
    themselves `@pytest.mark.without_two_factor`. Test code only: nothing in
    the site trusts a session that allauth did not record.
    """
    if request.node.get_closest_marker("without_two_factor"):
        return
    original = Client._login

    def _login(client, user, backend=None):
        from allauth.account.internal.flows.login import record_authentication

        original(client, user, backend)
        session = client.session
        fake_request = HttpRequest()
        fake_request.session = session
        record_authentication(fake_request, user, "mfa", type="totp")
        session.save()

    monkeypatch.setattr(Client, "_login", _login)


@pytest.fixture
def page_cache_on(settings):
    """The page cache and what it remembers, on: tests run with it off, so queries count afresh."""
    settings.PAGE_CACHE_SECONDS = 600


@pytest.fixture
def home_page(db):
    return site_home()


@pytest.fixture
def user_factory(db):
    from tests.accounts.factories import UserFactory

    return UserFactory


@pytest.fixture
def resident(db):
    from tests.accounts.factories import UserFactory

    return UserFactory(email="resident@example.org")


@pytest.fixture
def officer(db):
    from tests.accounts.factories import staff_with_role

    return staff_with_role("officer", "officer@example.org")


@pytest.fixture
def editor(db):
    from tests.accounts.factories import staff_with_role

    return staff_with_role("editor", "editor@example.org")


@pytest.fixture
def notify(settings, monkeypatch):
    """A local fake of GOV.UK Notify, with the settings that send through it."""
    from tests.notify_fake import FakeNotify

    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    fake = FakeNotify().start()
    settings.NOTIFY_API_KEY = fake.api_key
    settings.NOTIFY_BASE_URL = fake.url
    settings.NOTIFY_EMAIL_TEMPLATE_ID = FakeNotify.EMAIL_TEMPLATE
    settings.NOTIFY_SMS_TEMPLATE_ID = FakeNotify.SMS_TEMPLATE
    yield fake
    fake.stop()
