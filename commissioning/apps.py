from django.apps import AppConfig


class CommissioningConfig(AppConfig):
    """The spine: programmes, stages, engagements, summaries and decisions."""

    name = "commissioning"
    verbose_name = "Commissioning"
    default_auto_field = "django.db.models.BigAutoField"

    # Pages (programmes, decisions) are governed by page permissions; these are
    # the model permissions each role needs on top (see accounts.roles).
    role_permissions = {
        "officer": [
            "commissioning.view_brief",
            "commissioning.view_participation",
            "commissioning.view_decisionnotification",
            "commissioning.add_outcome",
            "commissioning.change_outcome",
            "commissioning.view_outcome",
            "commissioning.view_ward",
            "commissioning.add_socialvaluecriterion",
            "commissioning.change_socialvaluecriterion",
            "commissioning.view_socialvaluecriterion",
            "commissioning.view_assetcategory",
            "commissioning.view_heardsummary",
            "commissioning.change_heardsummary",
        ],
        "editor": [
            "commissioning.add_outcome",
            "commissioning.change_outcome",
            "commissioning.view_outcome",
            "commissioning.add_ward",
            "commissioning.change_ward",
            "commissioning.view_ward",
            "commissioning.add_socialvaluecriterion",
            "commissioning.change_socialvaluecriterion",
            "commissioning.view_socialvaluecriterion",
            "commissioning.add_assetcategory",
            "commissioning.change_assetcategory",
            "commissioning.view_assetcategory",
        ],
    }

    def ready(self):
        from . import signals
        from .personal_data import register_personal_data
        from .selectors import decision_notifications_export
        from .services import decision_notifications_anonymise

        signals.connect()
        register_personal_data(
            "decision_notifications",
            export=decision_notifications_export,
            anonymise=decision_notifications_anonymise,
        )
