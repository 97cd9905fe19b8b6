"""The task that moves equality answers, and how submissions queue it."""

import pytest
from django.test import override_settings
from django_tasks_db.models import DBTaskResult, get_date_max

from consultations.models import EqualityRecord, PendingEqualityAnswers
from consultations.services import EQUALITY_BATCH, consultation_response_submit
from consultations.tasks import equality_records_release_task
from tests.consultations.factories import consultation_page, programme_page, valid_answers

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def page(home_page):
    return consultation_page(programme_page(home_page), equality_monitoring=True)


def _submit(page, count):
    for _ in range(count):
        consultation_response_submit(
            consultation=page, answers=valid_answers(), equality={"age_band": "25-34"}
        )


def _queued():
    return DBTaskResult.objects.filter(task_path__endswith=".equality_records_release_task")


def test_task_moves_a_full_batch(page):
    _submit(page, EQUALITY_BATCH)
    result = equality_records_release_task.enqueue(page.pk)
    assert result.return_value == EQUALITY_BATCH
    assert EqualityRecord.objects.count() == EQUALITY_BATCH
    assert PendingEqualityAnswers.objects.count() == 0


@override_settings(TASKS=DATABASE_TASKS)
def test_first_pending_answers_queue_a_release_for_the_close(
    page, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _submit(page, 2)
    queued = _queued().get()
    assert queued.args_kwargs["args"] == [page.pk]
    assert queued.run_after == page.closes_at
    # The queue holds the consultation only, never the answers.
    assert "25-34" not in str(queued.args_kwargs)


@override_settings(TASKS=DATABASE_TASKS)
def test_a_full_batch_queues_a_release_now(page, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _submit(page, EQUALITY_BATCH)
    runs = sorted(_queued().values_list("run_after", flat=True))
    # One to run now (no run_after), one for the close.
    assert runs == [page.closes_at, get_date_max()]
