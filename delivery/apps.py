from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    """Delivery and review: commitments, arrangements, indicators, service reviews."""

    name = "delivery"
    verbose_name = "Delivery and review"
    default_auto_field = "django.db.models.BigAutoField"

    # Officers keep the delivery record; editors edit the review pages' text
    # through page permissions and need nothing more here.
    role_permissions = {
        "officer": [
            "delivery.add_commitment",
            "delivery.change_commitment",
            "delivery.view_commitment",
            "delivery.add_deliveryarrangement",
            "delivery.change_deliveryarrangement",
            "delivery.view_deliveryarrangement",
            "delivery.add_indicator",
            "delivery.change_indicator",
            "delivery.view_indicator",
            "delivery.add_reading",
            "delivery.view_reading",
            "delivery.add_reviewdecision",
            "delivery.view_reviewdecision",
            "delivery.view_reviewresponse",
            "delivery.view_deliverydigest",
        ],
    }

    def ready(self):
        from commissioning.personal_data import register_personal_data
        from commissioning.sections import register_programme_section
        from commissioning.summaries import register_summary

        from .models import ServiceReviewPage
        from .personal_data import (
            commitment_emails_anonymise,
            commitment_emails_export,
            review_responses_anonymise,
            review_responses_export,
        )
        from .selectors import programme_delivery_section, review_summary

        register_summary(ServiceReviewPage, review_summary)
        register_programme_section("delivery", programme_delivery_section)
        register_personal_data(
            "service_reviews", export=review_responses_export, anonymise=review_responses_anonymise
        )
        register_personal_data(
            "commitment_emails",
            export=commitment_emails_export,
            anonymise=commitment_emails_anonymise,
        )
