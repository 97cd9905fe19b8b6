"""Recording responses: all or nothing, one per person, dates and audience."""

import datetime
import itertools
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from commissioning.demographics import AGE_BANDS, DISABILITY, GENDERS
from commissioning.exceptions import NotEligible, Refused
from commissioning.models import Participation
from consultations.models import Answer, EqualityRecord, PendingEqualityAnswers, Response
from consultations.services import (
    ALREADY_RESPONDED,
    EQUALITY_BATCH,
    consultation_draft_save,
    consultation_response_submit,
    equality_records_release,
    equality_records_release_closed,
)
from tests.commissioning.factories import WardFactory
from tests.consultations.factories import (
    Q_LONG,
    Q_MULTI,
    Q_RANK,
    Q_SCALE,
    Q_SINGLE,
    consultation_page,
    programme_page,
    valid_answers,
)


@pytest.fixture
def page(home_page):
    return consultation_page(programme_page(home_page), equality_monitoring=True)


def _nothing_saved():
    assert Response.objects.count() == 0
    assert Answer.objects.count() == 0
    assert EqualityRecord.objects.count() == 0
    assert PendingEqualityAnswers.objects.count() == 0
    assert Participation.objects.count() == 0


def test_submit_stores_one_row_per_option_and_a_participation(page, resident):
    response = consultation_response_submit(
        consultation=page, answers=valid_answers(), user=resident, wants_feedback=True
    )
    assert response.status == Response.SUBMITTED
    assert response.submitted_at is not None
    rows = {(a.question_id, a.choice, a.number) for a in response.answers.all()}
    assert (Q_SCALE, "4", 4) in rows
    assert {r for r in rows if r[0] == Q_RANK} == {
        (Q_RANK, "r-hours", 1),
        (Q_RANK, "r-books", 2),
        (Q_RANK, "r-space", 3),
    }
    assert response.answers.get(question_id=Q_LONG).text == "Open on Sundays please"
    participation = response.participation
    assert participation.user == resident
    assert participation.wants_feedback
    assert participation.channel == Participation.WEB


def test_equality_answers_wait_apart_from_the_response(page):
    ward = WardFactory(name="Brookside")
    consultation_response_submit(
        consultation=page,
        answers=valid_answers(),
        equality={"age_band": "25-34", "gender": "prefer-not", "ward": ward.slug},
    )
    pending = PendingEqualityAnswers.objects.get()
    assert (pending.age_band, pending.gender, pending.ethnicity, pending.ward) == (
        "25-34",
        "prefer-not",
        "",
        "brookside",
    )
    assert pending.month == timezone.localdate().replace(day=1)
    assert EqualityRecord.objects.count() == 0
    for model in (PendingEqualityAnswers, EqualityRecord):
        field_names = {f.name for f in model._meta.get_fields()}
        assert field_names == {
            "id",
            "consultation",
            "age_band",
            "gender",
            "ethnicity",
            "disability",
            "ward",
            "month",
        }
        assert not model._meta.ordering


def test_equality_is_ignored_when_monitoring_is_off(home_page):
    page = consultation_page(programme_page(home_page), equality_monitoring=False)
    consultation_response_submit(
        consultation=page, answers=valid_answers(), equality={"age_band": "25-34"}
    )
    assert EqualityRecord.objects.count() == 0
    assert PendingEqualityAnswers.objects.count() == 0


@pytest.mark.parametrize(
    "equality",
    [{"age_band": "12-15"}, {"gender": "<script>"}, {"ward": "atlantis"}],
)
def test_bad_equality_values_save_nothing(page, equality):
    with pytest.raises(ValidationError):
        consultation_response_submit(consultation=page, answers=valid_answers(), equality=equality)
    _nothing_saved()


def test_anonymous_email_is_kept_only_if_they_want_to_hear_back(page):
    consultation_response_submit(
        consultation=page, answers=valid_answers(), email="a@example.org", wants_feedback=False
    )
    consultation_response_submit(
        consultation=page, answers=valid_answers(), email="b@example.org", wants_feedback=True
    )
    assert sorted(Participation.objects.values_list("email", flat=True)) == ["", "b@example.org"]


def test_invalid_answers_save_nothing(page, resident):
    answers = valid_answers()
    answers[Q_SINGLE] = {"choice": "forged", "other": ""}
    answers[Q_MULTI] = {"choices": [], "other": ""}
    with pytest.raises(ValidationError) as error:
        consultation_response_submit(consultation=page, answers=answers, user=resident)
    assert set(error.value.error_dict) == {Q_SINGLE, Q_MULTI}
    _nothing_saved()


