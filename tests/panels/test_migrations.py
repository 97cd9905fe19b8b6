"""Migration 0004 links existing applications to their participations."""

import datetime
from importlib import import_module

from django.apps import apps

from commissioning.models import Participation
from panels.models import Application
from tests.panels.factories import ApplicationFactory, make_panel

migration = import_module("panels.migrations.0004_engagement_response_base")


def test_applications_find_their_participation_by_account_or_email(home_page, resident):
    panel = make_panel(home_page)
    other = make_panel(home_page)
    mine = Participation.objects.create(engagement=panel, user=resident)
    Participation.objects.create(engagement=other, user=resident)
    by_letter = Participation.objects.create(engagement=panel, email="letter@example.org")
    applied = datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)
    online = ApplicationFactory(panel=panel, user=resident, email=resident.email)
    letter = ApplicationFactory(panel=panel, email="letter@example.org", created_at=applied)
    unknown = ApplicationFactory(panel=panel, email="nobody@example.org")
    migration.link_participations(apps, None)
    links = dict(Application.objects.values_list("pk", "participation_id"))
    assert links == {online.pk: mine.pk, letter.pk: by_letter.pk, unknown.pk: None}
    assert Application.objects.get(pk=letter.pk).updated_at == applied
