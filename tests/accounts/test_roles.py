import pytest
from django.contrib.auth.models import Group
from wagtail.models import GroupPagePermission, Page

from accounts.roles import EDITOR, OFFICER, roles_sync

pytestmark = pytest.mark.django_db


def permission_codes(group):
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }


def test_groups_exist_with_admin_access():
    groups = roles_sync()

    assert groups["officer"].name == OFFICER
    assert groups["editor"].name == EDITOR
    for group in groups.values():
        assert "wagtailadmin.access_admin" in permission_codes(group)
    assert "coproduce.change_navigationsettings" in permission_codes(groups["editor"])


def test_editors_get_page_permissions_on_the_root_page():
    groups = roles_sync()
    root = Page.get_first_root_node()

    codenames = set(
        GroupPagePermission.objects.filter(group=groups["editor"], page=root).values_list(
            "permission__codename", flat=True
        )
    )

    assert {"add_page", "change_page", "publish_page"} <= codenames


def test_app_declared_permissions_are_applied():
    from django.apps import apps

    declared = [
        code
        for config in apps.get_app_configs()
        for code in getattr(config, "role_permissions", {}).get("officer", [])
    ]
    groups = roles_sync()

    missing = set(declared) - permission_codes(groups["officer"])
    assert not missing


def test_sync_is_idempotent():
    roles_sync()
    counts = (
        Group.objects.count(),
        GroupPagePermission.objects.count(),
        {g.name: g.permissions.count() for g in Group.objects.all()},
    )

    roles_sync()

    assert counts == (
        Group.objects.count(),
        GroupPagePermission.objects.count(),
        {g.name: g.permissions.count() for g in Group.objects.all()},
    )
