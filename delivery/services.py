"""Writes of delivery and review. Every entry point — the admin, the public
review form, the CSV import, the demo, a task — goes through these.

Changes to arrangements, commitments and indicators go through Wagtail's
create/edit actions, so each is a revision and a line in Wagtail's history;
commitments also get an entry on their public timeline.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.actions.create import CreateAction
from wagtail.actions.edit import EditAction
from wagtail.log_actions import log

from commissioning.exceptions import Refused
from commissioning.models import Participation, ProgrammePage, ProgrammeStage
from commissioning.services import engagement_assert_can_respond, participation_record
from commissioning.stages import STAGE_LABELS

from . import rules
from .cycles import NEXT_CYCLES
from .imports import Problem, readings_parse
from .models import (
    Commitment,
    CommitmentUpdate,
    Indicator,
    Reading,
    ReviewDecision,
    ReviewResponse,
    ReviewScore,
)
from .models.commitments import DONE, NEEDS_REASON, STATUS_LABELS
from .notifications import commitment_notices_queue

# Arrangements


def _published_decision(decision, field="decision"):
    if decision is None or not decision.live:
        raise ValidationError({field: "Choose a published decision."}, code="unpublished")
    return decision


def _require(allowed, what):
    """Officers write delivery records: the same rule for the admin, an import and a task."""
    if not allowed:
        raise Refused(f"Only officers with the right permission can {what}.")


def _save(instance, *, user, created):
    verb = "add" if created else "change"
    _require(rules.can_save(user, instance), f"{verb} {instance._meta.verbose_name}s")
    action = CreateAction(instance, user=user) if created else EditAction(instance, user=user)
    return action.execute(skip_permission_checks=True)


def arrangement_save(*, arrangement, user, social_value_criteria=None):
    """Create or change a delivery arrangement (a revision and a history entry)."""
    decision = _published_decision(arrangement.decision)
    arrangement.programme_id = decision.get_parent().pk
    arrangement.full_clean(exclude=["programme", "latest_revision", "social_value_criteria"])
    created = arrangement.pk is None
    with transaction.atomic():
        arrangement = _save(arrangement, user=user, created=created)
        if social_value_criteria is not None:
            arrangement.social_value_criteria.set(social_value_criteria)
    return arrangement


# Commitments

COMMITMENT_FIELDS = (
    "title",
    "description",
    "responsible",
    "due_on",
    "arrangement",
    "status",
    "status_reason",
    "progress",
)
COMMITMENT_M2M = ("outcomes", "social_value_criteria", "wards")


def _check_status(status, reason):
    if status not in STATUS_LABELS:
        raise ValidationError({"status": "Choose a status."}, code="status")
    if status in NEEDS_REASON and not (reason or "").strip():
        raise ValidationError(
            {
                "status_reason": f"Say why the commitment is {STATUS_LABELS[status].lower()}: "
                "the reason is published with it."
            },
            code="reason_required",
        )


def _check_arrangement(arrangement, programme_id):
    if arrangement is not None and arrangement.programme_id != programme_id:
        raise ValidationError(
            {"arrangement": "Choose a service commissioned in the same programme."},
            code="arrangement",
        )


def _normalise(values):
    """Status rules that follow from the status itself."""
    if values.get("status") == DONE:
        values["progress"] = 100
    if values.get("status") not in NEEDS_REASON:
        values["status_reason"] = ""
    values["status_reason"] = (values.get("status_reason") or "").strip()
    progress = values.get("progress") or 0
    if not 0 <= progress <= 100:
        raise ValidationError({"progress": "Enter a percentage from 0 to 100."})
    return values


def commitment_create(*, decision_item, user, happened_on=None, m2m=None, **fields):
    """A commitment from a "we did" item of a published decision.

    `fields` are those of COMMITMENT_FIELDS; `m2m` maps outcomes,
    social_value_criteria and wards to iterables.
    """
    if decision_item is None:
        raise ValidationError({"decision_item": "Choose the “we did” item this delivers."})
    decision = _published_decision(decision_item.decision, field="decision_item")
    values = {"status": "planned", "progress": 0, "status_reason": "", **fields}
    _check_status(values["status"], values["status_reason"])
    values = _normalise(values)
    programme_id = decision.get_parent().pk
    _check_arrangement(values.get("arrangement"), programme_id)
    commitment = Commitment(
        programme_id=programme_id, decision=decision, decision_item=decision_item, **values
    )
    commitment.full_clean(exclude=["programme", "decision", "latest_revision", *COMMITMENT_M2M])
    with transaction.atomic():
        commitment = _save(commitment, user=user, created=True)
        for name, objects in (m2m or {}).items():
            getattr(commitment, name).set(objects)
        CommitmentUpdate.objects.create(
            commitment=commitment,
            happened_on=happened_on or timezone.localdate(),
            kind=CommitmentUpdate.CREATED,
            status=commitment.status,
            progress=commitment.progress,
            text=commitment.status_reason,
            author=user,
        )
    return commitment


def _update_kind(old, new, note):
    if new.status != old.status:
        return CommitmentUpdate.STATUS
    if new.progress != old.progress:
        return CommitmentUpdate.PROGRESS
    changed = any(getattr(old, f) != getattr(new, f) for f in COMMITMENT_FIELDS)
    if changed or note:
        return CommitmentUpdate.EDITED
    return None


def _check_change(changes, note, happened_on):
    """(note, happened_on) cleaned; unknown fields are a programming error."""
    unknown = set(changes) - set(COMMITMENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown commitment fields: {', '.join(sorted(unknown))}")
    note = (note or "").strip()
    happened_on = happened_on or timezone.localdate()
    if happened_on > timezone.localdate():
        raise ValidationError({"update_on": "The date of the update cannot be in the future."})
    return note, happened_on


def _change_apply(*, old, current, changes, note, m2m):
    """Set the changed values on `current`; the kind of timeline entry the change makes."""
    values = {f: getattr(old, f) for f in COMMITMENT_FIELDS} | changes
    _check_status(values["status"], values["status_reason"])
    values = _normalise(values)
    _check_arrangement(values.get("arrangement"), old.programme_id)
    for name, value in values.items():
        setattr(current, name, value)
    kind = _update_kind(old, current, note)
    m2m_changed = _m2m_changed(old, m2m)
    if kind is None and not m2m_changed:
        raise ValidationError(
            "Nothing has changed: this commitment already says that.", code="unchanged"
        )
    return kind or CommitmentUpdate.EDITED


def _change_entry(*, old, current, kind, happened_on, note, user):
    """The timeline entry; a change of status shows its reason, when given, as the text."""
    status_changed = kind == CommitmentUpdate.STATUS
    return CommitmentUpdate.objects.create(
        commitment=current,
        happened_on=happened_on,
        kind=kind,
        status=current.status,
        previous_status=old.status if status_changed else "",
        progress=current.progress,
        text=current.status_reason if status_changed and current.status_reason else note,
        author=user,
    )


def commitment_change(
    *, commitment, user, note="", happened_on=None, notify=True, m2m=None, **changes
):
    """Change a commitment: a timeline entry, a revision, and (when its status
    changes) an email owed to the people who asked to hear back.

    The row is locked first, so two officers marking it done at once record
    one change; the second is told nothing changed.
    """
    note, happened_on = _check_change(changes, note, happened_on)
    with transaction.atomic():
        old = Commitment.objects.select_for_update().get(pk=commitment.pk)
        current = Commitment.objects.get(pk=commitment.pk)
        kind = _change_apply(old=old, current=current, changes=changes, note=note, m2m=m2m)
        if kind == CommitmentUpdate.STATUS:
            current.status_changed_at = timezone.now()
        current.full_clean(
            exclude=["programme", "decision", "decision_item", "latest_revision", *COMMITMENT_M2M]
        )
        current = _save(current, user=user, created=False)
        for name, objects in (m2m or {}).items():
            getattr(current, name).set(objects)
        update = _change_entry(
            old=old, current=current, kind=kind, happened_on=happened_on, note=note, user=user
        )
        if kind == CommitmentUpdate.STATUS and notify:
            commitment_notices_queue(update=update)
    return current


def _m2m_changed(old, m2m):
    for name, objects in (m2m or {}).items():
        before = set(getattr(old, name).values_list("pk", flat=True))
        if before != {getattr(o, "pk", o) for o in objects}:
            return True
    return False


# Indicators and readings


def indicator_save(*, indicator, user):
    if indicator.commitment_id is None:
        raise ValidationError({"commitment": "Choose the commitment this indicator measures."})
    indicator.full_clean(exclude=["latest_revision"])
    with transaction.atomic():
        return _save(indicator, user=user, created=indicator.pk is None)


def _check_reading(indicator, measured_on, value):
    if measured_on is None:
        raise ValidationError({"measured_on": "Enter the date of the reading."})
    if measured_on > timezone.localdate():
        raise ValidationError({"measured_on": "The date of a reading cannot be in the future."})
    if value is None:
        raise ValidationError({"value": "Enter the value measured."})
    if Reading.objects.filter(indicator=indicator, measured_on=measured_on).exists():
        raise ValidationError(
            {
                "measured_on": f"There is already a reading of “{indicator}” for "
                f"{measured_on:%-d %B %Y}."
            },
            code="duplicate",
        )


def reading_record(*, indicator, measured_on, value, user, note="", source=Reading.OFFICER):
    """One dated reading; one per indicator per date."""
    _require(rules.can_record_readings(user, indicator), "record readings")
    _check_reading(indicator, measured_on, value)
    reading = Reading(
        indicator=indicator,
        measured_on=measured_on,
        value=value,
        note=note or "",
        source=source,
        entered_by=user,
    )
    try:
        with transaction.atomic():
            return _save(reading, user=user, created=True)
    except IntegrityError as error:
        # The same reading sent twice at once: the first one stands.
        raise ValidationError(
            {"measured_on": "There is already a reading for that date."}, code="duplicate"
        ) from error


class ImportRefused(ValidationError):
    """A readings file with problems: nothing was imported. `problems` says what and where."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__(
            f"Nothing was imported: the file has {len(problems)} "
            f"problem{'s' if len(problems) != 1 else ''}.",
            code="import_refused",
        )


