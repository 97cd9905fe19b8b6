"""One way out for messages to people: email, text message and letter.

An app says what to send with `message_build` and `messages_queue`; each
message becomes an `OutboundMessage` row, and once the transaction commits
the task worker sends it (`messages_send`) and records the outcome: sent with
the provider's reference, still pending with the error (retried with a
growing delay, as `coproduce.mail` retries email), or failed.

Two routes, chosen by settings:

- **GOV.UK Notify** when `NOTIFY_API_KEY` is set: emails and text messages
  through one template each (`NOTIFY_EMAIL_TEMPLATE_ID` with the placeholders
  ((subject)) and ((body)), `NOTIFY_SMS_TEMPLATE_ID` with ((body))), letters as
  precompiled PDFs, one per letter, to `NOTIFY_BASE_URL`.
- **Local** otherwise: emails through Django's mail (the queued SMTP backend);
  no text messages (recorded as not sent, so officers see who was not told);
  letters are not sent one by one: the app prints them into one PDF for the
  print room instead, so it asks `can_send(LETTER)` first.

Two workers never send the same message: each claims it with a conditional
update before sending, and only the one whose update changed the row sends.
"""

import io
import logging
from datetime import timedelta

from django.conf import settings
from django.core.checks import Error, register
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task

from .mail import RETRY_DELAYS
from .models import OutboundMessage

logger = logging.getLogger(__name__)

EMAIL, SMS, LETTER = OutboundMessage.EMAIL, OutboundMessage.SMS, OutboundMessage.LETTER
# A worker that dies mid-send leaves its claim; after this long another may try again.
CLAIM = timedelta(minutes=10)
# The first attempt and one per retry delay; after that a message has failed.
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
NO_ROUTE_REASONS = {
    SMS: "Text messages are sent through GOV.UK Notify, which is not set up (NOTIFY_API_KEY).",
    LETTER: "Letters are sent through GOV.UK Notify, which is not set up: print them instead.",
}


class MessageRejected(Exception):
    """The service refused the message itself (a bad number, a bad PDF): retrying cannot help."""


