"""Recording responses: all or nothing, one per person, dates and audience."""

import datetime
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from commissioning.models import Participation
from consultations.models import Answer, EqualityRecord, Response
from consultations.services import (
    ALREADY_RESPONDED,
    consultation_draft_save,
    consultation_response_submit,
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


def test_equality_record_is_not_linked_to_the_response(page):
    ward = WardFactory(name="Brookside")
    consultation_response_submit(
        consultation=page,
        answers=valid_answers(),
        equality={"age_band": "25-34", "gender": "prefer-not", "ward": ward.slug},
    )
    record = EqualityRecord.objects.get()
    assert (record.age_band, record.gender, record.ethnicity, record.ward) == (
        "25-34",
        "prefer-not",
        "",
        "brookside",
    )
    field_names = {f.name for f in EqualityRecord._meta.get_fields()}
    assert "response" not in field_names
    assert not {"created_at", "user", "participation"} & field_names


def test_equality_is_ignored_when_monitoring_is_off(home_page):
    page = consultation_page(programme_page(home_page), equality_monitoring=False)
    consultation_response_submit(
        consultation=page, answers=valid_answers(), equality={"age_band": "25-34"}
    )
    assert EqualityRecord.objects.count() == 0


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
        mock.patch.object(EqualityRecord.objects, "create", side_effect=RuntimeError("disk full")),
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
