"""Writes: drafts and submitted responses.

Every entry point (the web questionnaire, an officer's paper entry, the demo)
records a response through `consultation_response_submit`, which re-checks
every answer against the live questionnaire and the engagement's dates and
audience, and writes the response, its answer rows, its equality answers and
the participation in one transaction: either all of it is saved or none.

Equality answers are written to `PendingEqualityAnswers` with the response,
then moved by `equality_records_release` (a task) into `EqualityRecord` in
shuffled batches, so that once moved they cannot be tied back to the response.
"""

import datetime
import random

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning.demographics import ATTRIBUTES, PREFER_NOT_TO_SAY
from commissioning.exceptions import NotEligible, Refused
from commissioning.models import Participation, Ward
from commissioning.rules import is_signed_in
from commissioning.services import (
    engagement_assert_can_respond,
    participation_record,
    response_for_person,
)

from . import rules
from .models import (
    EQUALITY_FIELDS,
    Answer,
    ConsultationPage,
    EqualityRecord,
    PendingEqualityAnswers,
    Response,
)
from .questions import STALE_MESSAGE

ALREADY_RESPONDED = "You have already responded to this consultation. Thank you."
# Equality answers are moved into EqualityRecord this many at a time (at least),
# so a record can only be narrowed down to a batch of this many responses.
EQUALITY_BATCH = 10


def _already_responded():
    return ValidationError(ALREADY_RESPONDED, code="already_responded")


def consultation_draft_save(*, consultation, user, answers=None, equality=None, now=None):
    """Keep a signed-in resident's answers so far; they can come back to them.

    `answers` are merged into the draft by question id (one section at a
    time); answers are checked again on submission.
    """
    if not is_signed_in(user):
        raise NotEligible("Sign in to save your answers and come back to them.", code="sign_in")
    engagement_assert_can_respond(engagement=consultation, user=user, now=now)
    with transaction.atomic():
        response, _ = response_for_person(model=Response, engagement=consultation, user=user)
        if response.status == Response.SUBMITTED:
            raise _already_responded()
        draft = dict(response.draft or {})
        if answers is not None:
            draft["answers"] = {**draft.get("answers", {}), **answers}
        if equality is not None:
            draft["equality"] = equality
        response.draft = draft
        response.save(update_fields=["draft", "updated_at"])
    return response


def equality_clean(equality):
    """Check equality monitoring values; every one may be left blank."""
    known = {
        key: {v for v, _ in choices} | {PREFER_NOT_TO_SAY[0]}
        for key, (_, choices) in ATTRIBUTES.items()
    }
    cleaned = {}
    for key in EQUALITY_FIELDS:
        value = (equality or {}).get(key) or ""
        if not isinstance(value, str):
            raise ValidationError({key: "Choose one of the options shown."})
        if key == "ward":
            allowed = value in ("", EqualityRecord.OUTSIDE, PREFER_NOT_TO_SAY[0])
            if not allowed and not Ward.objects.filter(slug=value).exists():
                raise ValidationError({key: "Choose one of the wards shown."})
        elif value and value not in known[key]:
            raise ValidationError({key: "Choose one of the options shown."})
        cleaned[key] = value
    return cleaned


def _as_of(received_on):
    """A paper response counts as of midday on the day it was received."""
    return timezone.make_aware(datetime.datetime.combine(received_on, datetime.time(12)))


def _check_answers(*, consultation, answers, channel, structure_hash):
    questionnaire = consultation.questionnaire
    if structure_hash is not None and structure_hash != questionnaire.structure_hash():
        raise ValidationError(STALE_MESSAGE, code="stale")
    problems = questionnaire.validate(answers, enforce_required=channel == Response.WEB)
    if problems:
        raise ValidationError(problems)


def _check_paper(*, answers, received_on):
    if not any(value not in (None, "", []) for value in answers.values()):
        raise ValidationError("Enter at least one answer from the paper response.", code="empty")
    if received_on is None:
        raise ValidationError({"received_on": "Enter the date the response was received."})


def _response_to_submit(*, consultation, user):
    """The signed-in person's draft, locked, or a new response; refused if sent."""
    if user is None:
        return Response(consultation=consultation)
    response, _ = response_for_person(model=Response, engagement=consultation, user=user)
    if response.status == Response.SUBMITTED:
        raise _already_responded()
    return response


def _answer_rows(*, consultation, response, answers):
    return [
        Answer(response=response, consultation=consultation, question_id=question.id, **row)
        for question in consultation.questionnaire.questions
        for row in question.rows(answers.get(question.id))
    ]


def consultation_response_submit(
    *,
    consultation,
    answers,
    user=None,
    equality=None,
    channel=Response.WEB,
    wants_feedback=False,
    email="",
    entered_by=None,
    received_on=None,
    structure_hash=None,
    now=None,
):
    """Record a complete response, or raise ValidationError and save nothing.

    Problems with answers are raised as {question_id: message}; a
    `structure_hash` that is not the live questionnaire's means the questions
    changed after the person loaded them (code "stale").
    """
    if not is_signed_in(user):
        user = None
    _check_answers(
        consultation=consultation, answers=answers, channel=channel, structure_hash=structure_hash
    )
    equality = equality_clean(equality) if consultation.equality_monitoring and equality else None
    if channel == Response.PAPER:
        if not rules.can_enter_paper_responses(entered_by, consultation):
            raise Refused("Only officers can enter paper responses.")
        _check_paper(answers=answers, received_on=received_on)
        user = None
        now = _as_of(received_on)
    now = now or timezone.now()
    participation_channel = Participation.PAPER if channel == Response.PAPER else Participation.WEB
    with transaction.atomic():
        engagement_assert_can_respond(
            engagement=consultation, user=user, channel=participation_channel, now=now
        )
        response = _response_to_submit(consultation=consultation, user=user)
        response.participation = participation_record(
            engagement=consultation,
            user=user,
            email=email if wants_feedback and user is None else "",
            channel=participation_channel,
            wants_feedback=wants_feedback,
        )
        response.status = Response.SUBMITTED
        response.channel = channel
        response.draft = {}
        response.structure_hash = consultation.questionnaire.structure_hash()
        response.entered_by = entered_by
        response.received_on = received_on
        response.ward = response.participation.ward
        response.submitted_at = timezone.now() if channel == Response.WEB else now
        response.save()
        Answer.objects.bulk_create(
            _answer_rows(consultation=consultation, response=response, answers=answers)
        )
        if equality and any(equality.values()):
            _equality_pending_add(consultation=consultation, equality=equality, when=now)
    return response


