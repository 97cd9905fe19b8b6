from django.apps import AppConfig


class PanelsConfig(AppConfig):
    """Citizen commissioner panels: recruitment, lottery, meetings, appraisal."""

    name = "panels"
    verbose_name = "Citizen panels"
    default_auto_field = "django.db.models.BigAutoField"
