"""Who may do what with assets: the one place these rules live.

- everyone (signed in or not) reads published assets;
- the submitter and the members of the owning group read and edit their
  assets in any state but archived;
- officers (the `assetmap.moderate_asset` permission) read everything and
  moderate;
- nobody else reads an asset that is not published.
"""

from commissioning.rules import has_perm, is_signed_in

from .models import Asset, GroupMembership

MODERATE = "assetmap.moderate_asset"


def is_moderator(user, obj=None):
    return has_perm(user, MODERATE)


def _member_group_ids(user):
    cached = getattr(user, "_assetmap_group_ids", None)
    if cached is None:
        cached = set(GroupMembership.objects.filter(user=user).values_list("group_id", flat=True))
        user._assetmap_group_ids = cached
    return cached


def is_group_member(user, group):
    if group is None or not is_signed_in(user):
        return False
    group_id = group if isinstance(group, int) else group.pk
    return group_id in _member_group_ids(user)


def is_owner(user, asset):
    """The submitter, or a member of the group that owns the asset."""
    if not is_signed_in(user):
        return False
    if asset.submitted_by_id is not None and asset.submitted_by_id == user.pk:
        return True
    return asset.group_id is not None and is_group_member(user, asset.group_id)


def can_view_asset(user, asset):
    if asset.status == Asset.PUBLISHED:
        return True
    return is_moderator(user) or is_owner(user, asset)


def can_submit_asset(user, call=None):
    return is_signed_in(user)


def can_edit_asset(user, asset):
    if asset.status == Asset.ARCHIVED:
        return False
    return is_owner(user, asset)


def can_moderate_asset(user, asset=None):
    return is_moderator(user)


def can_curate_asset(user, asset=None):
    """Officers correct any asset in the admin, in place."""
    return is_moderator(user)


def can_delete_asset(user, asset=None):
    return is_moderator(user) and user.has_perm("assetmap.delete_asset")


def can_submit_for_group(user, group):
    """Members add assets for their groups; officers for any group."""
    return is_moderator(user) or is_group_member(user, group)


# Community groups: any signed-in resident may register one; its members see
# the group's page; its leads (and officers) manage the members.


def can_register_group(user, group=None):
    return is_signed_in(user)


def is_group_lead(user, group):
    if group is None or not is_signed_in(user):
        return False
    return GroupMembership.objects.filter(
        group=group, user=user, role=GroupMembership.LEAD
    ).exists()


def can_view_group_members(user, group):
    if not is_signed_in(user):
        return False
    return is_moderator(user) or is_group_member(user, group)


def can_manage_group(user, group):
    return is_moderator(user) or is_group_lead(user, group)


def can_delete_group(user, group=None):
    return is_moderator(user) and user.has_perm("assetmap.delete_communitygroup")
