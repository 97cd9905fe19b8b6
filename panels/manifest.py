"""What citizen panels bring to the platform (see commissioning.manifest)."""

from commissioning.manifest import AppManifest, PersonalDataDeclaration


def manifest():
    from .models import (
        Application,
        Invitation,
        InvitationAddress,
        InvitationDraw,
        LotteryRun,
        PanelPage,
        PrintBatch,
        Recommendation,
        Score,
    )
    from .personal_data import (
        invitation_addresses_anonymise,
        invitation_addresses_export,
        panels_anonymise,
        panels_export,
    )
    from .reach import quota_url
    from .retention import panel_applications_retain
    from .summaries import panel_summary
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
                "panel invitation addresses",
                export=invitation_addresses_export,
                anonymise=invitation_addresses_anonymise,
                models=(InvitationAddress, Invitation),
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
        # Beside an under-represented group in the brief: the panel's quota form.
        reach_actions={"Set a panel quota": quota_url},
        # Who ran a draw or printed letters, and which officers a panel page names.
        staff_records=(LotteryRun, InvitationDraw, PrintBatch, PanelPage),
        demo="panels.demo",
    )
