"""Background work of the spine (django-tasks; the database queue in production)."""

from django_tasks import task


@task()
def decision_notifications_send_task(decision_id=None):
    from .services import decision_notifications_send

    sent, failed = decision_notifications_send(decision_id=decision_id)
    return {"sent": sent, "failed": failed}
