from django.apps import AppConfig


class CoproduceConfig(AppConfig):
    """Project package: site-wide pages, settings, demo loader."""

    name = "coproduce"
    label = "coproduce"
    verbose_name = "Site"

    def ready(self):
        from . import messaging  # noqa: F401 - registers its system check
        from .cache import connect_signals

        connect_signals()