def readings_import(*, data, user, indicators=None):
    """Import readings from CSV bytes: all of them, or none with a refusal report."""
    _require(rules.can_record_readings(user), "import readings")
    indicators = indicators if indicators is not None else Indicator.objects.all()
    by_reference = {i.reference: i for i in indicators}
    existing = set(
        Reading.objects.filter(indicator__in=list(by_reference.values())).values_list(
            "indicator_id", "measured_on"
        )
    )
    result = readings_parse(data, indicators=by_reference, existing=existing)
    if result.problems:
        raise ImportRefused(result.problems)
    with transaction.atomic():
        try:
            created = Reading.objects.bulk_create(
                [
                    Reading(
                        indicator=row.indicator,
                        measured_on=row.measured_on,
                        value=row.value,
                        note=row.note,
                        source=Reading.IMPORT,
                        entered_by=user,
                    )
                    for row in result.readings
                ]
            )
        except IntegrityError as error:
            raise ImportRefused(
                [Problem(0, "Readings for these dates were added meanwhile. Import again.")]
            ) from error
        for indicator in {row.indicator for row in result.readings}:
            count = sum(1 for row in result.readings if row.indicator == indicator)
            log(
                instance=indicator,
                action="delivery.readings_import",
                user=user,
                data={"readings": count},
            )
    return created


