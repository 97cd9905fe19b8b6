"""Signal handlers: each hands over to a service at once."""

from .models import DecisionPage


def decision_published(sender, instance, **kwargs):
    from .services import decision_notifications_queue

    decision_notifications_queue(decision=instance)


def decision_unpublished(sender, instance, **kwargs):
    from .services import decision_notifications_withhold

    decision_notifications_withhold(decision=instance)


def connect():
    from wagtail.signals import page_published, page_unpublished

    page_published.connect(
        decision_published, sender=DecisionPage, dispatch_uid="commissioning_decision_published"
    )
    page_unpublished.connect(
        decision_unpublished,
        sender=DecisionPage,
        dispatch_uid="commissioning_decision_unpublished",
    )
