"""Background work: the draw (it can take minutes), telling applicants the result, letters."""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from coproduce.mail import email_context, email_subject, page_url


@task()
def lottery_draw_task(run_id):
    from .services import lottery_execute

    lottery_execute(run_id=run_id)


@task()
def lottery_notify_task(run_id):
    """Email everyone in the run's pool whether they were selected."""
    from .models import LotteryRun

    run = LotteryRun.objects.select_related("panel").get(pk=run_id)
    if run.notified_at is not None or run.status != LotteryRun.COMPLETED:
        return
    messages = []
    shared = {**email_context(), "panel_url": page_url(run.panel)}
    entries = run.entries.select_related("application")
    if run.kind == LotteryRun.REPLACEMENT:
        # The others were told they were not selected after the first draw.
        entries = entries.filter(selected=True)
    for entry in entries.exclude(application__email=""):
        context = {
            **shared,
            "run": run,
            "panel": run.panel,
            "application": entry.application,
            "selected": entry.selected,
        }
        subject = email_subject(
            f"You have a place on the {run.panel.title}"
            if entry.selected
            else f"The {run.panel.title} draw",
            shared,
        )
        body = render_to_string("panels/email/draw_result.txt", context)
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [entry.application.email]))
    send_mass_mail(messages, fail_silently=False)
    LotteryRun.objects.filter(pk=run.pk).update(notified_at=timezone.now())
    _queue_result_letters(run)


def _queue_result_letters(run):
    """People who registered by phone or paper without an email are told by post."""
    from .models import PrintBatch
    from .selectors import letter_recipients

    if not letter_recipients(run=run).exists():
        return
    batch = PrintBatch.objects.create(panel=run.panel, kind=PrintBatch.RESULTS, run=run)
    letters_task.enqueue(batch.pk)


@task()
def letters_task(batch_id):
    """Make a print-ready PDF of letters (invitations or draw results)."""
    from .invitations import letters_make

    letters_make(batch_id=batch_id)
