"""Load the borough's postcode centroids from a CSV file, so that assets located
by postcode or ward reach the map.

    manage.py import_postcodes ONSPD_NOV_2026_UK.csv
    manage.py import_postcodes assetmap/data/kelderby_postcodes.csv
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from assetmap.services import postcodes_import

SHOW_SKIPPED = 20


class Command(BaseCommand):
    help = (
        "Load postcode centroids from a CSV file with postcode, latitude and longitude "
        "columns (or the ONS Postcode Directory's pcds, lat and long). Postcodes outside "
        "the borough are skipped. Running it again updates what changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The CSV file (UTF-8).")

    def handle(self, *args, path, **options):
        try:
            with open(path, encoding="utf-8-sig", newline="") as file:
                result = postcodes_import(file=file)
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
        except UnicodeDecodeError:
            raise CommandError(f"{path} is not a UTF-8 text file.") from None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        for line, why in result.skipped[:SHOW_SKIPPED]:
            self.stderr.write(f"Line {line} skipped: {why}")
        if len(result.skipped) > SHOW_SKIPPED:
            self.stderr.write(f"… and {len(result.skipped) - SHOW_SKIPPED} more lines skipped.")
        self.stdout.write(
            f"{result.loaded} postcodes loaded, {len(result.skipped)} lines skipped."
        )
