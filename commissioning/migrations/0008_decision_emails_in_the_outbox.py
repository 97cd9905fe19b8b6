"""Decision emails move to the outbox (`coproduce.messaging`).

A notification keeps who was told of which decision and links the outbox's
message, which now holds whether and when it went and why it failed. Emails
already sent become sent messages in the outbox (their body was not kept,
so none is recorded), so officers' lists and people's data downloads keep
their dates. Notifications never sent are removed: they are owed again, and
sent through the outbox, the next time their decision is published.
The fields the outbox replaces go in 0009 (PostgreSQL alters no table with
rows just written in the same transaction).
"""

import django.db.models.deletion
from django.db import migrations, models


def sent_into_the_outbox(apps, schema_editor):
    DecisionNotification = apps.get_model("commissioning", "DecisionNotification")
    OutboundMessage = apps.get_model("coproduce", "OutboundMessage")
    DecisionNotification.objects.filter(sent_at__isnull=True).delete()
    for notification in DecisionNotification.objects.select_related("decision").iterator():
        notification.message = OutboundMessage.objects.create(
            key=f"commissioning.decision-notification:{notification.pk}",
            scope=f"commissioning.decision:{notification.decision_id}",
            channel="email",
            route="local",
            recipient=notification.email,
            subject=f"Decision: {notification.decision.title}"[:200],
            status="sent",
            attempts=notification.attempts,
            created_at=notification.created_at,
            sent_at=notification.sent_at,
        )
        notification.save(update_fields=["message"])


class Migration(migrations.Migration):
    dependencies = [
        ("commissioning", "0007_stored_results"),
        ("coproduce", "0003_outbound_message"),
    ]

    operations = [
        migrations.AddField(
            model_name="decisionnotification",
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
