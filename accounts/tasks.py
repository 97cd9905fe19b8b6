"""Background work of accounts (django-tasks; the database queue in production)."""

from django_tasks import task


@task()
def engagement_digests_send_task():
    """The weekly digest of new engagements; `manage.py send_engagement_digests` queues it."""
    from .services import engagement_digests_send

    people, engagements = engagement_digests_send()
    return {"people": people, "engagements": engagements}
