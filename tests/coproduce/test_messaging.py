"""The outbox: emails, text messages and letters through GOV.UK Notify (a local fake) or locally."""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from coproduce import messaging
from coproduce.messaging import EMAIL, LETTER, SMS, message_build, messages_queue, messages_send
from coproduce.models import OutboundMessage

pytestmark = pytest.mark.django_db


def letter_pdf(lines=("Sam Smith", "1 High Street", "Kelderby", "KB1 2AA"), *, pages=1):
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    for _ in range(pages):
        for i, line in enumerate(lines):
            canvas.drawString(26 * mm, A4[1] - (44 + 4.3 * i) * mm, line)
        canvas.drawString(20 * mm, A4[1] - 100 * mm, "Dear Sam, the panel has been drawn.")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def queue(captured, *messages):
    with captured(execute=True):
        messages_queue(messages)
    return [OutboundMessage.objects.get(key=m.key) for m in messages]


def email(key="test.email:1", to="sam@example.org"):
    return message_build(
        key=key, scope="test:1", channel=EMAIL, recipient=to, subject="Hello", body="Body text."
    )


def sms(key="test.sms:1", to="07700 900123"):
    return message_build(key=key, scope="test:1", channel=SMS, recipient=to, body="A text.")


def letter(key="test.letter:1", pdf=None):
    return message_build(
        key=key,
        scope="test:1",
        channel=LETTER,
        recipient="Sam Smith, 1 High Street, KB1 2AA",
        pdf=pdf or letter_pdf(),
    )


def _picked(payload, *names):
    """The named fields of a request Notify received, to compare in one go."""
    return {name: payload[name] for name in names}


def test_every_channel_goes_to_notify_with_its_payload(
    notify, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFY_LETTER_POSTAGE = "first"
    sent = queue(django_capture_on_commit_callbacks, email(), sms(), letter())
    assert [m.status for m in sent] == [OutboundMessage.SENT] * 3
    assert {m.route for m in sent} == {OutboundMessage.NOTIFY}
    by_type = {n["type"]: n for n in notify.sent}
    assert _picked(by_type["email"], "to", "personalisation", "reference") == {
        "to": "sam@example.org",
        "personalisation": {"subject": "Hello", "body": "Body text."},
        "reference": "test.email:1",
    }
    assert _picked(by_type["sms"], "to", "personalisation") == {
        "to": "07700 900123",
        "personalisation": {"body": "A text."},
    }
    assert _picked(by_type["letter"], "pages", "postage", "address") == {
        "pages": 1,
        "postage": "first",
        "address": ["Sam Smith", "1 High Street", "Kelderby", "KB1 2AA"],
    }
    for message in sent:
        assert message.provider_reference == by_type[message.channel]["id"]
        assert message.attempts == 1 and message.sent_at is not None
    # Notify keeps the letter; the names and addresses in its PDF are not kept here.
    assert sent[2].pdf is None
    assert mail.outbox == []


def test_without_a_key_email_goes_by_smtp_and_texts_are_recorded_as_not_sent(
    django_capture_on_commit_callbacks,
):
    assert not messaging.can_send(SMS) and not messaging.can_send(LETTER)
    sent_email, text = queue(django_capture_on_commit_callbacks, email(), sms())
    assert (sent_email.status, sent_email.route) == (OutboundMessage.SENT, OutboundMessage.LOCAL)
    assert [(m.subject, m.body, m.to) for m in mail.outbox] == [
        ("Hello", "Body text.", ["sam@example.org"])
    ]
    assert text.status == OutboundMessage.NO_ROUTE
    assert "NOTIFY_API_KEY" in text.last_error


def test_queueing_the_same_message_twice_sends_it_once(notify, django_capture_on_commit_callbacks):
    queue(django_capture_on_commit_callbacks, email())
    queue(django_capture_on_commit_callbacks, email())
    assert len(notify.sent) == 1
    assert OutboundMessage.objects.count() == 1


@pytest.mark.parametrize("status", [403, 429, 500])
def test_a_notify_error_keeps_the_message_pending_and_a_retry_sends_it_once(
    notify, status, django_capture_on_commit_callbacks
):
    notify.fail_next(status)
    [message] = queue(django_capture_on_commit_callbacks, letter())
    assert message.status == OutboundMessage.PENDING
    assert message.attempts == 1
    assert f"answered {status}" in message.last_error
    assert message.pdf is not None  # kept for the retry
    assert notify.sent == []
    assert messages_send() == (1, 0)
    assert messages_send() == (0, 0)  # nothing left: sent once
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (OutboundMessage.SENT, 2, "")
    assert len(notify.sent) == 1


def test_a_refused_message_fails_at_once(notify, django_capture_on_commit_callbacks):
    [message] = queue(django_capture_on_commit_callbacks, sms(to="01632 960 001"))
    assert message.status == OutboundMessage.FAILED
    assert "Not a UK mobile number" in message.last_error
    assert notify.requests == 1


def test_a_letter_notify_would_refuse_is_refused_by_the_fake(
    notify, django_capture_on_commit_callbacks
):
    no_postcode = letter_pdf(("Sam Smith", "1 High Street", "Kelderby"))
    too_long = letter_pdf(pages=11)
    messages = queue(
        django_capture_on_commit_callbacks,
        letter("test.letter:1", no_postcode),
        letter("test.letter:2", too_long),
    )
    assert [m.status for m in messages] == [OutboundMessage.FAILED] * 2
    assert "postcode" in messages[0].last_error
    assert "1 to 10 pages" in messages[1].last_error


def test_a_wrong_key_is_refused_and_the_message_waits(
    notify, settings, django_capture_on_commit_callbacks
):
    right = settings.NOTIFY_API_KEY
    settings.NOTIFY_API_KEY = right[:-36] + "0" * 36  # same service, wrong secret
    [message] = queue(django_capture_on_commit_callbacks, email())
    assert message.status == OutboundMessage.PENDING
    assert "403" in message.last_error
    settings.NOTIFY_API_KEY = right
    assert messages_send() == (1, 0)


def test_after_the_last_retry_a_message_has_failed(notify, django_capture_on_commit_callbacks):
    notify.fail_next(500, times=messaging.MAX_ATTEMPTS)
    [message] = queue(django_capture_on_commit_callbacks, email())
    for _ in range(messaging.MAX_ATTEMPTS - 1):
        messages_send()
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboundMessage.FAILED, messaging.MAX_ATTEMPTS)
    assert messages_send() == (0, 0)


