"""Move the last equality monitoring answers of consultations that have closed."""

from django.core.management.base import BaseCommand

from consultations.services import equality_records_release_closed


class Command(BaseCommand):
    help = (
        "Move the equality monitoring answers still pending for every closed consultation "
        "into their unlinkable records. Run it from your scheduler (e.g. hourly); the task "
        "queue also does it when a consultation closes."
    )

    def handle(self, *args, **options):
        moved = equality_records_release_closed()
        self.stdout.write(f"Moved {moved} pending equality monitoring answer(s).")
