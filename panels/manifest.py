"""What citizen panels bring to the platform (see commissioning.manifest)."""

from commissioning.manifest import AppManifest, PersonalDataDeclaration


def manifest():
    from .models import Application, LotteryRun, PanelPage, Recommendation, Score
    from .personal_data import panels_anonymise, panels_export
    from .retention import panel_applications_retain
    from .summary import panel_summary
    from .themes import panel_texts

    return AppManifest(
        app_label="panels",
        summaries={PanelPage: panel_summary},
        personal_data=(
            PersonalDataDeclaration(
                "citizen panels",
                export=panels_export,
                anonymise=panels_anonymise,
                models=(Application, Score, Recommendation),
            ),
            PersonalDataDeclaration(
                "panel_applications",
                retain=panel_applications_retain,
                retention="panel_applications",
            ),
        ),
        # Model permissions let officers into the admin screens; which panels
        # they see is decided per panel by `panels.rules` (PanelPage.officers).
        roles={
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
        },
        text_sources={PanelPage: panel_texts},
        # Who ran a draw, and which officers a panel page names.
        staff_records=(LotteryRun, PanelPage),
        demo="panels.demo",
    )
