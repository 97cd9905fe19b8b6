"""The `release_equality_records` command, for a scheduler."""

import datetime
import io

from django.core.management import call_command
from django.utils import timezone

from consultations.models import EqualityRecord, PendingEqualityAnswers
from tests.consultations.factories import consultation_page, programme_page


def test_moves_the_remainder_of_closed_consultations_only(home_page):
    programme = programme_page(home_page)
    now = timezone.now()
    closed = consultation_page(
        programme,
        slug="closed",
        equality_monitoring=True,
        opens_at=now - datetime.timedelta(days=30),
        closes_at=now - datetime.timedelta(days=1),
    )
    still_open = consultation_page(programme, slug="open", equality_monitoring=True)
    for page in (closed, still_open):
        PendingEqualityAnswers.objects.bulk_create(
            [PendingEqualityAnswers(consultation=page, gender="woman") for _ in range(3)]
        )
    out = io.StringIO()
    call_command("release_equality_records", stdout=out)
    assert "Moved 3 pending equality monitoring answer(s)." in out.getvalue()
    assert EqualityRecord.objects.filter(consultation=closed).count() == 3
    assert not PendingEqualityAnswers.objects.filter(consultation=closed).exists()
    assert PendingEqualityAnswers.objects.filter(consultation=still_open).count() == 3
