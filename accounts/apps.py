from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Users, profiles, sign-in (django-allauth), roles, data download and deletion."""

    name = "accounts"
    verbose_name = "Accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from .roles import roles_sync_on_migrate

        # Roles are configuration: every migrate makes sure the officer and
        # editor groups exist with the permissions the apps declare.
        post_migrate.connect(roles_sync_on_migrate, dispatch_uid="accounts.roles_sync")
