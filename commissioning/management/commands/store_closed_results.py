"""Compute and store the results of engagements that have closed (run by cron)."""

from django.core.management.base import BaseCommand

from commissioning.stored import SWEEP_DAYS, closed_results_store


class Command(BaseCommand):
    help = (
        "Compute and store the results of every live engagement closed in the last "
        f"{SWEEP_DAYS} days that has none stored, so that no reader waits for the count. "
        "Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the work for the task worker (db_worker) instead of doing it now.",
        )

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            from commissioning.tasks import closed_results_store_task

            result = closed_results_store_task.enqueue()
            self.stdout.write(f"Queued the stored-results task ({result.id}).")
            return
        sweep = closed_results_store()
        self.stdout.write(f"Stored the results of {len(sweep.stored)} closed engagement(s).")
        if sweep.failed:
            ids = ", ".join(str(pk) for pk in sweep.failed)
            self.stderr.write(f"Could not compute the results of engagement(s) {ids}.")
