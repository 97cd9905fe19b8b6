"""Background work: the draw (it can take minutes), telling applicants the result, letters."""

from django.utils import timezone
from django_tasks import task


@task()
def lottery_draw_task(run_id):
    from .services import lottery_execute

    lottery_execute(run_id=run_id)


@task()
def lottery_notify_task(run_id):
    """Tell everyone in the run's pool whether they were selected (see `panels.notifications`)."""
    from .models import LotteryRun
    from .notifications import draw_results_send

    run = LotteryRun.objects.select_related("panel").get(pk=run_id)
    if run.notified_at is not None or run.status != LotteryRun.COMPLETED:
        return
    print_letters = draw_results_send(run)
    LotteryRun.objects.filter(pk=run.pk).update(notified_at=timezone.now())
    if print_letters:
        _queue_result_letters(run)


def _queue_result_letters(run):
    """People who registered by phone or paper without an email are told by post."""
    from .models import PrintBatch

    batch = PrintBatch.objects.create(panel=run.panel, kind=PrintBatch.RESULTS, run=run)
    letters_task.enqueue(batch.pk)


@task()
def letters_task(batch_id):
    """Make a print-ready PDF of letters (invitations or draw results)."""
    from .invitations import letters_make

    letters_make(batch_id=batch_id)
