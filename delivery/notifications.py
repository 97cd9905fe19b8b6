"""Emails about commitments to the people who asked to hear back.

When a commitment's status changes, everyone who took part in the engagement
behind it and asked to hear back is owed a notice. Notices are sent in one
digest per person, at most one a week:

1. `commitment_notices_queue` records the notices (unique per address and
   change) and, after the commit, queues the sending task.
2. `delivery_notifications_send` composes a digest for each address whose
   week is up — the right to compose is claimed by a conditional update on
   `DeliveryRecipient.next_allowed_at`, so two workers never both do it —
   and sends each unsent digest once, claimed the same way on the digest.

A failed send leaves the digest unsent (with the error) for the next run.
Run `manage.py send_commitment_emails` daily so notices held back by the
weekly limit go out when it ends.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from commissioning.models import Participation
from commissioning.selectors import feedback_recipients

from .models import CommitmentNotice, DeliveryDigest, DeliveryRecipient

WEEK = timedelta(days=7)
# A digest claimed by a worker that died is retried after this long.
STALE_CLAIM = timedelta(hours=1)


def _participations_behind(commitment):
    """The participations of the engagements a commitment came from."""
    item = commitment.decision_item
    if item is not None and item.engagement_id:
        return Participation.objects.filter(engagement_id=item.engagement_id)
    decision = commitment.decision
    if decision is None:
        return Participation.objects.none()
    return Participation.objects.for_stage(commitment.programme, decision.stage)


def commitment_recipients(*, commitment):
    """(email, user) pairs to tell about `commitment`, one per address."""
    return feedback_recipients(participations=_participations_behind(commitment))


def commitment_notices_queue(*, update):
    """Owe one notice per recipient for a status change, and queue sending."""
    commitment = update.commitment
    recipients = commitment_recipients(commitment=commitment)
    if not recipients:
        return 0
    DeliveryRecipient.objects.bulk_create(
        [
            DeliveryRecipient(email=email, next_allowed_at=timezone.now())
            for email, _ in recipients
        ],
        ignore_conflicts=True,
    )
    CommitmentNotice.objects.bulk_create(
        [CommitmentNotice(update=update, email=email, user=user) for email, user in recipients],
        ignore_conflicts=True,
    )

    def enqueue():
        from .tasks import commitment_emails_send_task

        commitment_emails_send_task.enqueue()

    transaction.on_commit(enqueue)
    return len(recipients)


def _compose(email, now):
    """Bundle the address's waiting notices into a digest, if its week is up."""
    claimed = DeliveryRecipient.objects.filter(email=email, next_allowed_at__lte=now).update(
        next_allowed_at=now + WEEK
    )
    if not claimed:
        return None
    with transaction.atomic():
        notices = CommitmentNotice.objects.filter(email=email, digest__isnull=True)
        first = notices.order_by("pk").first()
        if first is None:
            # Nothing waiting after all: give the week back.
            DeliveryRecipient.objects.filter(email=email).update(next_allowed_at=now)
            return None
        digest = DeliveryDigest.objects.create(email=email, user=first.user, created_at=now)
        notices.update(digest=digest)
    return digest


def delivery_digests_compose(*, now=None):
    now = now or timezone.now()
    emails = (
        CommitmentNotice.objects.filter(digest__isnull=True)
        .filter(
            email__in=DeliveryRecipient.objects.filter(next_allowed_at__lte=now).values("email")
        )
        .values_list("email", flat=True)
        .distinct()
        .order_by("email")
    )
    return [digest for digest in (_compose(email, now) for email in list(emails)) if digest]


def _digest_context(digest):
    from django.conf import settings
    from django.urls import reverse

    from coproduce.models import SiteSettings

    notices = digest.notices.select_related("update__commitment__programme").order_by(
        "update__commitment__programme__title", "update__happened_on", "pk"
    )
    items = []
    for notice in notices:
        update = notice.update
        commitment = update.commitment
        items.append(
            {
                "commitment": commitment,
                "update": update,
                "programme": commitment.programme,
            }
        )
    base = (getattr(settings, "WAGTAILADMIN_BASE_URL", "") or "").rstrip("/")
    site_settings = SiteSettings.objects.first()
    return {
        "council_name": site_settings.council_name if site_settings else "",
        "items": items,
        "progress_url": base + reverse("delivery:progress"),
        "account_url": base + reverse("accounts:profile"),
        "has_account": digest.user_id is not None,
    }


def _send(digest):
    from django.core.mail import EmailMessage
    from django.template.loader import render_to_string

    context = _digest_context(digest)
    count = len(context["items"])
    message = EmailMessage(
        subject="What happened to what we said we would do"
        if count != 1
        else f"Update: {context['items'][0]['commitment'].title}"[:150],
        body=render_to_string("delivery/email/commitment_digest.txt", context),
        to=[digest.email],
    )
    message.send()


SENT, FAILED, SKIPPED = "sent", "failed", "skipped"


def delivery_digest_send(*, digest_id, now=None):
    """Send one digest once: SENT, FAILED (kept for the next run) or SKIPPED
    (sent already, or another worker has it)."""
    now = now or timezone.now()
    claimable = Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - STALE_CLAIM)
    claimed = (
        DeliveryDigest.objects.filter(pk=digest_id, sent_at__isnull=True)
        .filter(claimable)
        .update(claimed_at=now)
    )
    if not claimed:
        return SKIPPED
    digest = DeliveryDigest.objects.get(pk=digest_id)
    try:
        _send(digest)
    except Exception as error:  # noqa: BLE001 - any transport failure keeps it for the next run
        DeliveryDigest.objects.filter(pk=digest_id).update(
            claimed_at=None,
            attempts=digest.attempts + 1,
            last_error=f"{type(error).__name__}: {error}"[:300],
        )
        return FAILED
    DeliveryDigest.objects.filter(pk=digest_id).update(
        sent_at=timezone.now(), attempts=digest.attempts + 1, last_error=""
    )
    return SENT


def delivery_notifications_send(*, now=None):
    """Compose what is due and send every unsent digest; returns (sent, failed)."""
    now = now or timezone.now()
    delivery_digests_compose(now=now)
    pending = list(
        DeliveryDigest.objects.filter(sent_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    results = [delivery_digest_send(digest_id=pk, now=now) for pk in pending]
    return results.count(SENT), results.count(FAILED)
