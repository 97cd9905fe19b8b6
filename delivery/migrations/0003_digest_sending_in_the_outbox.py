"""The digest's own sending state (claimed_at, sent_at, attempts, last_error): the
outbox message it links holds it now (see 0002)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("delivery", "0002_commitment_emails_in_the_outbox")]

    operations = [
        migrations.RemoveField(model_name="deliverydigest", name="attempts"),
        migrations.RemoveField(model_name="deliverydigest", name="claimed_at"),
        migrations.RemoveField(model_name="deliverydigest", name="last_error"),
        migrations.RemoveField(model_name="deliverydigest", name="sent_at"),
    ]
