"""Send decision emails still waiting in the outbox (where the task queue cannot retry)."""

from django.core.management.base import BaseCommand

from commissioning.services import decision_notifications_send


class Command(BaseCommand):
    help = "Send every decision email still waiting in the outbox."

    def add_arguments(self, parser):
        parser.add_argument("--decision", type=int, help="Only this decision page's id.")

    def handle(self, *args, decision=None, **options):
        sent, failed = decision_notifications_send(decision_id=decision)
        self.stdout.write(f"Sent {sent} decision notification(s); {failed} still pending.")
