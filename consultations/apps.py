from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    """Consultations: questionnaires for any stage of the cycle."""

    name = "consultations"
    verbose_name = "Consultations"
    default_auto_field = "django.db.models.BigAutoField"
