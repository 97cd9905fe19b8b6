"""Wagtail's user admin for the email-login user model.

Creating or editing a user keeps allauth's email record in step, so people
set up by an administrator can sign in on the public site, and giving or
taking away full access goes in the audit trail; deleting a user
anonymises the account like "delete my account" does, so contributions stay.
"""

from wagtail.users.views import users as wagtail_users

from .forms import WagtailUserCreationForm, WagtailUserEditForm
from .services import user_account_delete, user_email_address_sync, user_superuser_audit


class UserCreateView(wagtail_users.CreateView):
    def save_instance(self):
        user = super().save_instance()
        user_email_address_sync(user=user)
        return user


class UserEditView(wagtail_users.EditView):
    def save_instance(self):
        # Group changes are recorded by accounts.signals; full access here.
        was_superuser = type(self.object).objects.filter(pk=self.object.pk, is_superuser=True)
        was_superuser = was_superuser.exists()
        user = super().save_instance()
        user_email_address_sync(user=user)
        user_superuser_audit(user=self.request.user, person=user, was_superuser=was_superuser)
        return user


class UserDeleteView(wagtail_users.DeleteView):
    success_message = (
        "Account deleted: its personal data is removed and its contributions kept without a name."
    )

    @property
    def confirmation_message(self):
        return (
            "Delete this account? Its name, email address, postcode and ward are removed and "
            "it can no longer sign in. What it contributed stays, without a name."
        )

    def delete_action(self):
        user_account_delete(user=self.object)


class UserViewSet(wagtail_users.UserViewSet):
    # No copy: it would create a record without the app's service.
    copy_view_enabled = False
    add_view_class = UserCreateView
    edit_view_class = UserEditView
    delete_view_class = UserDeleteView
    create_template_name = "account/admin/user_create.html"
    edit_template_name = "account/admin/user_edit.html"

    def get_form_class(self, for_update=False):
        return WagtailUserEditForm if for_update else WagtailUserCreationForm
