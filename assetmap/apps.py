from django.apps import AppConfig


class AssetmapConfig(AppConfig):
    """Asset mapping: community assets, groups, the map and open data."""

    name = "assetmap"
    verbose_name = "Asset map"
    default_auto_field = "django.db.models.BigAutoField"

    role_permissions = {
        "officer": [
            "assetmap.moderate_asset",
            "assetmap.view_asset",
            "assetmap.change_asset",
            "assetmap.view_assetrevision",
            "assetmap.add_communitygroup",
            "assetmap.change_communitygroup",
            "assetmap.view_communitygroup",
            "assetmap.add_groupmembership",
            "assetmap.change_groupmembership",
            "assetmap.delete_groupmembership",
            "assetmap.view_groupmembership",
        ],
    }

    def ready(self):
        from commissioning.personal_data import register_personal_data
        from commissioning.summaries import register_summary
        from coproduce.search import register_search_provider

        from . import themes
        from .models import AssetCallPage
        from .personal_data import assets_anonymise, assets_export
        from .selectors import site_search_section
        from .summaries import asset_call_summary

        register_summary(AssetCallPage, asset_call_summary)
        register_search_provider(site_search_section)
        themes.register()
        register_personal_data(
            "community assets", export=assets_export, anonymise=assets_anonymise
        )
