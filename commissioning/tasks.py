"""Background work of the spine (django-tasks; the database queue in production)."""

from django_tasks import task


@task()
def retention_apply_task():
    """The daily retention run, queued by `apply_retention --enqueue` (cron)."""
    from .retention import retention_apply

    return {result.label: result.changed for result in retention_apply()}


@task()
def closed_results_store_task():
    """Store the results of engagements that closed (queued by `store_closed_results --enqueue`)."""
    from .stored import closed_results_store

    sweep = closed_results_store()
    return {"stored": sweep.stored, "failed": sweep.failed}
