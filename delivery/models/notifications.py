"""Telling people what became of a commitment: notices batched into weekly digests.

A `CommitmentNotice` is owed to one address for one status change (unique,
so never queued twice). Notices wait until their address may be written to
again — at most one email a week per person, claimed on `DeliveryRecipient`
with a conditional update — and are then bundled into one `DeliveryDigest`,
whose email is its `message` in the outbox (`coproduce.messaging`): sent
once, retried, and recorded there.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from coproduce.messaging import MessageLink


class DeliveryRecipient(models.Model):
    """One address we may email about commitments, and when we may next do so."""

    email = models.EmailField(unique=True)
    next_allowed_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.email


class DeliveryDigest(MessageLink):
    message_key_prefix = "delivery.digest"

    email = models.EmailField(db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "commitment email"

    def __str__(self):
        return f"{self.email} ({self.created_at:%-d %B %Y})"


class CommitmentNotice(models.Model):
    update = models.ForeignKey(
        "delivery.CommitmentUpdate", on_delete=models.CASCADE, related_name="notices"
    )
    email = models.EmailField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    digest = models.ForeignKey(
        DeliveryDigest, null=True, blank=True, on_delete=models.SET_NULL, related_name="notices"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["update", "email"], name="one_notice_per_address_per_update"
            )
        ]

    def __str__(self):
        return f"{self.email} about update {self.update_id}"
