"""Indicators: readings entered by officers or imported, and their charts."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.models import ModelLogEntry

from delivery import services
from delivery.models import Reading
from delivery.selectors import indicator_chart
from delivery.services import ImportRefused

from . import factories


@pytest.fixture
def indicator(home_page, officer):
    _, decision, _ = factories.delivered_programme(home_page)
    commitment = factories.commitment(decision, officer)
    return factories.indicator(
        commitment,
        officer,
        reference="home-visits",
        measure="Housebound residents visited",
        unit="people",
        baseline=Decimal(310),
        baseline_on=date(2025, 6, 1),
        target=Decimal(400),
        target_on=date(2027, 6, 1),
    )


class TestReadings:
    def test_an_officer_records_a_reading_in_the_history(self, indicator, officer):
        reading = services.reading_record(
            indicator=indicator, measured_on=date(2026, 1, 31), value=Decimal(341), user=officer
        )
        assert reading.entered_by == officer
        assert ModelLogEntry.objects.for_instance(reading).filter(action="wagtail.create").exists()

    def test_one_reading_per_date(self, indicator, officer):
        services.reading_record(
            indicator=indicator, measured_on=date(2026, 1, 31), value=1, user=officer
        )
        with pytest.raises(ValidationError) as error:
            services.reading_record(
                indicator=indicator, measured_on=date(2026, 1, 31), value=2, user=officer
            )
        assert "measured_on" in error.value.error_dict
        assert Reading.objects.get().value == 1

    def test_a_future_reading_is_refused(self, indicator, officer):
        with pytest.raises(ValidationError):
            services.reading_record(
                indicator=indicator,
                measured_on=timezone.localdate() + timedelta(days=1),
                value=1,
                user=officer,
            )

    def test_an_indicator_measures_an_outcome_or_a_criterion(self, indicator, officer):
        indicator.outcome = None
        indicator.social_value_criterion = None
        with pytest.raises(ValidationError):
            services.indicator_save(indicator=indicator, user=officer)


class TestChart:
    def test_baseline_readings_and_target_in_order(self, indicator, officer):
        for day, value in [(date(2026, 3, 31), 362), (date(2025, 12, 31), 341)]:
            services.reading_record(
                indicator=indicator, measured_on=day, value=value, user=officer
            )
        chart = indicator_chart(indicator=indicator)
        assert chart.table.columns == ["When", "Value (people)"]
        assert chart.table.rows == [
            ["Baseline (Jun 2025)", 310],
            ["31 Dec 2025", 341],
            ["31 Mar 2026", 362],
            ["Target by Jun 2027", 400],
        ]
        assert "<title>Housebound residents visited (people)</title>" in chart.svg
        assert chart.svg.count("<rect") == 4
        assert ">362<" in chart.svg


class TestImport:
    def test_a_good_file_imports_every_row(self, indicator, officer):
        data = (
            b"indicator,date,value,note\n"
            b"home-visits,2026-01-31,341,\n"
            b'home-visits,28/02/2026,"1,350",after the winter\n'
        )
        created = services.readings_import(data=data, user=officer)
        assert len(created) == 2
        assert list(Reading.objects.values_list("value", "source")) == [
            (Decimal(341), "import"),
            (Decimal(1350), "import"),
        ]
        assert (
            ModelLogEntry.objects.for_instance(indicator)
            .filter(action="delivery.readings_import")
            .exists()
        )

    def test_a_malformed_file_imports_nothing_and_reports_every_problem(self, indicator, officer):
        services.reading_record(
            indicator=indicator, measured_on=date(2026, 1, 31), value=1, user=officer
        )
        future = (timezone.localdate() + timedelta(days=3)).isoformat()
        data = (
            "indicator,date,value\n"
            "home-visits,2026-02-28,350\n"  # good, but not imported
            "nowhere,2026-02-28,1\n"
            "home-visits,31 Feb,1\n"
            "home-visits,2026-03-31,lots\n"
            f"home-visits,{future},1\n"
            "home-visits,2026-01-31,5\n"
            "home-visits,2026-02-28,351\n"
        ).encode()
        with pytest.raises(ImportRefused) as refusal:
            services.readings_import(data=data, user=officer)
        problems = [(p.row, p.message) for p in refusal.value.problems]
        assert problems == [
            (3, "There is no indicator “nowhere”."),
            (4, "The date is not a date like 2026-03-31."),
            (5, "The value is not a number."),
            (6, "The date is in the future."),
            (7, "“home-visits” already has a reading for 31 January 2026."),
            (8, "It repeats line 2 (same indicator and date)."),
        ]
        assert Reading.objects.count() == 1

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            (b"name,when\nx,y\n", "must name the columns"),
            (b"\xff\xfe\x00bad", "not UTF-8"),
            (b"indicator,date,value\n", "no readings"),
        ],
    )
    def test_files_that_are_not_readings(self, indicator, officer, data, message):
        with pytest.raises(ImportRefused) as refusal:
            services.readings_import(data=data, user=officer)
        assert message in refusal.value.problems[0].message
        assert not Reading.objects.exists()
