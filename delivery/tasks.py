"""Background work of delivery (django-tasks; the database queue in production)."""

from django_tasks import task


@task()
def commitment_emails_send_task():
    from .notifications import delivery_notifications_send

    sent, failed = delivery_notifications_send()
    return {"sent": sent, "failed": failed}
