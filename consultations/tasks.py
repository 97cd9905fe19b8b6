"""Background work: moving equality monitoring answers out of reach of the responses."""

from django_tasks import task


@task()
def equality_records_release_task(consultation_id):
    """Move a consultation's pending equality answers into shuffled records (see services)."""
    from .services import equality_records_release

    return equality_records_release(consultation_id=consultation_id)
