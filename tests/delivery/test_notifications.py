"""Emails about commitments: batched, at most one a week per person, sent exactly once
(through the outbox, `coproduce.messaging`)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from commissioning.services import participation_record
from coproduce.messaging import messages_send
from coproduce.models import OutboundMessage
from delivery import services
from delivery.models import CommitmentNotice, DeliveryDigest
from delivery.notifications import SCOPE, delivery_digests_compose
from tests.threads import at_once

from . import factories


def delivery_notifications_send(*, now=None):
    """What the daily command and the outbox do: compose what is due, send what waits."""
    delivery_digests_compose(now=now)
    return messages_send(scope=SCOPE)


@pytest.fixture
def setup(home_page, officer, user_factory):
    _, decision, engagement = factories.delivered_programme(home_page)
    keen = user_factory(email="keen@example.org")
    quiet = user_factory(email="quiet@example.org")
    participation_record(engagement=engagement, user=keen, wants_feedback=True)
    participation_record(engagement=engagement, user=quiet, wants_feedback=False)
    participation_record(engagement=engagement, email="anon@example.org", wants_feedback=True)
    return decision, engagement


def test_a_status_change_emails_those_who_asked_once(
    setup, officer, django_capture_on_commit_callbacks
):
    decision, _ = setup
    commitment = factories.commitment(decision, officer, title="Open every library")
    assert not mail.outbox  # creating it is not a status change
    with django_capture_on_commit_callbacks(execute=True):
        services.commitment_change(commitment=commitment, user=officer, status="in_progress")
    assert sorted(m.to[0] for m in mail.outbox) == ["anon@example.org", "keen@example.org"]
    assert "Open every library" in mail.outbox[0].body
    assert "Planned" in mail.outbox[0].body and "In progress" in mail.outbox[0].body
    assert mail.outbox[0].subject == "Update: Open every library"
    # Each digest links the email the outbox sent.
    assert sorted(DeliveryDigest.objects.values_list("message__recipient", "message__status")) == [
        ("anon@example.org", OutboundMessage.SENT),
        ("keen@example.org", OutboundMessage.SENT),
    ]


def test_progress_updates_do_not_email(setup, officer, django_capture_on_commit_callbacks):
    decision, _ = setup
    commitment = factories.commitment(decision, officer)
    with django_capture_on_commit_callbacks(execute=True):
        services.commitment_change(commitment=commitment, user=officer, progress=30)
    assert not mail.outbox
    assert not CommitmentNotice.objects.exists()


def test_changes_within_a_week_are_batched_into_the_next_email(
    setup, officer, django_capture_on_commit_callbacks
):
    decision, _ = setup
    first = factories.commitment(decision, officer, title="First")
    second = factories.commitment(decision, officer, title="Second")
    with django_capture_on_commit_callbacks(execute=True):
        services.commitment_change(commitment=first, user=officer, status="in_progress")
    assert len(mail.outbox) == 2
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.commitment_change(commitment=first, user=officer, status="done")
        services.commitment_change(
            commitment=second, user=officer, status="dropped", status_reason="No money."
        )
    assert not mail.outbox  # this week's email has gone
    delivery_notifications_send(now=timezone.now() + timedelta(days=6))
    assert not mail.outbox
    sent, failed = delivery_notifications_send(now=timezone.now() + timedelta(days=7, minutes=1))
    assert (sent, failed) == (2, 0)
    keen = [m for m in mail.outbox if m.to == ["keen@example.org"]]
    assert len(keen) == 1
    assert keen[0].subject == "What happened to what we said we would do"
    assert "First" in keen[0].body and "Second" in keen[0].body and "No money." in keen[0].body
    assert delivery_notifications_send(now=timezone.now() + timedelta(days=30)) == (0, 0)


def test_people_who_turned_emails_off_are_left_out(
    setup, officer, django_capture_on_commit_callbacks
):
    decision, _ = setup
    from accounts.models import User

    User.objects.filter(email="keen@example.org").update(notify_decisions=False)
    commitment = factories.commitment(decision, officer)
    with django_capture_on_commit_callbacks(execute=True):
        services.commitment_change(commitment=commitment, user=officer, status="in_progress")
    assert [m.to for m in mail.outbox] == [["anon@example.org"]]


def test_a_failed_send_is_retried_later(setup, officer, monkeypatch):
    decision, _ = setup
    commitment = factories.commitment(decision, officer)

    def refuse(self, *args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    services.commitment_change(commitment=commitment, user=officer, status="in_progress")
    assert delivery_notifications_send() == (0, 2)
    digest = DeliveryDigest.objects.select_related("message").order_by("pk").first()
    assert digest.message.status == OutboundMessage.PENDING
    assert digest.message.sent_at is None and "mail server down" in digest.message.last_error
    monkeypatch.undo()
    assert delivery_notifications_send() == (2, 0)
    assert len(mail.outbox) == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    connection.vendor == "sqlite", reason="threads need a database that allows concurrent writers"
)
def test_concurrent_workers_send_each_email_exactly_once(home_page, officer, user_factory):
    _, decision, engagement = factories.delivered_programme(home_page)
    for n in range(5):
        person = user_factory(email=f"person{n}@example.org")
        participation_record(engagement=engagement, user=person, wants_feedback=True)
    commitment = factories.commitment(decision, officer)
    # Queue the notices without the inline task sending them.
    services.commitment_change(
        commitment=commitment, user=officer, status="in_progress", notify=False
    )
    from delivery.notifications import commitment_notices_queue

    commitment_notices_queue(update=commitment.updates.order_by("pk").last())
    mail.outbox.clear()
    OutboundMessage.objects.all().delete()
    DeliveryDigest.objects.all().delete()
    CommitmentNotice.objects.update(digest=None)
    from delivery.models import DeliveryRecipient

    DeliveryRecipient.objects.update(next_allowed_at=timezone.now() - timedelta(minutes=1))

    results = at_once(delivery_notifications_send, workers=4)
    # Each worker composes what it claimed and the outbox sends each email once,
    # whichever worker (or the task its commit queued) gets to it.
    assert sorted(m.to[0] for m in mail.outbox) == [f"person{n}@example.org" for n in range(5)]
    assert DeliveryDigest.objects.count() == 5
    assert (
        sorted(DeliveryDigest.objects.values_list("message__status", "message__attempts"))
        == [(OutboundMessage.SENT, 1)] * 5
    )
    assert all(waiting == 0 for _, waiting in results)


def test_commitment_emails_are_personal_data(setup, officer, django_capture_on_commit_callbacks):
    from accounts.models import User
    from commissioning.personal_data import personal_data_anonymise, personal_data_export
    from delivery.models import DeliveryRecipient

    decision, _ = setup
    commitment = factories.commitment(decision, officer)
    with django_capture_on_commit_callbacks(execute=True):
        services.commitment_change(commitment=commitment, user=officer, status="in_progress")
    keen = User.objects.get(email="keen@example.org")
    [exported] = personal_data_export(keen)["commitment_emails"]
    assert exported["email"] == "keen@example.org" and exported["sent_at"]
    # Found through the person, not only through the address they have now.
    User.objects.filter(pk=keen.pk).update(email="moved@example.org")
    keen.refresh_from_db()
    personal_data_anonymise(keen)
    assert not DeliveryDigest.objects.filter(user=keen).exists()
    assert not CommitmentNotice.objects.filter(email="keen@example.org").exists()
    assert not DeliveryRecipient.objects.filter(email="keen@example.org").exists()
    # The email itself goes from the outbox; the anonymous participant's stays.
    assert list(OutboundMessage.objects.values_list("recipient", flat=True)) == [
        "anon@example.org"
    ]