def _month(when):
    return timezone.localdate(when).replace(day=1)


def _equality_pending_add(*, consultation, equality, when):
    """Keep the answers until their batch is moved (inside the response's transaction)."""
    from .tasks import equality_records_release_task

    PendingEqualityAnswers.objects.create(
        consultation=consultation, month=_month(when), **equality
    )
    pending = PendingEqualityAnswers.objects.filter(consultation=consultation).count()
    if pending >= EQUALITY_BATCH or not consultation.is_open():
        transaction.on_commit(lambda: equality_records_release_task.enqueue(consultation.pk))
    elif pending == 1:
        # The first of a batch: make sure the remainder moves once it closes.
        transaction.on_commit(
            lambda: equality_records_release_task_at_close(consultation=consultation)
        )


def equality_records_release_task_at_close(*, consultation):
    """Queue a release for when `consultation` closes, if the task backend can defer."""
    from .tasks import equality_records_release_task

    if equality_records_release_task.get_backend().supports_defer:
        equality_records_release_task.using(run_after=consultation.closes_at).enqueue(
            consultation.pk
        )


def _equality_top_up(*, consultation_id, count):
    """Take up to `count` records already moved out, at random, to move again with a
    remainder smaller than a batch (they get new ids and new places)."""
    if count <= 0:
        return []
    taken = list(
        EqualityRecord.objects.filter(consultation_id=consultation_id).order_by("?")[:count]
    )
    EqualityRecord.objects.filter(pk__in=[record.pk for record in taken]).delete()
    return [record.answers() for record in taken]


def equality_records_release(*, consultation_id, now=None):
    """Move one consultation's pending equality answers into `EqualityRecord`.

    Nothing moves until at least `EQUALITY_BATCH` are pending, unless the
    consultation has closed: then the remainder moves too, with records
    already moved taken out and written again beside it so that the batch
    is still `EQUALITY_BATCH` long (if there are that many). The batch is
    shuffled with the system's random source and written in a transaction of
    its own with new random ids, so neither the records' order in the table,
    their ids nor that transaction follow the responses'. Returns how many
    pending answers were moved; safe to run at once from several workers (a
    pending row moves once).
    """
    consultation = ConsultationPage.objects.filter(pk=consultation_id).first()
    if consultation is None:
        return 0
    with transaction.atomic():
        pending = list(
            PendingEqualityAnswers.objects.select_for_update().filter(
                consultation_id=consultation_id
            )
        )
        closed = consultation.state(now) == "closed"
        if not pending or (len(pending) < EQUALITY_BATCH and not closed):
            return 0
        deleted, _ = PendingEqualityAnswers.objects.filter(
            pk__in=[row.pk for row in pending]
        ).delete()
        if deleted != len(pending):
            # Another worker moved some of them meanwhile: leave it to that one.
            transaction.set_rollback(True)
            return 0
        batch = [row.answers() for row in pending]
        batch += _equality_top_up(
            consultation_id=consultation_id, count=EQUALITY_BATCH - len(batch)
        )
        random.SystemRandom().shuffle(batch)
        EqualityRecord.objects.bulk_create(
            [EqualityRecord(consultation_id=consultation_id, **answers) for answers in batch]
        )
    return len(pending)


def equality_records_release_closed(*, now=None):
    """Move the remainders of every closed consultation (for a scheduler or the command)."""
    closed = ConsultationPage.objects.closed(now).values("pk")
    ids = (
        PendingEqualityAnswers.objects.filter(consultation__in=closed)
        .values_list("consultation_id", flat=True)
        .distinct()
        .order_by("consultation_id")
    )
    return sum(equality_records_release(consultation_id=pk, now=now) for pk in list(ids))


def consultation_responses_anonymise(user):
    """For account deletion: keep the counts, forget the person.

    Submitted responses stay (results and exports keep their totals) but lose
    their link to the account, and written answers, where names and contact
    details could be, are removed. Unsent drafts are deleted.
    """
    with transaction.atomic():
        Response.objects.filter(user=user).drafts().delete()
        responses = Response.objects.filter(user=user)
        Answer.objects.filter(response__in=responses, choice="").delete()
        Answer.objects.filter(response__in=responses).exclude(text="").update(text="")
        responses.update(user=None)


def equality_records_retain(before):
    """Delete the equality monitoring records of consultations that closed before `before`.

    The records carry no date of their own (so they cannot be tied to a
    response), so the period counts from the consultation's close.
    """
    _, deleted = EqualityRecord.objects.filter(consultation__closes_at__lt=before).delete()
    return deleted.get(EqualityRecord._meta.label, 0)
