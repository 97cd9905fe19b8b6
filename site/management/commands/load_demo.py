"""Load the demo borough of Kelderby.

Each installed app may have a `demo` module with a `load(*, stdout)` function;
they run in INSTALLED_APPS order, so the spine's wards exist before the
engagement apps use them. Every loader is idempotent: it looks records up by a
natural key and creates only what is missing, so a second run changes nothing.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

DEMO_PASSWORD = "demo-password-1"  # noqa: S105 - published in the README, demo only


def demo_modules():
    for config in apps.get_app_configs():
        name = f"{config.name}.demo"
        if find_spec(name) is not None:
            yield config.label, import_module(name)


class Command(BaseCommand):
    help = "Load the demo borough (wards, accounts, pages and each app's examples)."

    def handle(self, *args, **options):
        if settings.SETTINGS_MODULE.endswith(".production") or not (
            settings.DEBUG or settings.SETTINGS_MODULE.endswith(".test")
        ):
            raise CommandError(
                "load_demo creates accounts with a published password and refuses to run "
                "with production settings."
            )
        for label, module in demo_modules():
            with transaction.atomic():
                module.load(stdout=self.stdout)
            self.stdout.write(f"demo: {label} loaded")
        self.stdout.write(self.style.SUCCESS("The demo borough is ready."))
