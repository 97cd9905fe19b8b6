"""Every email: one base URL, the council's name, and the task queue."""

import logging
import re

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

from coproduce.mail import email_deliver_task, message_deserialise, message_serialise

pytestmark = pytest.mark.django_db

BASE = "https://participate.kelderby.example"
COUNCIL = "Kelderby Borough Council"


class OutageBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("mail server down")


def links(message):
    return re.findall(r"https?://[^\s\"'<>]+", message.body)


def assert_in_the_councils_voice(message):
    found = links(message)
    assert found, f"{message.subject!r} has no link"
    assert all(link.startswith(BASE + "/") for link in found), (message.subject, found)
    assert COUNCIL in message.body, message.subject
    for host in ("127.0.0.1", "localhost", "testserver", "Hello from"):
        assert host not in message.body, (message.subject, host)


@pytest.fixture(autouse=True)
def _empty_cache():
    """allauth's email cooldowns live in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def base_url(settings):
    settings.WAGTAILADMIN_BASE_URL = BASE
    return BASE


def test_account_emails_use_the_base_url_and_name_the_council(client, home_page, base_url):
    from tests.accounts.factories import PASSWORD, UserFactory

    client.post(
        "/accounts/signup/",
        {"email": "new@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    known = UserFactory(email="known@example.org")
    client.post(
        "/accounts/signup/",
        {"email": known.email, "password1": PASSWORD, "password2": PASSWORD},
    )
    client.post("/accounts/password/reset/", {"email": known.email})
    client.post("/accounts/password/reset/", {"email": "nobody@example.org"})

    subjects = [m.subject for m in mail.outbox]
    assert subjects == [
        "Coproduce Kelderby: Confirm your email address to finish setting up your account",
        "Coproduce Kelderby: You already have an account",
        "Coproduce Kelderby: Reset your password",
        "Coproduce Kelderby: No account with this email address",
    ]
    for message in mail.outbox:
        assert_in_the_councils_voice(message)


def test_decision_emails_use_the_base_url(home_page, base_url, django_capture_on_commit_callbacks):
    from tests.commissioning import factories as spine

    programme = spine.programme(spine.programme_index(home_page))
    engagement = spine.engagement(programme)
    spine.ParticipationFactory(engagement=engagement, email="jo@example.org", wants_feedback=True)
    with django_capture_on_commit_callbacks(execute=True):
        spine.decision(programme)

    assert [m.to for m in mail.outbox] == [["jo@example.org"]]
    assert_in_the_councils_voice(mail.outbox[0])


def test_asset_emails_use_the_base_url(home_page, base_url, resident):
    from assetmap.tasks import asset_decision_notify
    from tests.assetmap.factories import AssetFactory

    asset = AssetFactory(submitted_by=resident)
    asset_decision_notify.call(asset_id=asset.pk, decision="rejected", reason="Not in the borough")

    assert len(mail.outbox) == 1
    assert_in_the_councils_voice(mail.outbox[0])


def test_panel_draw_emails_use_the_base_url(
    home_page, base_url, django_capture_on_commit_callbacks
):
    from panels.models import LotteryEntry, LotteryRun
    from panels.tasks import lottery_notify_task
    from tests.panels.factories import ApplicationFactory, make_panel

    panel = make_panel(home_page)
    run = LotteryRun.objects.create(
        panel=panel, seats=1, seed=7, algorithm_requested="maximin", status=LotteryRun.COMPLETED
    )
    for selected in (True, False):
        LotteryEntry.objects.create(
            run=run, application=ApplicationFactory(panel=panel), selected=selected
        )
    with django_capture_on_commit_callbacks(execute=True):  # the outbox sends after commit
        lottery_notify_task.call(run.pk)

    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert_in_the_councils_voice(message)
    [chosen] = [m for m in mail.outbox if "panel space" in m.body]
    assert f"{BASE}{panel.url}space/" in chosen.body


# The queue


def test_a_message_survives_the_queue_intact():
    message = EmailMessage("Subject", "Body", "from@example.org", ["to@example.org"])
    message.attach("notes.bin", b"\x00hello", "application/octet-stream")

    copy = message_deserialise(message_serialise(message))

    assert (copy.subject, copy.body, copy.from_email, copy.to) == (
        "Subject",
        "Body",
        "from@example.org",
        ["to@example.org"],
    )
    assert copy.attachments[0][:2] == ("notes.bin", b"\x00hello")


def test_sending_queues_a_task_that_delivers(settings):
    settings.EMAIL_BACKEND = "coproduce.mail.QueuedEmailBackend"

    sent = EmailMessage("Hello", "Body", to=["jo@example.org"]).send()

    assert sent == 1
    assert [m.to for m in mail.outbox] == [["jo@example.org"]]


def test_sign_up_during_a_mail_outage_answers_and_can_send_again(
    client, home_page, settings, caplog
):
    """With the mail server down, sign-up still answers "check your email" (no 500)."""
    from accounts.models import User
    from tests.accounts.factories import PASSWORD

    settings.EMAIL_BACKEND = "coproduce.mail.QueuedEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = f"{__name__}.OutageBackend"

    with caplog.at_level(logging.ERROR, logger="coproduce.mail"):
        response = client.post(
            "/accounts/signup/",
            {"email": "new@example.org", "password1": PASSWORD, "password2": PASSWORD},
            follow=True,
        )

    assert response.status_code == 200
    assert "Check your email" in response.content.decode()
    assert 'href="/my/confirm-email/again/"' in response.content.decode()
    assert User.objects.filter(email="new@example.org").exists()
    assert "Gave up sending" in caplog.text


def test_a_failed_delivery_is_retried_later_on_a_queue_that_can_wait(settings, monkeypatch):
    settings.EMAIL_DELIVERY_BACKEND = f"{__name__}.OutageBackend"
    queued = []

    class Backend:
        supports_defer = True

    class Deferred:
        def __init__(self, run_after):
            self.run_after = run_after

        def enqueue(self, **kwargs):
            queued.append((self.run_after, kwargs))

    monkeypatch.setattr(type(email_deliver_task), "get_backend", lambda self: Backend())
    monkeypatch.setattr(
        type(email_deliver_task), "using", lambda self, run_after: Deferred(run_after)
    )
    message = message_serialise(EmailMessage("Hello", "Body", to=["jo@example.org"]))

    result = email_deliver_task.call(message=message, attempt=1)

    assert result == {"sent": False, "attempt": 1}
    assert len(queued) == 1
    assert queued[0][1] == {"message": message, "attempt": 2}
    with pytest.raises(ConnectionRefusedError):
        email_deliver_task.call(message=message, attempt=5)  # the last attempt gives up
