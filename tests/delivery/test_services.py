"""Commitments: status changes and their reasons, revisions and the timeline."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from wagtail.models import ModelLogEntry

from delivery import services
from delivery.models import Commitment, CommitmentUpdate
from tests.threads import at_once

from . import factories


@pytest.fixture
def setup(home_page, officer):
    programme, decision, engagement = factories.delivered_programme(home_page)
    return programme, decision, engagement


class TestCreate:
    def test_a_commitment_comes_from_a_published_decision(self, setup, officer):
        programme, decision, _ = setup
        commitment = factories.commitment(decision, officer, title="Open every library")
        assert commitment.programme_id == programme.pk
        assert commitment.decision_id == decision.pk
        assert commitment.status == "planned"
        [update] = commitment.updates.all()
        assert update.kind == CommitmentUpdate.CREATED

    def test_an_unpublished_decision_is_refused(self, setup, officer):
        programme, _, _ = setup
        draft = factories.spine.decision(
            programme, slug="draft-decision", live=False,
            items=[{"theme": "T", "people_said": "S", "decided": "D", "reason": "R"}],
        )  # fmt: skip
        with pytest.raises(ValidationError) as error:
            services.commitment_create(
                decision_item=draft.items.first(),
                user=officer,
                title="X",
                responsible="Y",
                due_on=timezone.localdate(),
            )
        assert "published decision" in str(error.value)
        assert not Commitment.objects.exists()

    def test_created_dropped_needs_a_reason(self, setup, officer):
        _, decision, _ = setup
        with pytest.raises(ValidationError) as error:
            factories.commitment(decision, officer, status="dropped")
        assert "status_reason" in error.value.error_dict
        assert not Commitment.objects.exists()


class TestStatusChanges:
    @pytest.mark.parametrize("status", ["changed", "dropped"])
    def test_a_change_or_drop_needs_a_public_reason(self, setup, officer, status):
        _, decision, _ = setup
        commitment = factories.commitment(decision, officer)
        with pytest.raises(ValidationError) as error:
            services.commitment_change(commitment=commitment, user=officer, status=status)
        assert "status_reason" in error.value.error_dict
        commitment.refresh_from_db()
        assert commitment.status == "planned"
        assert commitment.updates.count() == 1

    def test_the_reason_is_published_on_the_timeline(self, setup, officer):
        _, decision, _ = setup
        commitment = factories.commitment(decision, officer)
        services.commitment_change(
            commitment=commitment,
            user=officer,
            status="dropped",
            status_reason="The building is unsafe.",
        )
        commitment.refresh_from_db()
        assert commitment.status_label == "Dropped"
        update = commitment.updates.order_by("pk").last()
        assert update.kind == CommitmentUpdate.STATUS
        assert update.previous_status == "planned"
        assert update.text == "The building is unsafe."

    def test_done_means_complete_and_clears_an_old_reason(self, setup, officer):
        _, decision, _ = setup
        commitment = factories.commitment(decision, officer)
        services.commitment_change(
            commitment=commitment, user=officer, status="changed", status_reason="Later."
        )
        services.commitment_change(commitment=commitment, user=officer, status="done")
        commitment.refresh_from_db()
        assert (commitment.progress, commitment.status_reason) == (100, "")

    def test_progress_only_is_a_progress_update(self, setup, officer):
        _, decision, _ = setup
        commitment = factories.commitment(decision, officer)
        services.commitment_change(
            commitment=commitment, user=officer, progress=40, note="Half the branches done."
        )
        update = commitment.updates.order_by("pk").last()
        assert (update.kind, update.progress, update.text) == (
            CommitmentUpdate.PROGRESS,
            40,
            "Half the branches done.",
        )

    def test_nothing_changed_is_refused(self, setup, officer):
        _, decision, _ = setup
        commitment = factories.commitment(decision, officer)
        with pytest.raises(ValidationError) as error:
            services.commitment_change(commitment=commitment, user=officer, status="planned")
        assert error.value.code == "unchanged"

    def test_progress_over_100_is_refused(self, setup, officer):
        _, decision, _ = setup
        commitment = factories.commitment(decision, officer)
        with pytest.raises(ValidationError):
            services.commitment_change(commitment=commitment, user=officer, progress=120)

    def test_a_future_update_date_is_refused(self, setup, officer):
        _, decision, _ = setup
        commitment = factories.commitment(decision, officer)
        with pytest.raises(ValidationError) as error:
            services.commitment_change(
                commitment=commitment,
                user=officer,
                progress=10,
                happened_on=timezone.localdate() + timedelta(days=1),
            )
        assert "update_on" in error.value.error_dict


class TestRevisionsAndTimeline:
    def test_every_change_is_a_revision_and_in_the_history(self, setup, officer):
        _, decision, _ = setup
        commitment = factories.commitment(decision, officer)
        services.commitment_change(commitment=commitment, user=officer, status="in_progress")
        services.commitment_change(commitment=commitment, user=officer, progress=70)
        commitment.refresh_from_db()
        assert commitment.revisions.count() == 3
        assert commitment.latest_revision.content["progress"] == 70
        actions = list(
            ModelLogEntry.objects.for_instance(commitment)
            .order_by("timestamp", "pk")
            .values_list("action", "user_id")
        )
        assert actions == [
            ("wagtail.create", officer.pk),
            ("wagtail.edit", officer.pk),
            ("wagtail.edit", officer.pk),
        ]

    def test_the_timeline_is_dated_and_ordered(self, setup, officer):
        _, decision, _ = setup
        today = timezone.localdate()
        commitment = factories.commitment(
            decision, officer, happened_on=today - timedelta(days=50)
        )
        services.commitment_change(
            commitment=commitment,
            user=officer,
            status="in_progress",
            happened_on=today - timedelta(days=30),
        )
        services.commitment_change(
            commitment=commitment,
            user=officer,
            status="changed",
            status_reason="Moved to spring.",
            happened_on=today - timedelta(days=40),
        )
        timeline = list(commitment.updates.values_list("happened_on", "status"))
        assert timeline == [
            (today - timedelta(days=50), "planned"),
            (today - timedelta(days=40), "changed"),
            (today - timedelta(days=30), "in_progress"),
        ]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    connection.vendor == "sqlite", reason="needs a database with row locks (PostgreSQL)"
)
def test_concurrent_officers_marking_it_done_record_one_change(home_page, officer):
    _, decision, _ = factories.delivered_programme(home_page)
    commitment = factories.commitment(decision, officer)

    def mark_done():
        services.commitment_change(commitment=commitment, user=officer, status="done")
        return "changed"

    outcomes = [
        o.code if isinstance(o, ValidationError) else o for o in at_once(mark_done, workers=2)
    ]
    assert sorted(outcomes) == ["changed", "unchanged"]
    assert commitment.updates.filter(kind=CommitmentUpdate.STATUS).count() == 1


class TestOnlyOfficersWrite:
    """The services refuse, whoever calls them: the admin, an import or a task."""

    def test_editors_and_residents_cannot_create_commitments(self, setup, editor, resident):
        from commissioning.exceptions import Refused

        _, decision, _ = setup
        for person in (editor, resident, None):
            with pytest.raises(Refused):
                factories.commitment(decision, person)
        assert not Commitment.objects.exists()

    def test_residents_cannot_change_a_commitment_or_record_readings(
        self, setup, officer, resident
    ):
        from commissioning.exceptions import Refused
        from delivery.models import Reading

        _, decision, _ = setup
        commitment = factories.commitment(decision, officer)
        indicator = factories.indicator(commitment, officer)
        with pytest.raises(Refused):
            services.commitment_change(commitment=commitment, user=resident, progress=50)
        with pytest.raises(Refused):
            services.reading_record(
                indicator=indicator, measured_on=timezone.localdate(), value=1, user=resident
            )
        with pytest.raises(Refused):
            services.readings_import(data=b"reference,measured_on,value\n", user=resident)
        commitment.refresh_from_db()
        assert commitment.progress == 0
        assert not Reading.objects.exists()
