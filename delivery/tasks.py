"""Background work of delivery (django-tasks; the database queue in production)."""

from django_tasks import task


@task()
def commitment_digests_compose_task():
    """Bundle what is due into digests; the outbox sends them once this commits."""
    from .notifications import delivery_digests_compose

    return {"digests": len(delivery_digests_compose())}
