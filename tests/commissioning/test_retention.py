"""Retention: each class of personal data past its period is anonymised or deleted,
once, by `manage.py apply_retention` or the task; what is inside its period stays."""

from datetime import timedelta
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import ModelLogEntry

from commissioning import audit, personal_data, retention
from commissioning.audit import audit_record
from commissioning.models import AuditEntry, Ward
from commissioning.tasks import retention_apply_task
from consultations.models import EqualityRecord
from panels.models import Application, LotteryEntry, LotteryRun
from tests.accounts.factories import UserFactory
from tests.commissioning.factories import WardFactory
from tests.consultations.factories import consultation_page, programme_page
from tests.panels.factories import ApplicationFactory, make_panel

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def days_ago(days):
    return NOW - timedelta(days=days)


@pytest.fixture
def periods(settings):
    settings.RETENTION = {
        "panel_applications": 100,
        "invitation_addresses": 100,
        "equality_monitoring": 100,
        "unverified_accounts": 30,
        "audit_entries": 365,
    }
    return settings.RETENTION


def apply():
    return {r.label: r.changed for r in retention.retention_apply(now=NOW)}


class TestPanelApplications:
    @pytest.fixture
    def panels(self, home_page, periods):
        old = make_panel(home_page, opens_at=days_ago(300), closes_at=days_ago(101))
        recent = make_panel(home_page, opens_at=days_ago(300), closes_at=days_ago(99))
        return old, recent

    def test_past_the_period_deleted_or_pseudonymised_if_a_draw_used_it(self, panels):
        old, recent = panels
        unused = ApplicationFactory(panel=old, name="Una Unused", phone="01632 960000")
        drawn = ApplicationFactory(panel=old, name="Dora Drawn", access_needs="Step-free")
        kept = ApplicationFactory(panel=recent, name="Kit Kept")
        run = LotteryRun.objects.create(
            panel=old, seats=1, seed=1, algorithm_requested="maximin", status="completed"
        )
        LotteryEntry.objects.create(run=run, application=drawn, attributes={"gender": "woman"})

        assert apply()["panel_applications"] == 2

        assert not Application.objects.filter(pk=unused.pk).exists()
        drawn.refresh_from_db()
        assert (drawn.name, drawn.email, drawn.access_needs, drawn.gender) == (
            "Deleted applicant",
            f"deleted-{drawn.pk}@invalid.example",
            "",
            "",
        )
        assert LotteryEntry.objects.get().attributes == {"gender": "woman"}
        kept.refresh_from_db()
        assert kept.name == "Kit Kept"

    def test_applying_again_changes_nothing(self, panels):
        old, _ = panels
        drawn = ApplicationFactory(panel=old)
        run = LotteryRun.objects.create(
            panel=old, seats=1, seed=1, algorithm_requested="maximin", status="completed"
        )
        LotteryEntry.objects.create(run=run, application=drawn, attributes={})
        assert apply()["panel_applications"] == 1

        assert apply()["panel_applications"] == 0


def test_equality_records_go_with_their_consultation_past_the_period(home_page, periods):
    programme = programme_page(home_page)
    old = consultation_page(programme, slug="old", opens_at=days_ago(400), closes_at=days_ago(101))
    recent = consultation_page(
        programme, slug="recent", opens_at=days_ago(400), closes_at=days_ago(99)
    )
    EqualityRecord.objects.create(consultation=old, gender="woman")
    EqualityRecord.objects.create(consultation=recent, gender="man")

    assert apply()["consultation_responses"] == 1

    assert list(EqualityRecord.objects.values_list("gender", flat=True)) == ["man"]
    assert apply()["consultation_responses"] == 0


class TestUnverifiedAccounts:
    def test_never_confirmed_past_the_period_are_anonymised(self, periods):
        stale = UserFactory(email="stale@example.org", date_joined=days_ago(31), verified=False)
        fresh = UserFactory(email="fresh@example.org", date_joined=days_ago(29), verified=False)
        confirmed = UserFactory(email="old@example.org", date_joined=days_ago(400))
        staff = UserFactory(
            email="staff@example.org", date_joined=days_ago(400), is_staff=True, verified=False
        )

        assert apply()["unverified_accounts"] == 1

        stale.refresh_from_db()
        assert stale.anonymised_at is not None and not stale.is_active
        assert stale.email == f"deleted-{stale.pk}@invalid.example"
        for person in (fresh, confirmed, staff):
            person.refresh_from_db()
            assert person.anonymised_at is None
        assert apply()["unverified_accounts"] == 0

    def test_an_unconfirmed_second_address_does_not_count(self, periods):
        person = UserFactory(date_joined=days_ago(400))
        EmailAddress.objects.create(user=person, email="other@example.org", verified=False)

        apply()

        person.refresh_from_db()
        assert person.anonymised_at is None