# Service reviews

ALREADY_REVIEWED = "You have already reviewed this service. Thank you."


def review_outcomes(review):
    """The outcomes a review scores: its programme's."""
    programme = ProgrammePage.objects.filter(path=review.path[: -review.steplen]).first()
    return list(programme.outcomes.order_by("title", "pk")) if programme else []


def _clean_scores(scores, outcomes):
    known = {o.pk: o for o in outcomes}
    cleaned, problems = [], {}
    for outcome_id, (score, reason) in (scores or {}).items():
        outcome = known.get(int(outcome_id))
        if outcome is None:
            raise ValidationError(
                "That outcome is not one this review asks about.", code="outcome"
            )
        if score in (None, ""):
            if (reason or "").strip():
                problems[f"score_{outcome.pk}"] = "Choose a score, or clear what you wrote."
            continue
        if int(score) not in range(1, 6):
            problems[f"score_{outcome.pk}"] = "Choose a score from 1 to 5."
            continue
        cleaned.append((outcome, int(score), (reason or "").strip()))
    if problems:
        raise ValidationError(problems)
    if not cleaned:
        raise ValidationError(
            "Score the service against at least one of the outcomes.", code="no_scores"
        )
    return cleaned


def review_response_submit(
    *,
    review,
    relationship,
    scores,
    user=None,
    comment="",
    wants_feedback=False,
    email="",
    channel=Participation.WEB,
    now=None,
):
    """Record one review: scores 1–5 against the programme's outcomes, and why.

    `scores` maps outcome id -> (score or None, reason). One response per
    signed-in person; everything is saved in one transaction or nothing is.
    """
    if user is not None and not user.is_authenticated:
        user = None
    if relationship not in dict(ReviewResponse.RELATIONSHIPS):
        raise ValidationError({"relationship": "Say how you know the service."})
    if review.users_only and relationship not in ReviewResponse.USER_RELATIONSHIPS:
        raise ValidationError(
            {
                "relationship": "This review is for people who use the service, or care "
                "for someone who does."
            },
            code="not_a_user",
        )
    cleaned = _clean_scores(scores, review_outcomes(review))
    with transaction.atomic():
        engagement_assert_can_respond(engagement=review, user=user, channel=channel, now=now)
        if user is not None and ReviewResponse.objects.filter(review=review, user=user).exists():
            raise ValidationError(ALREADY_REVIEWED, code="already_responded")
        participation = participation_record(
            engagement=review,
            user=user,
            email=email if wants_feedback else "",
            channel=channel,
            wants_feedback=wants_feedback,
        )
        try:
            with transaction.atomic():
                response = ReviewResponse.objects.create(
                    review=review,
                    user=user,
                    participation=participation,
                    relationship=relationship,
                    comment=(comment or "").strip(),
                    created_at=now or timezone.now(),
                )
        except IntegrityError as error:
            raise ValidationError(ALREADY_REVIEWED, code="already_responded") from error
        ReviewScore.objects.bulk_create(
            [
                ReviewScore(response=response, review=review, outcome=o, score=s, reason=r)
                for o, s, r in cleaned
            ]
        )
    return response


