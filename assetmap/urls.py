from django.urls import path
from django.views.generic import RedirectView

from . import api, views

app_name = "assetmap"
urlpatterns = [
    path("api/assets.geojson", api.assets_geojson, name="geojson"),
    path("api/assets.csv", api.assets_csv, name="csv"),
    path("api/assets/points.json", api.assets_points, name="points"),
    path("api/assets/<int:pk>.json", api.asset_json, name="asset_json"),
    # Open Referral UK: the HSDS 3.0 UK profile API under one base URL.
    path("api/openreferral/", api.openreferral_root, name="oruk_root"),
    path("api/openreferral/services", api.openreferral_services, name="oruk_services"),
    path("api/openreferral/services/<str:id>", api.openreferral_service, name="oruk_service"),
    path(
        "api/openreferral/organizations",
        api.openreferral_organizations,
        name="oruk_organizations",
    ),
    path(
        "api/openreferral/organizations/<str:id>",
        api.openreferral_organization,
        name="oruk_organization",
    ),
    # The first version's addresses (its ORUK 1 shape is retired) lead to the new ones.
    path(
        "api/openreferral/services.json",
        RedirectView.as_view(
            pattern_name="assetmap:oruk_services", query_string=True, permanent=True
        ),
    ),
    path(
        "api/openreferral/organizations.json",
        RedirectView.as_view(
            pattern_name="assetmap:oruk_organizations", query_string=True, permanent=True
        ),
    ),
    path("community-assets/", views.asset_map, name="map"),
    path("community-assets/new/", views.asset_new, name="asset_new"),
    path("community-assets/mine/", views.my_assets, name="my_assets"),
    path("community-groups/new/", views.group_register, name="group_register"),
    path(
        "community-groups/invitations/<str:token>/",
        views.group_invitation,
        name="group_invitation",
    ),
    path("community-groups/<slug:slug>/", views.group_detail, name="group_detail"),
    path(
        "community-groups/<slug:slug>/members/<int:pk>/role/",
        views.group_member_role,
        name="group_member_role",
    ),
    path(
        "community-groups/<slug:slug>/members/<int:pk>/remove/",
        views.group_member_remove,
        name="group_member_remove",
    ),
    path("community-assets/<int:pk>/", views.asset_detail, name="asset_detail"),
    path("community-assets/<int:pk>/edit/", views.asset_edit, name="asset_edit"),
    path("community-assets/<int:pk>/send/", views.asset_send, name="asset_send"),
]
