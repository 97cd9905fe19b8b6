"""Who may do what with accounts. Plain functions `(user, obj)`, tested directly."""

from commissioning.rules import is_signed_in
from commissioning.services import user_has_verified_email


def can_edit_profile(user, obj=None):
    return is_signed_in(user)


def can_download_data(user, obj=None):
    """Only once the address is confirmed: the file goes to whoever proved they own it."""
    return is_signed_in(user) and user_has_verified_email(user)


def can_delete_account(user, obj=None):
    """Superusers cannot delete themselves here: another administrator must.

    It avoids a site left with no one able to run the admin.
    """
    return is_signed_in(user) and not user.is_superuser


def needs_two_factor(user, *, admin=False):
    """Staff sign in with a second factor: superusers, staff and, in the admin, anyone it admits.

    `admin`: the request is for the Wagtail admin, where a group's
    `access_admin` permission lets people in whatever their `is_staff` flag
    says (it costs a permission query, so it is asked only there).
    """
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser or user.is_staff:
        return True
    return admin and user.has_perm("wagtailadmin.access_admin")