def test_stale_structure_hash_saves_nothing(page):
    with pytest.raises(ValidationError) as error:
        consultation_response_submit(
            consultation=page, answers=valid_answers(), structure_hash="old"
        )
    assert error.value.code == "stale"
    _nothing_saved()


def test_a_failure_half_way_rolls_everything_back(page, resident):
    with (
        mock.patch.object(
            PendingEqualityAnswers.objects, "create", side_effect=RuntimeError("disk full")
        ),
        pytest.raises(RuntimeError),
    ):
        consultation_response_submit(
            consultation=page,
            answers=valid_answers(),
            user=resident,
            equality={"age_band": "25-34"},
        )
    _nothing_saved()


def test_one_response_per_signed_in_person(page, resident):
    consultation_response_submit(consultation=page, answers=valid_answers(), user=resident)
    with pytest.raises(ValidationError) as error:
        consultation_response_submit(consultation=page, answers=valid_answers(), user=resident)
    assert error.value.messages == [ALREADY_RESPONDED]
    assert Response.objects.count() == 1
    assert Answer.objects.filter(question_id=Q_SCALE).count() == 1


def test_anonymous_people_may_respond_more_than_once(page):
    for _ in range(2):
        consultation_response_submit(consultation=page, answers=valid_answers())
    assert Response.objects.submitted().count() == 2


def test_closed_consultation_refuses_responses(home_page):
    now = timezone.now()
    page = consultation_page(
        programme_page(home_page),
        opens_at=now - datetime.timedelta(days=30),
        closes_at=now - datetime.timedelta(days=1),
    )
    with pytest.raises(ValidationError) as error:
        consultation_response_submit(consultation=page, answers=valid_answers())
    assert error.value.code == "closed"
    _nothing_saved()


def test_signed_in_audience_refuses_anonymous_responses(home_page, resident):
    page = consultation_page(programme_page(home_page), audience="signed_in")
    with pytest.raises(ValidationError) as error:
        consultation_response_submit(consultation=page, answers=valid_answers())
    assert error.value.code == "sign_in"
    _nothing_saved()
    consultation_response_submit(consultation=page, answers=valid_answers(), user=resident)


def test_draft_becomes_the_response(page, resident):
    answers = valid_answers()
    draft = consultation_draft_save(
        consultation=page, user=resident, answers={Q_SINGLE: answers[Q_SINGLE]}
    )
    draft = consultation_draft_save(
        consultation=page, user=resident, answers={Q_SCALE: 2}, equality={"age_band": "75+"}
    )
    assert draft.status == Response.DRAFT
    assert draft.draft["answers"] == {Q_SINGLE: answers[Q_SINGLE], Q_SCALE: 2}
    assert Answer.objects.count() == 0  # drafts never count in results
    response = consultation_response_submit(consultation=page, answers=answers, user=resident)
    assert response.pk == draft.pk
    assert response.draft == {}
    with pytest.raises(ValidationError):
        consultation_draft_save(consultation=page, user=resident, answers={Q_SCALE: 1})


def test_paper_response_counts_as_of_the_day_received(home_page, officer):
    now = timezone.now()
    page = consultation_page(
        programme_page(home_page),
        audience="signed_in",
        opens_at=now - datetime.timedelta(days=30),
        closes_at=now - datetime.timedelta(days=2),
    )
    received = timezone.localdate() - datetime.timedelta(days=5)
    response = consultation_response_submit(
        consultation=page,
        answers=valid_answers(),
        channel=Response.PAPER,
        entered_by=officer,
        received_on=received,
    )
    assert response.channel == Response.PAPER
    assert response.user is None
    assert response.participation.channel == Participation.PAPER
    # Received after the closing date: refused.
    with pytest.raises(ValidationError) as error:
        consultation_response_submit(
            consultation=page,
            answers=valid_answers(),
            channel=Response.PAPER,
            entered_by=officer,
            received_on=timezone.localdate(),
        )
    assert error.value.code == "closed"


def test_personal_data_export_and_anonymise(page, resident):
    from commissioning.personal_data import personal_data_anonymise, personal_data_export

    answers = valid_answers()
    answers[Q_SINGLE] = {"choice": "other", "other": "Ask Jo Bloggs on 07700 900123"}
    consultation_response_submit(consultation=page, answers=answers, user=resident)
    exported = personal_data_export(resident)["consultation_responses"]
    assert exported[0]["consultation"] == page.title
    assert exported[0]["answers"]["How often do you visit a library?"] == (
        "Other: Ask Jo Bloggs on 07700 900123"
    )
    assert exported[0]["answers"]["Anything else?"] == "Open on Sundays please"

    personal_data_anonymise(resident)
    response = Response.objects.get()
    assert response.user is None
    assert not Answer.objects.exclude(text="").exists()
    assert not Answer.objects.filter(question_id=Q_LONG).exists()
    assert Answer.objects.filter(question_id=Q_SCALE).count() == 1  # counts survive
    assert personal_data_export(resident)["consultation_responses"] == []


