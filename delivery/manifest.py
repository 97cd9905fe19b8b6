"""What delivery and review bring to the platform (see commissioning.manifest)."""

from commissioning.manifest import AppManifest, PersonalDataDeclaration


def manifest():
    from .models import (
        CommitmentNotice,
        CommitmentUpdate,
        DeliveryDigest,
        DeliveryRecipient,
        Reading,
        ReviewDecision,
        ReviewResponse,
        ServiceReviewPage,
    )
    from .personal_data import (
        commitment_emails_anonymise,
        commitment_emails_export,
        review_responses_anonymise,
        review_responses_export,
    )
    from .selectors import programme_delivery_section
    from .summaries import review_summary

    return AppManifest(
        app_label="delivery",
        summaries={ServiceReviewPage: review_summary},
        personal_data=(
            PersonalDataDeclaration(
                "service_reviews",
                export=review_responses_export,
                anonymise=review_responses_anonymise,
                models=(ReviewResponse,),
            ),
            PersonalDataDeclaration(
                "commitment_emails",
                export=commitment_emails_export,
                anonymise=commitment_emails_anonymise,
                models=(CommitmentNotice, DeliveryDigest, DeliveryRecipient),
            ),
        ),
        roles={
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
        },
        programme_sections={"delivery": programme_delivery_section},
        # The officers who wrote an update, entered a reading or decided a review.
        staff_records=(CommitmentUpdate, Reading, ReviewDecision),
        demo="delivery.demo",
    )
