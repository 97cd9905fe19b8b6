from django.apps import AppConfig


class AssetmapConfig(AppConfig):
    """Asset mapping: community assets, groups, the map and open data."""

    name = "assetmap"
    verbose_name = "Asset map"
    default_auto_field = "django.db.models.BigAutoField"
