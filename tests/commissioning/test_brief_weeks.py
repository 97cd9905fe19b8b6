"""People taking part each week: counted against the weeks' boundaries, as truncating would."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Count
from django.db.models.functions import TruncWeek

from commissioning.brief import weekly_counts
from commissioning.models import Participation
from tests.commissioning import factories
from tests.commissioning.factories import ParticipationFactory

LONDON = ZoneInfo("Europe/London")


def truncated(participations):
    return list(
        participations.annotate(week=TruncWeek("created_at"))
        .values("week")
        .annotate(n=Count("pk"))
        .order_by("week")
        .values_list("week", "n")
    )


@pytest.mark.django_db
def test_the_same_weeks_as_truncating_dates_across_summer_time(home_page, settings):
    settings.TIME_ZONE = "Europe/London"
    engagement = factories.engagement(factories.programme(factories.programme_index(home_page)))
    moments = [
        datetime(2026, 3, 23, 0, 0, tzinfo=LONDON),  # a Monday at midnight
        datetime(2026, 3, 29, 23, 59, tzinfo=LONDON),  # the Sunday the clocks go forward
        datetime(2026, 3, 30, 0, 30, tzinfo=LONDON),
        datetime(2026, 4, 20, 12, 0, tzinfo=LONDON),  # weeks with nobody in between
        datetime(2026, 10, 25, 1, 30, tzinfo=LONDON),  # the clocks go back
        datetime(2026, 10, 26, 0, 0, tzinfo=LONDON) - timedelta(seconds=1),
        datetime(2026, 10, 26, 0, 0, tzinfo=LONDON),
    ]
    for moment in moments:
        ParticipationFactory(engagement=engagement, created_at=moment)
    participations = Participation.objects.filter(engagement=engagement)
    weeks = weekly_counts(participations)
    assert weeks == truncated(participations)
    assert [(f"{week:%-d %b %Y}", n) for week, n in weeks] == [
        ("23 Mar 2026", 2),
        ("30 Mar 2026", 1),
        ("20 Apr 2026", 1),
        ("19 Oct 2026", 2),
        ("26 Oct 2026", 1),
    ]


@pytest.mark.django_db
def test_nobody_yet():
    assert weekly_counts(Participation.objects.none()) == []
