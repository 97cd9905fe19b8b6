from django.apps import AppConfig


class CommissioningConfig(AppConfig):
    """The spine: programmes, stages, engagements, summaries and decisions."""

    name = "commissioning"
    verbose_name = "Commissioning"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks, retention, signals  # noqa: F401 - checks register themselves
        from .manifest import manifests_autodiscover

        signals.connect()
        # Every app's manifest.py, this one's included (see commissioning.manifest).
        manifests_autodiscover()
