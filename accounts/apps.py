from django.apps import AppConfig
from wagtail.users.apps import WagtailUsersAppConfig


class AccountsConfig(AppConfig):
    """Users, profiles, sign-in (django-allauth), roles, data download and deletion."""

    # Two AppConfig classes live here, so Django would pick neither for
    # "accounts" (and never run `ready`) without this.
    default = True
    name = "accounts"
    verbose_name = "Accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import signals
        from .roles import roles_sync_on_migrate

        signals.connect()

        # Roles are configuration: every migrate makes sure the officer and
        # editor groups exist with the permissions the apps declare.
        post_migrate.connect(roles_sync_on_migrate, dispatch_uid="accounts.roles_sync")


class WagtailUsersConfig(WagtailUsersAppConfig):
    """wagtail.users with our user viewset (listed in INSTALLED_APPS in its place)."""

    user_viewset = "accounts.viewsets.UserViewSet"
