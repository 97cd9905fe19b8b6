"""The audit trail: one helper writes it, a read-only proxy reads it, one report shows it."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from commissioning import audit
from commissioning.audit import audit_record
from commissioning.models import AuditEntry, Ward
from commissioning.models.audit import ReadOnlyError
from commissioning.rules import can_view_audit_trail
from tests.accounts.factories import PASSWORD
from tests.commissioning.factories import WardFactory
from tests.refusals import assert_sent_to_dashboard

pytestmark = pytest.mark.django_db

TRAIL = "/admin/reports/audit-trail/"


def login(client, user):
    assert client.login(email=user.email, password=PASSWORD)


def rows_of_csv(response):
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))


class TestAuditRecord:
    def test_a_record_names_its_type_and_id_and_keeps_the_data(self, officer):
        ward = WardFactory(name="Brookside")

        entry = audit_record(user=officer, action=audit.VIEW, instance=ward, data={"why": "check"})

        assert entry.object_id == str(ward.pk)
        assert entry.label == f"Ward {ward.pk}"
        assert entry.content_type.model_class() is Ward
        assert entry.user == officer
        assert AuditEntry.objects.get(pk=entry.pk).details == "Why: check"

    def test_a_list_is_the_model_with_its_filters(self, officer):
        entry = audit_record(
            user=officer, action=audit.VIEW, instance=Ward, data={"filters": {"q": "Brook"}}
        )

        assert entry.object_id == audit.LIST_OBJECT_ID
        assert entry.label == "Wards (list)"
        assert AuditEntry.objects.get(pk=entry.pk).details == "Filters: Q Brook"

    def test_a_person_is_named_by_their_sign_in(self, officer, resident):
        entry = audit_record(user=officer, action=audit.ROLE_ADD, instance=resident)

        assert entry.label == "resident@example.org"

    def test_a_page_is_named_by_its_title(self, officer, home_page):
        assert audit_record(user=officer, action=audit.EXPORT, instance=home_page).label == "Home"

    def test_without_a_user_the_log_context_or_the_system_acts(self):
        assert audit_record(user=None, action=audit.VIEW, instance=Ward).user is None

    def test_an_unknown_action_is_refused(self, officer):
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError):
            audit_record(user=officer, action="audit.shred", instance=Ward)


class TestReadOnly:
    def test_entries_cannot_be_changed_or_deleted(self, officer):
        audit_record(user=officer, action=audit.VIEW, instance=Ward)
        entry = AuditEntry.objects.get(action=audit.VIEW)

        with pytest.raises(ReadOnlyError):
            entry.save()
        with pytest.raises(ReadOnlyError):
            entry.delete()
        with pytest.raises(ReadOnlyError):
            AuditEntry.objects.update(label="nothing happened")
        with pytest.raises(ReadOnlyError):
            AuditEntry.objects.all().delete()
        assert ModelLogEntry.objects.get(action=audit.VIEW).label == "Wards (list)"

    def test_the_admin_has_no_edit_or_delete_views(self):
        for name in ("edit", "delete"):
            with pytest.raises(NoReverseMatch):
                reverse(f"commissioning_audit_trail_{name}", args=[1])

    def test_content_edits_are_left_to_wagtails_history(self, officer):
        ward = WardFactory()
        log(instance=ward, action="wagtail.edit", user=officer)
        audit_record(user=officer, action=audit.VIEW, instance=ward)

        actions = AuditEntry.objects.filter(object_id=str(ward.pk), content_type__model="ward")
        assert list(actions.values_list("action", flat=True)) == [audit.VIEW]


class TestAuditedViewMixin:
    def test_officer_opening_a_list_and_a_record_leaves_two_entries(self, client, superuser):
        """Wagtail's own listings show how the mixin records what was looked at."""
        from django.test import RequestFactory
        from wagtail.admin.views import generic

        class WardIndex(audit.AuditedViewMixin, generic.IndexView):
            model = Ward
            index_url_name = "wagtailsnippets_commissioning_ward:list"

        request = RequestFactory().get("/admin/wards/", {"q": "Brook", "p": "2"})
        request.user = superuser
        view = WardIndex()
        view.setup(request)
        view.audit(request)

        entry = AuditEntry.objects.get()
        assert (entry.action, entry.object_id) == (audit.VIEW, audit.LIST_OBJECT_ID)
        assert entry.data == {"filters": {"q": "Brook"}}


@pytest.fixture
def superuser(user_factory):
    return user_factory(email="admin@example.org", is_staff=True, is_superuser=True)


