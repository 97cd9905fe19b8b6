"""What themes bring to the platform (see commissioning.manifest)."""

from commissioning.manifest import AppManifest


def manifest():
    from .models import Correction, Theme

    return AppManifest(
        app_label="themes",
        # Officers read themes and curate them. Editors see nothing unless
        # given these permissions.
        roles={
            "officer": [
                "themes.view_themeset",
                "themes.change_themeset",
            ],
        },
        # The officers who named a theme or moved a response.
        staff_records=(Theme, Correction),
        demo="commissioning.themes.demo",
    )
