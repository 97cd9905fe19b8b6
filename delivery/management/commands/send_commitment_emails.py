from django.core.management.base import BaseCommand

from delivery.notifications import delivery_notifications_send


class Command(BaseCommand):
    help = (
        "Send the weekly emails about commitments whose status changed (run daily: "
        "notices held back by the once-a-week limit go out when it ends)."
    )

    def handle(self, *args, **options):
        sent, waiting = delivery_notifications_send()
        self.stdout.write(f"Sent {sent} email(s); {waiting} waiting to be retried.")