@pytest.fixture
def trail(officer, editor, superuser):
    """Three entries by three people on three days, of two kinds of record."""
    ward = WardFactory(name="Abbeyfield")
    now = timezone.now()
    entries = [
        audit_record(user=officer, action=audit.VIEW, instance=ward),
        audit_record(user=editor, action=audit.EXPORT, instance=Ward, data={"format": "csv"}),
        audit_record(user=superuser, action=audit.ROLE_ADD, instance=officer, data={"role": "X"}),
    ]
    for days, entry in zip((3, 2, 1), entries, strict=True):
        ModelLogEntry.objects.filter(pk=entry.pk).update(timestamp=now - timedelta(days=days))
    return entries


class TestReport:
    def test_officers_and_superusers_only(self, client, officer, editor, resident, superuser):
        assert can_view_audit_trail(officer) and can_view_audit_trail(superuser)
        assert not can_view_audit_trail(editor) and not can_view_audit_trail(resident)
        login(client, editor)
        assert_sent_to_dashboard(client.get(TRAIL))
        login(client, officer)
        assert client.get(TRAIL).status_code == 200

    def test_menu_shows_it_to_officers_only(self, client, officer, editor):
        login(client, officer)
        assert TRAIL in client.get("/admin/").content.decode()
        login(client, editor)
        assert TRAIL not in client.get("/admin/").content.decode()

    def test_lists_entries_in_words_newest_first(self, client, officer, trail):
        login(client, officer)

        html = client.get(TRAIL).content.decode()

        assert html.index("Role given") < html.index("Downloaded") < html.index("Viewed")
        assert "Role: X" in html and "Format: csv" in html
        assert "officer@example.org" in html

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ({"action": audit.EXPORT}, ["Downloaded"]),
            ({"label": "officer@"}, ["Role given"]),
            ({"timestamp_from": "", "timestamp_to": ""}, ["Viewed", "Downloaded", "Role given"]),
        ],
    )
    def test_filters(self, client, officer, trail, query, expected):
        login(client, officer)

        html = client.get(TRAIL + "results/", query).content.decode()

        for message in ["Viewed", "Downloaded", "Role given"]:
            assert (message in html) == (message in expected), message

    def test_filters_by_person_date_and_type(self, client, officer, editor, trail):
        login(client, officer)
        day = (timezone.localdate() - timedelta(days=2)).isoformat()

        by_person = client.get(TRAIL + "results/", {"user": editor.pk}).content.decode()
        by_date = client.get(
            TRAIL + "results/", {"timestamp_from": day, "timestamp_to": day}
        ).content.decode()
        ward_type = trail[0].content_type_id
        by_type = client.get(TRAIL + "results/", {"object_type": ward_type}).content.decode()

        assert "Downloaded" in by_person and "Viewed" not in by_person
        assert "Downloaded" in by_date and "Role given" not in by_date
        assert "Viewed" in by_type and "Downloaded" in by_type and "Role given" not in by_type

    def test_csv_and_xlsx_downloads_are_themselves_recorded(self, client, officer, trail):
        login(client, officer)

        rows = rows_of_csv(client.get(TRAIL, {"export": "csv", "action": audit.ROLE_ADD}))
        xlsx = client.get(TRAIL, {"export": "xlsx"})

        assert rows[0] == [
            "Date and time",
            "Person",
            "Action",
            "Type of record",
            "Record",
            "Record id",
            "Details",
        ]
        # The fixtures' people joined their groups too: those are in the trail as well.
        assert {row[2] for row in rows[1:]} == {"Role given"}
        assert "Role: X" in [row[6] for row in rows[1:]]
        sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
        # Everything in the trail, and the CSV download just before.
        assert sheet.max_row == 1 + AuditEntry.objects.count() - 1
        downloads = AuditEntry.objects.filter(action=audit.EXPORT, label="Audit entries (list)")
        assert sorted(e.data["format"] for e in downloads) == ["csv", "xlsx"]

    def test_constant_queries_as_the_trail_grows(self, client, officer, editor):
        login(client, officer)

        def count():
            with CaptureQueriesContext(connection) as queries:
                assert client.get(TRAIL).status_code == 200
            return len(queries)

        audit_record(user=officer, action=audit.VIEW, instance=Ward)
        few = count()
        for n in range(30):
            audit_record(user=editor, action=audit.EXPORT, instance=WardFactory(name=f"W{n}"))
        audit_record(user=officer, action=audit.ROLE_ADD, instance=editor)
        assert count() == few
