"""Delete panels' invitation addresses (and their letter PDFs) once they are no longer needed.

Run daily (cron or the platform's scheduler). A panel's addresses are kept
until its first draw is `PANELS_ADDRESS_RETENTION_DAYS` old, the period in
which reserves may still be drawn and written to.
"""

from django.core.management.base import BaseCommand

from panels.invitations import addresses_purge_due, retention_days


class Command(BaseCommand):
    help = "Delete invitation addresses of panels drawn more than the retention period ago."

    def handle(self, *args, **options):
        purged = addresses_purge_due()
        for title, count in purged.items():
            self.stdout.write(f"{title}: {count} addresses deleted.")
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(purged)} panel(s) purged (retention: {retention_days()} days after the draw)."
            )
        )
