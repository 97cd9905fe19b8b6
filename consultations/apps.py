from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    """Consultations: questionnaires for any stage of the cycle."""

    name = "consultations"
    verbose_name = "Consultations"
    default_auto_field = "django.db.models.BigAutoField"

    # Officers read and export responses and type in paper ones; editors
    # build questionnaires through page permissions and need nothing more.
    role_permissions = {
        "officer": [
            "consultations.view_response",
            "consultations.export_responses",
            "consultations.enter_paper_responses",
        ],
    }

    def ready(self):
        from commissioning.personal_data import register_personal_data
        from commissioning.summaries import register_summary

        from .models import ConsultationPage
        from .selectors import consultation_responses_export, consultation_summary
        from .services import consultation_responses_anonymise, equality_records_retain

        register_summary(ConsultationPage, consultation_summary)
        register_personal_data(
            "consultation_responses",
            export=consultation_responses_export,
            anonymise=consultation_responses_anonymise,
            retain=equality_records_retain,
            retention="equality_monitoring",
        )
