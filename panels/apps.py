from django.apps import AppConfig


class PanelsConfig(AppConfig):
    """Citizen commissioner panels: recruitment, lottery, meetings, appraisal."""

    name = "panels"
    verbose_name = "Citizen panels"
    default_auto_field = "django.db.models.BigAutoField"

    # Model permissions let officers into the admin screens; which panels they
    # see is decided per panel by `panels.rules` (PanelPage.officers).
    role_permissions = {
        "officer": [
            "panels.view_application",
            "panels.add_meeting",
            "panels.change_meeting",
            "panels.delete_meeting",
            "panels.view_meeting",
            "panels.add_option",
            "panels.change_option",
            "panels.delete_option",
            "panels.view_option",
            "panels.add_criterion",
            "panels.change_criterion",
            "panels.delete_criterion",
            "panels.view_criterion",
            "panels.view_lotteryrun",
        ],
    }

    def ready(self):
        from commissioning.personal_data import register_personal_data
        from commissioning.summaries import register_summary

        from . import themes
        from .models import PanelPage
        from .personal_data import (
            invitation_addresses_anonymise,
            invitation_addresses_export,
            panels_anonymise,
            panels_export,
        )
        from .summary import panel_summary

        register_summary(PanelPage, panel_summary)
        register_personal_data("citizen panels", export=panels_export, anonymise=panels_anonymise)
        register_personal_data(
            "panel invitation addresses",
            export=invitation_addresses_export,
            anonymise=invitation_addresses_anonymise,
        )
        themes.register()