# Equality answers, moved out of reach of the responses --------------------------

EQUALITY_COMBINATIONS = [
    {"age_band": age, "gender": gender, "disability": disability}
    for age, gender, disability in itertools.product(
        [value for value, _ in AGE_BANDS],
        [value for value, _ in GENDERS],
        [value for value, _ in DISABILITY],
    )
]


def _key(row):
    return (row["age_band"], row["gender"], row["disability"])


def _submit_with_equality(page, count, *, offset=0):
    for n in range(offset, offset + count):
        consultation_response_submit(
            consultation=page, answers=valid_answers(), equality=EQUALITY_COMBINATIONS[n]
        )


def test_equality_answers_move_once_a_batch_is_full(page, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _submit_with_equality(page, EQUALITY_BATCH - 1)
    assert PendingEqualityAnswers.objects.count() == EQUALITY_BATCH - 1
    assert EqualityRecord.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        _submit_with_equality(page, 1, offset=EQUALITY_BATCH - 1)
    assert PendingEqualityAnswers.objects.count() == 0
    records = EqualityRecord.objects.filter(consultation=page)
    assert sorted(_key(r) for r in records.values()) == sorted(
        _key(row) for row in EQUALITY_COMBINATIONS[:EQUALITY_BATCH]
    )
    assert set(records.values_list("month", flat=True)) == {timezone.localdate().replace(day=1)}


def test_nothing_moves_while_open_and_short_of_a_batch(page):
    _submit_with_equality(page, 3)
    assert equality_records_release(consultation_id=page.pk) == 0
    assert PendingEqualityAnswers.objects.count() == 3
    assert EqualityRecord.objects.count() == 0


def _close(page):
    type(page).objects.filter(pk=page.pk).update(
        opens_at=timezone.now() - datetime.timedelta(days=30),
        closes_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    return type(page).objects.get(pk=page.pk)


def test_remainder_moves_at_close_with_earlier_records_moved_again(page):
    _submit_with_equality(page, EQUALITY_BATCH + 3)
    assert equality_records_release(consultation_id=page.pk) == EQUALITY_BATCH + 3
    _submit_with_equality(page, 3, offset=EQUALITY_BATCH + 3)
    first_ids = set(EqualityRecord.objects.values_list("pk", flat=True))
    page = _close(page)
    assert equality_records_release_closed() == 3
    assert PendingEqualityAnswers.objects.count() == 0
    records = list(EqualityRecord.objects.values())
    assert sorted(_key(r) for r in records) == sorted(
        _key(row) for row in EQUALITY_COMBINATIONS[: EQUALITY_BATCH + 6]
    )
    # The remainder of 3 went out in a batch of 10: 7 earlier records were
    # taken out and written again beside it, with new ids.
    assert len(first_ids - {r["id"] for r in records}) == EQUALITY_BATCH - 3


def test_small_consultation_moves_what_it_has_at_close(page):
    _submit_with_equality(page, 2)
    page = _close(page)
    assert equality_records_release_closed() == 2
    assert EqualityRecord.objects.count() == 2
    assert PendingEqualityAnswers.objects.count() == 0


def test_paper_response_entered_after_close_moves_at_once(
    page, officer, django_capture_on_commit_callbacks
):
    _submit_with_equality(page, EQUALITY_BATCH)
    equality_records_release(consultation_id=page.pk)
    page = _close(page)
    with django_capture_on_commit_callbacks(execute=True):
        consultation_response_submit(
            consultation=page,
            answers=valid_answers(),
            equality={"age_band": "75+"},
            channel=Response.PAPER,
            entered_by=officer,
            received_on=timezone.localdate() - datetime.timedelta(days=2),
        )
    assert PendingEqualityAnswers.objects.count() == 0
    assert EqualityRecord.objects.filter(age_band="75+").count() == 1
    assert EqualityRecord.objects.count() == EQUALITY_BATCH + 1


def test_a_batch_moves_only_once(page):
    _submit_with_equality(page, EQUALITY_BATCH)
    assert equality_records_release(consultation_id=page.pk) == EQUALITY_BATCH
    assert equality_records_release(consultation_id=page.pk) == 0
    assert EqualityRecord.objects.count() == EQUALITY_BATCH


def test_a_batch_taken_by_another_worker_meanwhile_is_left_to_it(page):
    """Two workers at once: the one whose delete finds rows already gone backs off."""
    _submit_with_equality(page, EQUALITY_BATCH)
    real_delete = type(PendingEqualityAnswers.objects.all()).delete

    def delete_after_the_other_worker(queryset):
        PendingEqualityAnswers.objects.filter(pk=queryset.first().pk)._raw_delete(
            queryset.db
        )  # the other worker's delete, committed first
        return real_delete(queryset)

    with mock.patch.object(
        type(PendingEqualityAnswers.objects.all()), "delete", delete_after_the_other_worker
    ):
        assert equality_records_release(consultation_id=page.pk) == 0
    assert EqualityRecord.objects.count() == 0


def _table_order_sql(table):
    """The records in the order they sit in the table (not by any column)."""
    hidden = "ctid" if connection.vendor == "postgresql" else "rowid"
    return f"SELECT age_band, gender, disability FROM {table} ORDER BY {hidden}"


def _response_numbers_in_record_order(count):
    """Which response each record came with, in the table's, the ids' and the default order."""
    submitted = {_key(row): n for n, row in enumerate(EQUALITY_COMBINATIONS[:count])}
    # Each record's answers name the response they came with, for this test only.
    with connection.cursor() as cursor:
        cursor.execute(_table_order_sql(EqualityRecord._meta.db_table))
        in_table = [submitted[tuple(row)] for row in cursor.fetchall()]
    by_id = [submitted[_key(r)] for r in EqualityRecord.objects.order_by("pk").values()]
    default = [submitted[_key(r)] for r in EqualityRecord.objects.values()]
    return in_table, by_id, default


def _assert_records_written_apart_from_responses(count):
    """Each response in its own transaction, each batch of records in another."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT xmin::text FROM consultations_response")
        responses = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT DISTINCT xmin::text FROM consultations_equalityrecord")
        records = {row[0] for row in cursor.fetchall()}
    assert len(responses) == count and len(records) == count // EQUALITY_BATCH
    assert not responses & records


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_moved_records_do_not_follow_the_responses(home_page):
    """30 people answer, each with different equality answers, one after another.

    Each submission commits on its own (as on the site), so the task runs after
    the 10th, 20th and 30th. Then neither the records' place in the table,
    their ids, the default order, their dates nor the transaction that wrote
    them follows the order of the responses.
    """
    page = consultation_page(programme_page(home_page), equality_monitoring=True)
    count = 3 * EQUALITY_BATCH
    _submit_with_equality(page, count)
    assert PendingEqualityAnswers.objects.count() == 0
    assert EqualityRecord.objects.count() == count
    in_table, by_id, default = _response_numbers_in_record_order(count)
    for order in (in_table, by_id, default):
        assert sorted(order) == list(range(count))
        assert order != sorted(order) and order != sorted(order, reverse=True)
    # Within each batch the table's order is shuffled, not the responses'.
    for start in range(0, count, EQUALITY_BATCH):
        batch = in_table[start : start + EQUALITY_BATCH]
        assert batch != sorted(batch)
    months = set(EqualityRecord.objects.values_list("month", flat=True))
    assert months == {timezone.localdate().replace(day=1)}
    if connection.vendor == "postgresql":
        _assert_records_written_apart_from_responses(count)


def test_the_service_refuses_paper_entry_by_anyone_but_an_officer(page, resident):
    """Not only the paper page: the service itself asks `rules.can_enter_paper_responses`."""
    for who in (resident, None):
        with pytest.raises(Refused) as error:
            consultation_response_submit(
                consultation=page,
                answers=valid_answers(),
                channel=Response.PAPER,
                entered_by=who,
                received_on=timezone.localdate(),
            )
        assert error.value.code == "forbidden"
    _nothing_saved()


def test_only_a_signed_in_person_keeps_a_draft(page):
    from django.contrib.auth.models import AnonymousUser

    for nobody in (None, AnonymousUser()):
        with pytest.raises(NotEligible) as error:
            consultation_draft_save(consultation=page, user=nobody, answers={})
        assert error.value.code == "sign_in"
    _nothing_saved()


def test_a_draft_then_the_response_is_one_row_with_the_ward(page, resident):
    resident.ward = WardFactory()
    resident.save()
    draft = consultation_draft_save(consultation=page, user=resident, answers={})
    response = consultation_response_submit(
        consultation=page, answers=valid_answers(), user=resident
    )
    assert response.pk == draft.pk and response.status == Response.SUBMITTED
    assert response.ward == resident.ward == response.participation.ward
    with pytest.raises(ValidationError) as error:
        consultation_response_submit(consultation=page, answers=valid_answers(), user=resident)
    assert error.value.code == "already_responded"
