from django.apps import AppConfig


class CommissioningConfig(AppConfig):
    """The spine: programmes, stages, engagements, summaries and decisions."""

    name = "commissioning"
    verbose_name = "Commissioning"
    default_auto_field = "django.db.models.BigAutoField"
