"""Emails about commitments to the people who asked to hear back.

When a commitment's status changes, everyone who took part in the engagement
behind it and asked to hear back is owed a notice. Notices are sent in one
digest per person, at most one a week:

1. `commitment_notices_queue` records the notices (unique per address and
   change) and, after the commit, queues the task that composes digests.
2. `delivery_digests_compose` bundles the waiting notices of each address
   whose week is up into a digest — the right to compose is claimed by a
   conditional update on `DeliveryRecipient.next_allowed_at`, so two workers
   never both do it — and puts its email in the outbox
   (`coproduce.messaging`), which sends it once, retries failures and
   records what happened.

Run `manage.py send_commitment_emails` daily so notices held back by the
weekly limit go out when it ends (and `send_messages` hourly, as for every
message, to send what an outage left waiting).
"""

from datetime import timedelta

from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from commissioning.models import Participation
from commissioning.selectors import feedback_recipients
from coproduce.mail import email_context, site_url
from coproduce.messaging import EMAIL, message_build, messages_queue_linked

from .models import CommitmentNotice, DeliveryDigest, DeliveryRecipient

WEEK = timedelta(days=7)
# The outbox scope of every commitment email (a digest spans programmes).
SCOPE = "delivery.commitments"


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
        from .tasks import commitment_digests_compose_task

        commitment_digests_compose_task.enqueue()

    transaction.on_commit(enqueue)
    return len(recipients)


def _compose(email, now):
    """Bundle the address's waiting notices into a digest and queue its email, if its
    week is up."""
    with transaction.atomic():
        claimed = DeliveryRecipient.objects.filter(email=email, next_allowed_at__lte=now).update(
            next_allowed_at=now + WEEK
        )
        if not claimed:
            return None
        notices = CommitmentNotice.objects.filter(email=email, digest__isnull=True)
        first = notices.order_by("pk").first()
        if first is None:
            # Nothing waiting after all: give the week back.
            DeliveryRecipient.objects.filter(email=email).update(next_allowed_at=now)
            return None
        digest = DeliveryDigest.objects.create(email=email, user=first.user, created_at=now)
        notices.update(digest=digest)
        messages_queue_linked([(digest, _digest_message(digest))])
    return digest


def delivery_digests_compose(*, now=None):
    """Compose and queue the digest of every address whose week is up; returns them."""
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


def _digest_message(digest):
    notices = digest.notices.select_related("update__commitment__programme").order_by(
        "update__commitment__programme__title", "update__happened_on", "pk"
    )
    items = [
        {
            "commitment": notice.update.commitment,
            "update": notice.update,
            "programme": notice.update.commitment.programme,
        }
        for notice in notices
    ]
    context = {
        "council_name": email_context()["council_name"],
        "items": items,
        "progress_url": site_url(reverse("delivery:progress")),
        "account_url": site_url(reverse("accounts:profile")),
        "has_account": digest.user_id is not None,
    }
    return message_build(
        key=digest.message_key,
        scope=SCOPE,
        channel=EMAIL,
        recipient=digest.email,
        subject=f"Update: {items[0]['commitment'].title}"[:150]
        if len(items) == 1
        else "What happened to what we said we would do",
        body=render_to_string("delivery/email/commitment_digest.txt", context),
    )
