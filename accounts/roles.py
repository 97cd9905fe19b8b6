"""The officer and editor roles, as Django groups with permissions.

Each app declares what its roles may do in the `roles` of its manifest
({"officer": ["app_label.codename", …], "editor": […]}; see
`commissioning.manifest`), so this module needs to know nothing of the
engagement apps.
"""

from django.apps import apps
from django.contrib.auth.models import Group, Permission

OFFICER = "Officers"
EDITOR = "Editors"
ROLE_GROUPS = {"officer": OFFICER, "editor": EDITOR}

# What both roles need from Wagtail and Django themselves.
CORE_PERMISSIONS = {
    "officer": [
        "wagtailadmin.access_admin",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
    ],
    "editor": [
        "wagtailadmin.access_admin",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.delete_document",
        "wagtaildocs.choose_document",
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.delete_image",
        "wagtailimages.choose_image",
        "wagtailredirects.add_redirect",
        "wagtailredirects.change_redirect",
        "wagtailredirects.delete_redirect",
        "coproduce.change_sitesettings",
        "coproduce.change_navigationsettings",
        "coproduce.change_footersettings",
    ],
}
# Page permissions on the site's root page, for both roles.
PAGE_PERMISSIONS = {
    "officer": ["add_page", "change_page", "publish_page"],
    "editor": ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}


def declared_permissions(role):
    from commissioning.manifest import registered_manifests

    codes = list(CORE_PERMISSIONS.get(role, []))
    for manifest in registered_manifests():
        codes.extend(manifest.roles.get(role, []))
    return codes


def _permissions(codes):
    found = []
    for code in codes:
        app_label, codename = code.split(".", 1)
        permission = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if permission:
            found.append(permission)
    return found


def roles_sync():
    """Create the role groups and give them their declared permissions (idempotent)."""
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    root = Page.objects.filter(depth=1).first()
    collection = Collection.get_first_root_node()
    groups = {}
    for role, name in ROLE_GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*_permissions(declared_permissions(role)))
        if root is not None:
            for codename in PAGE_PERMISSIONS[role]:
                permission = Permission.objects.filter(
                    content_type__app_label="wagtailcore", codename=codename
                ).first()
                if permission:
                    GroupPagePermission.objects.get_or_create(
                        group=group, page=root, permission=permission
                    )
        if collection is not None:
            for codename in ("add_image", "change_image", "choose_image"):
                permission = Permission.objects.filter(
                    content_type__app_label="wagtailimages", codename=codename
                ).first()
                if permission:
                    GroupCollectionPermission.objects.get_or_create(
                        group=group, collection=collection, permission=permission
                    )
            for codename in ("add_document", "change_document", "choose_document"):
                permission = Permission.objects.filter(
                    content_type__app_label="wagtaildocs", codename=codename
                ).first()
                if permission:
                    GroupCollectionPermission.objects.get_or_create(
                        group=group, collection=collection, permission=permission
                    )
        groups[role] = group
    return groups


def roles_sync_on_migrate(sender, **kwargs):
    # post_migrate is sent once per app, in INSTALLED_APPS order, and each
    # app's permissions are created at its turn: sync after the last one.
    if sender.label != list(apps.get_app_configs())[-1].label:
        return
    # `flush` (which tests that commit use to empty the database) sends
    # post_migrate too, with no migration plan; the rows it is about to
    # restore, groups included, must not be made twice.
    if kwargs.get("plan") is None:
        return
    roles_sync()
