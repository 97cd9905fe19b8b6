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
