"""Queue the weekly digest of new engagements (run it weekly from cron or a scheduler)."""

from django.core.management.base import BaseCommand, CommandError
from django_tasks import TaskResultStatus

from accounts.tasks import engagement_digests_send_task


class Command(BaseCommand):
    help = (
        "Queue the weekly email telling people who asked for it about engagements newly "
        "open in their ward. Each person hears about each engagement once."
    )

    def handle(self, *args, **options):
        result = engagement_digests_send_task.enqueue()
        if result.status == TaskResultStatus.FAILED:
            raise CommandError("The engagement digest failed: see the task's errors in the log.")
        if result.status == TaskResultStatus.SUCCESSFUL:
            value = result.return_value
            self.stdout.write(
                f"Sent {value['people']} digest(s) listing {value['engagements']} engagement(s)."
            )
        else:
            self.stdout.write(f"Queued the engagement digest (task {result.id}).")
