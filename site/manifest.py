"""What the site package brings to the platform (see commissioning.manifest)."""

from commissioning.manifest import AppManifest


def manifest():
    # Editorial pages and settings only: no personal data, no engagement.
    return AppManifest(app_label="coproduce", demo="coproduce.demo")