class MessageLink(models.Model):
    """What an app records for a message it owes someone (a decision's notification, a
    digest), linked to the outbox's message, which says whether and when it went.

    The link is None once the outbox has forgotten the message (retention); the
    record stays, so what it stands for is not sent twice.
    """

    # Names the message (with the record's id) in the outbox: no personal data.
    message_key_prefix = ""

    message = models.OneToOneField(
        OutboundMessage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def message_key(self):
        return f"{self.message_key_prefix}:{self.pk}"

    # What the outbox recorded, for officers' lists (which select the message with it).

    def status(self):
        return self.message.get_status_display() if self.message else "–"

    status.short_description = "email"

    def sent_at(self):
        return self.message.sent_at if self.message else None

    sent_at.short_description = "sent"

    def last_error(self):
        return self.message.last_error if self.message else ""

    last_error.short_description = "error"


def notify_enabled():
    return bool(getattr(settings, "NOTIFY_API_KEY", ""))


def can_send(channel):
    """Whether `channel` has a route now (email always; text messages and letters with Notify)."""
    return channel == EMAIL or notify_enabled()


class LocalRoute:
    """Email through Django's mail; nothing else."""

    name = OutboundMessage.LOCAL

    def send(self, message):
        EmailMessage(subject=message.subject, body=message.body, to=[message.recipient]).send()
        return ""


def _notify_error(error):
    """Notify's error messages as one line ('ValidationError: phone_number Not a UK mobile…')."""
    details = error.message if isinstance(error.message, list) else [error.message]
    parts = [
        f"{d.get('error', '')}: {d.get('message', '')}" if isinstance(d, dict) else str(d)
        for d in details
    ]
    return f"GOV.UK Notify answered {error.status_code}: " + "; ".join(parts)


class NotifyRoute:
    """GOV.UK Notify, through its Python client."""

    name = OutboundMessage.NOTIFY

    def __init__(self):
        from notifications_python_client.notifications import NotificationsAPIClient

        self.client = NotificationsAPIClient(
            settings.NOTIFY_API_KEY, base_url=settings.NOTIFY_BASE_URL
        )

    def _send_email(self, message):
        return self.client.send_email_notification(
            email_address=message.recipient,
            template_id=settings.NOTIFY_EMAIL_TEMPLATE_ID,
            personalisation={"subject": message.subject, "body": message.body},
            reference=message.key,
        )

    def _send_sms(self, message):
        return self.client.send_sms_notification(
            phone_number=message.recipient,
            template_id=settings.NOTIFY_SMS_TEMPLATE_ID,
            personalisation={"body": message.body},
            reference=message.key,
        )

    def _send_letter(self, message):
        return self.client.send_precompiled_letter_notification(
            reference=message.key,
            pdf_file=io.BytesIO(bytes(message.pdf)),
            postage=settings.NOTIFY_LETTER_POSTAGE,
        )

    def send(self, message):
        from notifications_python_client.errors import HTTPError

        try:
            response = getattr(self, f"_send_{message.channel}")(message)
        except HTTPError as error:
            # 400: Notify refused this message's content. 403, 429 and 5xx may pass later.
            if error.status_code == 400:
                raise MessageRejected(_notify_error(error)) from error
            raise RuntimeError(_notify_error(error)) from error
        return str(response["id"])


def route_for(channel):
    """The route that sends `channel` now, or None."""
    if notify_enabled():
        return NotifyRoute()
    return LocalRoute() if channel == EMAIL else None


# Queueing


def message_build(*, key, scope, channel, recipient, subject="", body="", pdf=None):
    """An unsaved message for `messages_queue`; one without a route is recorded as not sent."""
    message = OutboundMessage(
        key=key,
        scope=scope,
        channel=channel,
        recipient=recipient[:320],
        subject=subject[:200],
        body=body,
        pdf=pdf,
    )
    if not can_send(channel):
        message.status = OutboundMessage.NO_ROUTE
        message.last_error = NO_ROUTE_REASONS[channel]
        message.pdf = None
    return message


def messages_queue(messages, *, batch_size=500):
    """Record `messages` (from `message_build`) and send them once the transaction commits.

    A message whose key is already recorded is left as it is, so queueing
    again (a task run twice, a retry) never sends anything twice.
    """
    scopes, batch = set(), []
    for message in messages:
        batch.append(message)
        if message.status == OutboundMessage.PENDING:
            scopes.add(message.scope)
        if len(batch) >= batch_size:
            OutboundMessage.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    if batch:
        OutboundMessage.objects.bulk_create(batch, ignore_conflicts=True)

    def enqueue():
        for scope in sorted(scopes):
            messages_send_task.enqueue(scope=scope)

    transaction.on_commit(enqueue)
    return len(scopes)


# Sending


def _claim(pk, now):
    """Mark the message as being sent by this worker; False if it is not pending or is claimed."""
    return bool(
        OutboundMessage.objects.pending()
        .filter(pk=pk)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + CLAIM, attempts=F("attempts") + 1)
    )


def _record(pk, **fields):
    OutboundMessage.objects.filter(pk=pk).update(claimed_until=None, **fields)


def message_send(*, pk, now=None):
    """Send one pending message if no other worker is; returns its new status or None."""
    if not _claim(pk, now or timezone.now()):
        return None
    message = OutboundMessage.objects.get(pk=pk)
    route = route_for(message.channel)
    if route is None:
        _record(pk, status=OutboundMessage.NO_ROUTE, last_error=NO_ROUTE_REASONS[message.channel])
        return OutboundMessage.NO_ROUTE
    try:
        reference = route.send(message)
    except MessageRejected as error:
        _record(pk, status=OutboundMessage.FAILED, route=route.name, last_error=str(error)[:300])
        return OutboundMessage.FAILED
    except Exception as error:  # noqa: BLE001 - any transport failure: kept, retried
        status = (
            OutboundMessage.FAILED if message.attempts >= MAX_ATTEMPTS else OutboundMessage.PENDING
        )
        logger.warning("Sending message %s failed (attempt %s): %s", pk, message.attempts, error)
        _record(pk, status=status, route=route.name, last_error=str(error)[:300])
        return status
    _record(
        pk,
        status=OutboundMessage.SENT,
        route=route.name,
        provider_reference=reference[:100],
        sent_at=timezone.now(),
        last_error="",
        pdf=None,  # Notify keeps the letter; no need to keep names and addresses here
    )
    return OutboundMessage.SENT


def messages_send(*, scope=None, limit=None, now=None):
    """Send the pending messages (of `scope`); returns (sent, still pending)."""
    pending = OutboundMessage.objects.pending()
    if scope:
        pending = pending.filter(scope=scope)
    ids = list(pending.order_by("pk").values_list("pk", flat=True)[:limit])
    outcomes = [message_send(pk=pk, now=now) for pk in ids]
    return outcomes.count(OutboundMessage.SENT), outcomes.count(OutboundMessage.PENDING)


