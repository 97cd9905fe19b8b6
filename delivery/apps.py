from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    """Delivery and review: commitments, arrangements, indicators, service reviews."""

    name = "delivery"
    verbose_name = "Delivery and review"
    default_auto_field = "django.db.models.BigAutoField"
