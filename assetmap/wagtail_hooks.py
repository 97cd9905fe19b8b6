"""Admin registration only: the asset map's models and officer views in one menu."""

from django import forms
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from commissioning.dashboard import register_action_panel

from . import admin_views, rules, services
from .dashboard import AssetModerationPanel
from .models import Asset, AssetRevision, CommunityGroup, GroupMembership


class ModeratorMenuItem(MenuItem):
    def is_shown(self, request):
        return rules.can_moderate_asset(request.user)


class ModerationViewSet(ViewSet):
    name = "assetmap_moderation_views"
    menu_label = "Awaiting moderation"
    icon = "tick-inverse"
    menu_item_class = ModeratorMenuItem

    @property
    def menu_url(self):
        return reverse("assetmap_moderation")

    def get_urlpatterns(self):
        return []


class CoverageViewSet(ViewSet):
    name = "assetmap_coverage_views"
    menu_label = "Coverage by ward"
    icon = "table"
    menu_item_class = ModeratorMenuItem

    @property
    def menu_url(self):
        return reverse("assetmap_coverage")


class AssetAdminForm(WagtailAdminModelForm):
    website = forms.URLField(required=False, assume_scheme="https")


class CommunityGroupAdminForm(WagtailAdminModelForm):
    website = forms.URLField(required=False, assume_scheme="https")


class AssetViewSet(ModelViewSet):
    model = Asset
    form_class = AssetAdminForm
    icon = "site"
    menu_label = "All assets"
    list_display = ["name", "kind", "category", "ward", "status", "updated_at"]
    list_filter = ["status", "kind", "category", "ward"]
    search_fields = ["name", "description", "address"]
    # Labels people chose from, not the stored codes.
    list_export = [
        "name",
        "get_kind_display",
        "category",
        "ward",
        "address",
        "postcode",
        "latitude",
        "longitude",
        "group",
        "get_status_display",
        "created_at",
        "updated_at",
    ]
    export_headings = {
        "name": "Name",
        "get_kind_display": "Kind",
        "category": "Category",
        "ward": "Ward",
        "address": "Address",
        "postcode": "Postcode",
        "latitude": "Latitude",
        "longitude": "Longitude",
        "group": "Community group",
        "get_status_display": "Status",
        "created_at": "Submitted",
        "updated_at": "Last changed",
    }
    ordering = ["name"]
    # Status changes only through moderation (services), so it is not editable here.
    # The submitter's fields, plus tags and outcomes which officers curate.
    form_fields = [*services.FIELDS, "tags", "outcomes"]


class CommunityGroupViewSet(ModelViewSet):
    model = CommunityGroup
    form_class = CommunityGroupAdminForm
    icon = "group"
    list_display = ["name", "email", "created_at"]
    search_fields = ["name", "description"]
    form_fields = ["name", "slug", "description", "website", "email"]


class GroupMembershipViewSet(ModelViewSet):
    model = GroupMembership
    icon = "user"
    menu_label = "Group members"
    list_display = ["user", "group", "role", "joined_at"]
    list_filter = ["group", "role"]
    list_export = ["user", "group", "get_role_display", "joined_at"]
    export_headings = {
        "user": "Member",
        "group": "Community group",
        "get_role_display": "Role",
        "joined_at": "Joined",
    }
    form_fields = ["group", "user", "role"]


class AssetRevisionViewSet(ModelViewSet):
    model = AssetRevision
    icon = "history"
    menu_label = "Edit history"
    list_display = ["asset", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    form_fields = ["reason"]
    inspect_view_enabled = True
    inspect_view_class = admin_views.AssetRevisionInspectView
    inspect_view_fields = [
        "asset",
        "data",
        "submitted_by",
        "status",
        "reason",
        "created_at",
        "decided_at",
        "decided_by",
    ]


class AssetMapMenu(ViewSetGroup):
    menu_label = "Asset map"
    menu_icon = "site"
    menu_order = 320
    items = (
        ModerationViewSet,
        AssetViewSet,
        AssetRevisionViewSet,
        CommunityGroupViewSet,
        GroupMembershipViewSet,
        CoverageViewSet,
    )


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
        ("assetmap.archive", "Archive asset", "Archived"),
    ]:
        actions.register_action(action, label, message)
