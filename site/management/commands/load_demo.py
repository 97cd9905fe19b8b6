"""Load the demo borough of Kelderby.

Each app's manifest (`commissioning.manifest`) names its demo module, with a
`load(*, stdout)` function; they run in INSTALLED_APPS order, so the spine's wards exist before the
engagement apps use them, then each module's optional `finish(*, stdout)`. Every loader is idempotent: it looks records up by a
natural key and creates only what is missing, so a second run changes nothing.
"""

import os
from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

DEMO_PASSWORD = "demo-password-1"  # noqa: S105 - published in the README, demo only


def demo_modules():
    from commissioning.manifest import registered_manifests

    for manifest in registered_manifests():
        if manifest.demo:
            yield manifest.app_label, import_module(manifest.demo)


class Command(BaseCommand):
    help = "Load the demo borough (wards, accounts, pages and each app's examples)."

    def handle(self, *args, **options):
        # Under override_settings (the test live server) SETTINGS_MODULE reads None.
        module = settings.SETTINGS_MODULE or os.environ.get("DJANGO_SETTINGS_MODULE", "")
        if module.endswith(".production") or not (
            settings.DEBUG or module.endswith((".dev", ".test"))
        ):
            raise CommandError(
                "load_demo creates accounts with a published password and refuses to run "
                "with production settings."
            )
        modules = list(demo_modules())
        for label, module in modules:
            with transaction.atomic():
                module.load(stdout=self.stdout)
            self.stdout.write(f"demo: {label} loaded")
        # A module's optional finish() runs once every app has loaded, for
        # records that point across apps (a decision citing a consultation).
        for label, module in modules:
            if hasattr(module, "finish"):
                with transaction.atomic():
                    module.finish(stdout=self.stdout)
                self.stdout.write(f"demo: {label} finished")
        self.stdout.write(self.style.SUCCESS("The demo borough is ready."))
