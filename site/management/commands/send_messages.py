"""Send the emails, text messages and letters still waiting (from cron, after an outage)."""

from django.core.management.base import BaseCommand

from coproduce.messaging import messages_send


class Command(BaseCommand):
    help = "Send every message in the outbox that is still waiting to be sent."

    def add_arguments(self, parser):
        parser.add_argument("--scope", help="Only this scope, e.g. panels.panel:12.")

    def handle(self, *args, scope=None, **options):
        sent, waiting = messages_send(scope=scope)
        self.stdout.write(f"{sent} sent, {waiting} still waiting.")
