"""Migration 0002 rewrites existing equality records out of the responses' order."""

from importlib import import_module

from django.apps import apps
from django.db import connection

from consultations.models import EqualityRecord
from tests.consultations.factories import consultation_page, programme_page

migration = import_module("consultations.migrations.0002_equality_records_unlinked")


def test_existing_records_get_new_ids_and_keep_their_answers(home_page):
    page = consultation_page(programme_page(home_page), equality_monitoring=True)
    ages = ["16-24", "25-34", "35-49", "50-64", "65-74", "75+"]
    EqualityRecord.objects.bulk_create(
        [EqualityRecord(consultation=page, age_band=age, gender="woman") for age in ages * 3]
    )
    before = set(EqualityRecord.objects.values_list("pk", flat=True))
    migration.shuffle_existing_records(apps, None)
    after = list(EqualityRecord.objects.filter(consultation=page).values("pk", "age_band"))
    assert sorted(r["age_band"] for r in after) == sorted(ages * 3)
    assert not before & {r["pk"] for r in after}
    assert set(EqualityRecord.objects.values_list("gender", flat=True)) == {"woman"}
    hidden = "ctid" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT age_band FROM consultations_equalityrecord ORDER BY {hidden}")
        in_table = [row[0] for row in cursor.fetchall()]
    assert in_table != ages * 3


def test_responses_take_the_ward_of_their_participation(home_page):
    from commissioning.models import Participation
    from consultations.models import Response
    from tests.commissioning.factories import WardFactory

    ward_migration = import_module("consultations.migrations.0003_engagement_response_base")
    page = consultation_page(programme_page(home_page))
    ward = WardFactory()
    with_ward = Response.objects.create(
        consultation=page,
        participation=Participation.objects.create(engagement=page, ward=ward),
    )
    without = Response.objects.create(
        consultation=page, participation=Participation.objects.create(engagement=page)
    )
    ward_migration.copy_wards(apps, None)
    wards = dict(Response.objects.values_list("pk", "ward_id"))
    assert wards == {with_ward.pk: ward.pk, without.pk: None}
