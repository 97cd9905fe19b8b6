from django.core.management.base import BaseCommand

from delivery.notifications import delivery_digests_compose


class Command(BaseCommand):
    help = (
        "Compose the weekly emails about commitments whose status changed and put them in "
        "the outbox, which sends them (run daily: notices held back by the once-a-week limit "
        "go out when it ends)."
    )

    def handle(self, *args, **options):
        digests = delivery_digests_compose()
        self.stdout.write(f"Queued {len(digests)} email(s) in the outbox.")
