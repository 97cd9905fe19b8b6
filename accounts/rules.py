"""Who may do what with accounts. Plain functions, tested directly."""

from commissioning.services import user_has_verified_email


def can_edit_profile(user):
    return user.is_authenticated and user.is_active


def can_download_data(user):
    """Only once the address is confirmed: the file goes to whoever proved they own it."""
    return user.is_authenticated and user.is_active and user_has_verified_email(user)


def can_delete_account(user):
    """Superusers cannot delete themselves here: another administrator must.

    It avoids a site left with no one able to run the admin.
    """
    return user.is_authenticated and user.is_active and not user.is_superuser