def review_responses_anonymise(user):
    """Keep the scores (results keep their totals); forget who and what they wrote."""
    with transaction.atomic():
        responses = ReviewResponse.objects.filter(user=user)
        ReviewScore.objects.filter(response__in=responses).update(reason="")
        responses.update(user=None, comment="")


# Review decisions and the next cycle


def _add_stages(programme, planned, user):
    """Add the next cycle's stages to the programme, as a revision in its history.

    If an editor has unpublished changes, they stay a draft (with the new
    stages in it) and the stages are added to the live page too; otherwise
    the new revision is published.
    """
    had_draft = programme.has_unpublished_changes
    draft = programme.get_latest_revision_as_object()
    for stage, starts_on, ends_on in planned:
        draft.stages.add(ProgrammeStage(stage=stage, starts_on=starts_on, ends_on=ends_on))
    revision = draft.save_revision(user=user, log_action=True)
    if had_draft:
        last = programme.stages.order_by("-sort_order").values_list("sort_order", flat=True)
        order = (last.first() or 0) + 1
        for offset, (stage, starts_on, ends_on) in enumerate(planned):
            ProgrammeStage.objects.create(
                programme=programme,
                stage=stage,
                starts_on=starts_on,
                ends_on=ends_on,
                sort_order=order + offset,
            )
    else:
        revision.publish(user=user, skip_permission_checks=True)


def review_decision_record(
    *,
    programme,
    outcome,
    reason,
    decided_on,
    next_cycle_starts_on,
    user,
    review=None,
    arrangement=None,
):
    """Record what the council decided after a review, and start the next cycle.

    Once per review: the programme is locked while the decision is written,
    so two officers recording at once make one decision and one set of stages.
    """
    _require(rules.can_record_review_decision(user, programme), "record review decisions")
    kind = NEXT_CYCLES.get(outcome)
    if kind is None:
        raise ValidationError({"outcome": "Choose what the council decided."})
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why: the reason is published."})
    if decided_on is None or decided_on > timezone.localdate():
        raise ValidationError({"decided_on": "Enter the date of the decision, not in the future."})
    if next_cycle_starts_on is None or next_cycle_starts_on < decided_on:
        raise ValidationError(
            {"next_cycle_starts_on": "The next cycle must start on or after the decision."}
        )
    with transaction.atomic():
        programme = ProgrammePage.objects.select_for_update().get(pk=programme.pk)
        if review is not None:
            if not review.path.startswith(programme.path):
                raise ValidationError({"review": "Choose a review of this programme."})
            if ReviewDecision.objects.filter(review=review).exists():
                raise ValidationError(
                    {
                        "review": ValidationError(
                            "A decision has already been recorded for this review.",
                            code="already_decided",
                        )
                    }
                )
        _check_arrangement(arrangement, programme.pk)
        planned = kind.plan(next_cycle_starts_on)
        decision = ReviewDecision.objects.create(
            programme=programme,
            review=review,
            arrangement=arrangement,
            outcome=outcome,
            reason=reason.strip(),
            decided_on=decided_on,
            next_cycle_starts_on=next_cycle_starts_on,
            decided_by=user,
            stages_added=[
                {
                    "stage": s,
                    "label": STAGE_LABELS[s],
                    "starts_on": a.isoformat(),
                    "ends_on": b.isoformat(),
                }
                for s, a, b in planned
            ],
        )
        log(instance=decision, action="wagtail.create", user=user, content_changed=True)
        _add_stages(programme, planned, user)
    return decision