def test_audit_entries_past_the_period_are_deleted_the_rest_kept(periods, officer):
    old = audit_record(user=officer, action=audit.VIEW, instance=Ward)
    ModelLogEntry.objects.filter(pk=old.pk).update(timestamp=days_ago(366))
    kept = audit_record(user=officer, action=audit.EXPORT, instance=Ward)
    ward = WardFactory(name="Abbeyfield")
    content = ModelLogEntry.objects.log_action(ward, "wagtail.create", user=officer)
    ModelLogEntry.objects.filter(pk=content.pk).update(timestamp=days_ago(999))
    before = AuditEntry.objects.count()

    assert apply()["audit_trail"] == 1

    assert AuditEntry.objects.count() == before - 1
    assert AuditEntry.objects.filter(pk=kept.pk).exists()
    # Wagtail's content history is not the audit trail's to delete.
    assert ModelLogEntry.objects.filter(pk=content.pk).exists()


def test_a_class_set_to_none_is_kept(periods, officer):
    periods["audit_entries"] = None
    old = audit_record(user=officer, action=audit.VIEW, instance=Ward)
    ModelLogEntry.objects.filter(pk=old.pk).update(timestamp=days_ago(5000))

    assert apply()["audit_trail"] == 0
    assert AuditEntry.objects.filter(pk=old.pk).exists()


def test_the_command_reports_what_it_did_and_is_idempotent(periods, officer):
    UserFactory(date_joined=days_ago(31), verified=False)
    old = audit_record(user=officer, action=audit.VIEW, instance=Ward)
    ModelLogEntry.objects.filter(pk=old.pk).update(timestamp=days_ago(366))

    first, second = StringIO(), StringIO()
    call_command("apply_retention", stdout=first)
    call_command("apply_retention", stdout=second)

    first, second = first.getvalue(), second.getvalue()
    assert "Accounts whose email address was never confirmed: 1 anonymised or deleted" in first
    assert "Audit trail entries: 1 anonymised or deleted (older than 365 days" in first
    assert "Civic lottery invitation addresses: nothing holds this data yet." in first
    assert "Accounts whose email address was never confirmed: 0 anonymised" in second
    assert "Audit trail entries: 0 anonymised" in second


def test_the_task_applies_it_and_the_command_can_queue_it(periods):
    UserFactory(date_joined=days_ago(31), verified=False)

    result = retention_apply_task.enqueue()  # the test backend runs tasks at once

    assert result.return_value["unverified_accounts"] == 1
    out = StringIO()
    call_command("apply_retention", "--enqueue", stdout=out)
    assert "Queued the retention task" in out.getvalue()


class TestRegistry:
    def test_retain_needs_its_retention_class(self):
        with pytest.raises(ValueError):
            personal_data.register_personal_data("notes", retain=lambda before: 0)

    def test_a_registered_class_without_a_period_is_a_system_error(self, settings, monkeypatch):
        monkeypatch.setattr(personal_data, "_REGISTRY", {})
        personal_data.register_personal_data(
            "notes", retain=lambda before: 0, retention="meeting_notes"
        )
        settings.RETENTION = {"audit_entries": 0}

        ids = {error.id for error in retention.retention_settings_check(None)}

        assert ids == {"commissioning.E011", "commissioning.E012"}

    def test_the_project_settings_pass_the_check(self):
        assert retention.retention_settings_check(None) == []

    def test_each_kind_runs_in_its_own_transaction(self, monkeypatch, periods):
        calls = []

        def failing(before):
            raise RuntimeError("disk full")

        monkeypatch.setattr(personal_data, "_REGISTRY", {})
        personal_data.register_personal_data(
            "first", retain=lambda before: calls.append(before) or 3, retention="audit_entries"
        )
        personal_data.register_personal_data(
            "second", retain=failing, retention="unverified_accounts"
        )

        with pytest.raises(RuntimeError):
            retention.retention_apply(now=NOW)
        assert calls == [NOW - timedelta(days=365)]