def test_a_message_another_worker_is_sending_is_left_alone(notify):
    messages_queue([email()])
    message = OutboundMessage.objects.get()
    assert messaging._claim(message.pk, messaging.timezone.now())
    assert messaging.message_send(pk=message.pk) is None
    assert notify.sent == []


def test_the_retry_command_sends_what_is_pending(notify, django_capture_on_commit_callbacks):
    notify.fail_next(500)
    queue(django_capture_on_commit_callbacks, email())
    out = io.StringIO()
    call_command("send_messages", stdout=out)
    assert "1 sent, 0 still waiting" in out.getvalue()
    assert len(notify.sent) == 1


def test_failed_messages_can_be_sent_again(notify, django_capture_on_commit_callbacks):
    notify.fail_next(400)
    [message] = queue(django_capture_on_commit_callbacks, email())
    assert message.status == OutboundMessage.FAILED
    with django_capture_on_commit_callbacks(execute=True):
        assert messaging.messages_retry(scope="test:1") == 1
    message.refresh_from_db()
    assert message.status == OutboundMessage.SENT


def test_notify_needs_its_template_ids(settings):
    settings.NOTIFY_API_KEY = "key-" + "1" * 73
    settings.NOTIFY_EMAIL_TEMPLATE_ID = ""
    settings.NOTIFY_SMS_TEMPLATE_ID = "x"
    errors = messaging.check_notify_settings()
    assert [e.id for e in errors] == ["coproduce.E010"]
    assert "NOTIFY_EMAIL_TEMPLATE_ID" in errors[0].msg


def test_personal_data_export_anonymise_and_retention(user_factory):
    user = user_factory(email="sam@example.org")
    messages_queue([email(), email("test.email:2", to="other@example.org")])
    assert [row["subject"] for row in messaging.messages_export(user)] == ["Hello"]
    messaging.messages_anonymise(user)
    assert list(OutboundMessage.objects.values_list("recipient", flat=True)) == [
        "other@example.org"
    ]
    OutboundMessage.objects.update(status=OutboundMessage.SENT)
    assert messaging.messages_retain(messaging.timezone.now() + messaging.CLAIM) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_at_once_send_a_message_once(notify):
    from tests.panels.test_concurrency import race

    message = email()
    message.save()  # recorded, not yet sent (messages_queue would send it at once here)
    results, _ = race(*[lambda: messaging.message_send(pk=message.pk)] * 4)
    assert sorted(results, key=str) == [None, None, None, OutboundMessage.SENT]
    assert len(notify.sent) == 1


def test_the_task_tries_again_later_while_messages_wait(notify, monkeypatch):
    from datetime import timedelta

    from coproduce.messaging import messages_send_task

    queued = []

    class Backend:
        supports_defer = True

    class Deferred:
        def __init__(self, run_after):
            self.run_after = run_after

        def enqueue(self, **kwargs):
            queued.append((self.run_after, kwargs))

    monkeypatch.setattr(type(messages_send_task), "get_backend", lambda self: Backend())
    monkeypatch.setattr(
        type(messages_send_task), "using", lambda self, run_after: Deferred(run_after)
    )
    email().save()
    notify.fail_next(500)
    before = messaging.timezone.now()
    assert messages_send_task.call(scope="test:1") == {"sent": 0, "waiting": 1}
    [(run_after, kwargs)] = queued
    assert kwargs == {"scope": "test:1", "attempt": 2}
    assert run_after - before >= timedelta(minutes=1)
    # The next run sends it, and schedules nothing more.
    assert messages_send_task.call(**kwargs) == {"sent": 1, "waiting": 0}
    assert len(queued) == 1


def test_withheld_messages_wait_until_sent_again(notify, django_capture_on_commit_callbacks):
    messages_queue([email(), email("test.email:2", to="other@example.org")])
    OutboundMessage.objects.filter(key="test.email:2").update(status=OutboundMessage.SENT)
    assert messaging.messages_withhold(scope="test:1", reason="Withdrawn.") == 1
    assert messages_send() == (0, 0)
    held = OutboundMessage.objects.get(key="test.email:1")
    assert (held.status, held.last_error) == (OutboundMessage.FAILED, "Withdrawn.")
    with django_capture_on_commit_callbacks(execute=True):
        assert messaging.messages_retry(scope="test:1") == 1
    assert [n["to"] for n in notify.sent] == ["sam@example.org"]
