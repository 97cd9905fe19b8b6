"""Admin registration only: the asset map's menu, dashboard panel, admin URLs and log actions."""

from django.urls import path
from wagtail import hooks

from commissioning.dashboard import register_action_panel

from . import admin_views
from .dashboard import AssetModerationPanel
from .viewsets import AssetMapMenu


@hooks.register("register_admin_viewset")
def register_asset_map_viewsets():
    return AssetMapMenu()


register_action_panel(AssetModerationPanel)


@hooks.register("register_admin_urls")
def register_asset_map_admin_urls():
    return [
        path("assetmap/moderation/", admin_views.moderation_queue, name="assetmap_moderation"),
        path(
            "assetmap/moderation/asset/<int:pk>/",
            admin_views.moderate_asset,
            name="assetmap_moderate_asset",
        ),
        path(
            "assetmap/moderation/edit/<int:pk>/",
            admin_views.moderate_revision,
            name="assetmap_moderate_revision",
        ),
        path("assetmap/coverage/", admin_views.coverage, name="assetmap_coverage"),
    ]


@hooks.register("register_log_actions")
def register_asset_map_log_actions(actions):
    for action, label, message in [
        ("assetmap.draft", "Save asset draft", "Saved as a draft"),
        ("assetmap.submit", "Submit asset", "Submitted for moderation"),
        ("assetmap.edit_submit", "Propose asset changes", "Changes proposed for moderation"),
        ("assetmap.approve", "Approve asset", "Approved and published"),
        ("assetmap.reject", "Reject asset", "Rejected"),
        ("assetmap.edit_approve", "Approve asset changes", "Changes approved and published"),
        ("assetmap.edit_reject", "Reject asset changes", "Changes rejected"),
        ("assetmap.invite", "Invite to group", "Invitation to join sent"),
        ("assetmap.join", "Join group", "Invitation accepted"),
    ]:
        actions.register_action(action, label, message)
