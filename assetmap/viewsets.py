"""The asset map's admin viewsets, grouped into one "Asset map" menu (registered in wagtail_hooks)."""

from django.forms import modelform_factory
from django.urls import reverse
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from . import admin_forms, admin_views, rules, services
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


class ServiceFormViewSet(ModelViewSet):
    """Builds the create and edit forms on `form_class`, which calls the services' checks."""

    # No copy: it would create a record without the app's service.
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return modelform_factory(
            self.model,
            form=self.form_class,
            formfield_callback=self.formfield_for_dbfield,
            fields=self.get_form_fields(),
        )


class AssetViewSet(ServiceFormViewSet):
    model = Asset
    form_class = admin_forms.AssetAdminForm
    add_view_class = admin_views.AssetCreateView
    edit_view_class = admin_views.AssetEditView
    delete_view_class = admin_views.AssetDeleteView
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


class CommunityGroupViewSet(ServiceFormViewSet):
    model = CommunityGroup
    form_class = admin_forms.CommunityGroupAdminForm
    add_view_class = admin_views.CommunityGroupCreateView
    edit_view_class = admin_views.CommunityGroupEditView
    delete_view_class = admin_views.CommunityGroupDeleteView
    icon = "group"
    list_display = ["name", "email", "created_at"]
    search_fields = ["name", "description"]
    # The address (slug) is made from the name once, so links to the group keep working.
    form_fields = ["name", "description", "website", "email"]


class GroupMembershipViewSet(ServiceFormViewSet):
    model = GroupMembership
    form_class = admin_forms.GroupMembershipAdminForm
    add_view_class = admin_views.GroupMembershipCreateView
    edit_view_class = admin_views.GroupMembershipEditView
    delete_view_class = admin_views.GroupMembershipDeleteView
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
    # No copy: it would create a record without the app's service.
    copy_view_enabled = False
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
