"""Anonymise or delete personal data past its retention period (run daily)."""

from django.core.management.base import BaseCommand
from django.utils.formats import date_format
from django.utils.timezone import localtime

from commissioning.retention import CLASSES, retention_apply, unregistered_classes


class Command(BaseCommand):
    help = (
        "Apply settings.RETENTION: anonymise or delete each class of personal data "
        "older than its period. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the work for the task worker (db_worker) instead of doing it now.",
        )

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            from commissioning.tasks import retention_apply_task

            result = retention_apply_task.enqueue()
            self.stdout.write(f"Queued the retention task ({result.id}).")
            return
        for result in retention_apply():
            if result.days is None:
                self.stdout.write(f"{result.description}: kept, no period set.")
                continue
            before = date_format(localtime(result.before), "j F Y")
            self.stdout.write(
                f"{result.description}: {result.changed} anonymised or deleted "
                f"(older than {result.days} days, before {before})."
            )
        for key in unregistered_classes():
            self.stdout.write(f"{CLASSES.get(key, key)}: nothing holds this data yet.")