@task()
def messages_send_task(*, scope="", attempt=1):
    """Send a scope's pending messages; while some fail, try again later (if the queue can)."""
    sent, waiting = messages_send(scope=scope or None)
    backend = messages_send_task.get_backend()
    if waiting and attempt <= len(RETRY_DELAYS) and backend.supports_defer:
        messages_send_task.using(run_after=timezone.now() + RETRY_DELAYS[attempt - 1]).enqueue(
            scope=scope, attempt=attempt + 1
        )
    return {"sent": sent, "waiting": waiting}


def messages_retry(*, scope):
    """Put a scope's failed messages (and text messages that had no route, if they have one
    now) back in the queue and send them; returns how many."""
    again = OutboundMessage.objects.filter(scope=scope, status=OutboundMessage.FAILED)
    count = again.update(status=OutboundMessage.PENDING, attempts=0, claimed_until=None)
    if can_send(SMS):  # letters without a route were printed instead, and hold no PDF
        count += OutboundMessage.objects.filter(
            scope=scope, status=OutboundMessage.NO_ROUTE, channel=SMS
        ).update(status=OutboundMessage.PENDING, attempts=0, last_error="")
    if count:
        transaction.on_commit(lambda: messages_send_task.enqueue(scope=scope))
    return count


def messages_queue_linked(pairs):
    """Queue the message of each (record, message) pair as `messages_queue` does, and link
    each record (a `MessageLink`, saved) to its message; returns how many."""
    pairs = list(pairs)
    messages_queue(message for _, message in pairs)
    keys = [message.key for _, message in pairs]
    ids = {}
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        ids.update(OutboundMessage.objects.filter(key__in=chunk).values_list("key", "pk"))
    for record, message in pairs:
        record.message_id = ids.get(message.key)
    if pairs:
        records = [record for record, _ in pairs]
        type(records[0]).objects.bulk_update(records, ["message"], batch_size=500)
    return len(pairs)


def messages_withhold(*, scope, reason):
    """Stop a scope's messages not yet sent (what they are about was withdrawn), recorded as
    failed with `reason`; `messages_retry` sends them again. Returns how many."""
    return (
        OutboundMessage.objects.pending()
        .filter(scope=scope)
        .update(status=OutboundMessage.FAILED, last_error=reason[:300], claimed_until=None)
    )


# Personal data: the messages sent to a person's email address (the others
# name no account: registrations by code, letters), and how long they are kept.


def messages_export(user):
    email = (user.email or "").strip()
    if not email:
        return []
    return [
        {
            "channel": m.get_channel_display(),
            "subject": m.subject,
            "status": m.get_status_display(),
            "created_at": m.created_at.isoformat(),
            "sent_at": m.sent_at.isoformat() if m.sent_at else None,
        }
        for m in OutboundMessage.objects.filter(channel=EMAIL, recipient__iexact=email).order_by(
            "created_at", "pk"
        )
    ]


def messages_anonymise(user):
    email = (user.email or "").strip()
    if email:
        OutboundMessage.objects.filter(channel=EMAIL, recipient__iexact=email).delete()


def message_links_delete(links):
    """Delete `links` (a queryset of a `MessageLink` model, e.g. a person's) and the
    messages they link, sent or not: nothing of them is kept or sent any more."""
    OutboundMessage.objects.filter(pk__in=links.exclude(message=None).values("message")).delete()
    return links.delete()


def messages_retain(before):
    """Delete messages created before `before` that are no longer waiting to be sent."""
    deleted, _ = (
        OutboundMessage.objects.filter(created_at__lt=before).exclude(
            status=OutboundMessage.PENDING
        )
    ).delete()
    return deleted


@register()
def check_notify_settings(app_configs=None, **kwargs):
    """With a Notify key, the templates the emails and text messages go through must be named."""
    if not notify_enabled():
        return []
    return [
        Error(
            f"NOTIFY_API_KEY is set but {name} is empty.",
            hint="Create the template in GOV.UK Notify and set its id.",
            id="coproduce.E010",
        )
        for name in ("NOTIFY_EMAIL_TEMPLATE_ID", "NOTIFY_SMS_TEMPLATE_ID")
        if not getattr(settings, name, "")
    ]
