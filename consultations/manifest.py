"""What consultations bring to the platform (see commissioning.manifest)."""

from commissioning.manifest import AppManifest, PersonalDataDeclaration


def manifest():
    from .models import ConsultationPage, Response
    from .selectors import consultation_responses_export
    from .services import consultation_responses_anonymise, equality_records_retain
    from .summaries import consultation_summary
    from .themes import consultation_texts

    return AppManifest(
        app_label="consultations",
        summaries={ConsultationPage: consultation_summary},
        personal_data=(
            PersonalDataDeclaration(
                "consultation_responses",
                export=consultation_responses_export,
                anonymise=consultation_responses_anonymise,
                models=(Response,),
                retain=equality_records_retain,
                retention="equality_monitoring",
            ),
        ),
        roles={
            "officer": [
                "consultations.view_response",
                "consultations.export_responses",
                "consultations.enter_paper_responses",
            ],
        },
        text_sources={ConsultationPage: consultation_texts},
        demo="consultations.demo",
    )
