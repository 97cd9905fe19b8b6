"""Commitment emails move to the outbox (`coproduce.messaging`).

A digest keeps which notices went to which address together and links the
outbox's message, which now holds whether and when it went and why it failed.
Digests already sent become sent messages in the outbox (their body was not
kept, so none is recorded), so officers' lists and people's data downloads
keep their dates. A digest never sent is undone: its notices wait again and
its address may be written to now, so the next composing run sends them
through the outbox. The fields the outbox replaces go in 0003 (PostgreSQL
alters no table with rows just written in the same transaction).
"""

import django.db.models.deletion
from django.db import migrations, models
from django.utils import timezone


def sent_into_the_outbox(apps, schema_editor):
    DeliveryDigest = apps.get_model("delivery", "DeliveryDigest")
    DeliveryRecipient = apps.get_model("delivery", "DeliveryRecipient")
    CommitmentNotice = apps.get_model("delivery", "CommitmentNotice")
    OutboundMessage = apps.get_model("coproduce", "OutboundMessage")
    unsent = DeliveryDigest.objects.filter(sent_at__isnull=True)
    emails = list(unsent.values_list("email", flat=True))
    CommitmentNotice.objects.filter(digest__in=unsent).update(digest=None)
    DeliveryRecipient.objects.filter(email__in=emails).update(next_allowed_at=timezone.now())
    unsent.delete()
    for digest in DeliveryDigest.objects.iterator():
        digest.message = OutboundMessage.objects.create(
            key=f"delivery.digest:{digest.pk}",
            scope="delivery.commitments",
            channel="email",
            route="local",
            recipient=digest.email,
            subject="What happened to what we said we would do",
            status="sent",
            attempts=digest.attempts,
            created_at=digest.created_at,
            sent_at=digest.sent_at,
        )
        digest.save(update_fields=["message"])


class Migration(migrations.Migration):
    dependencies = [
        ("coproduce", "0003_outbound_message"),
        ("delivery", "0001_delivery_and_review"),
    ]

    operations = [
        migrations.AddField(
            model_name="deliverydigest",
            name="message",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="coproduce.outboundmessage",
            ),
        ),
        migrations.RunPython(sent_into_the_outbox, migrations.RunPython.noop, elidable=True),
    ]
