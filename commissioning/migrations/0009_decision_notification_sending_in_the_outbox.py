"""The notification's own sending state (sent_at, attempts, last_error): the outbox
message it links holds them now (see 0008)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("commissioning", "0008_decision_emails_in_the_outbox")]

    operations = [
        migrations.RemoveField(model_name="decisionnotification", name="attempts"),
        migrations.RemoveField(model_name="decisionnotification", name="last_error"),
        migrations.RemoveField(model_name="decisionnotification", name="sent_at"),
    ]
