"""Writes for panels: applications, quotas, the lottery, membership, scores, recommendation.

Every rule (open dates, one application per person, quotas, who may score,
one draw at a time) lives here, so the web forms, the admin and the tasks
obey the same rules. Refusals are `ValidationError`s with a message for people;
what a person may not do is `commissioning.exceptions.Refused`.
"""

import secrets
import time
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.log_actions import log

from commissioning.exceptions import Refused
from commissioning.models import Participation
from commissioning.services import engagement_assert_can_respond, participation_record

from . import rules
from .attributes import ATTRIBUTE_KEYS, WARD, attribute_choices
from .draw import DrawError, draw
from .invitations import (  # noqa: E402,F401 - the invitation services, re-exported
    addresses_clear,
    addresses_import,
    addresses_purge,
    addresses_purge_due,
    invitations_draw,
    letters_make,
    letters_request,
)
from .models import (
    Application,
    LotteryEntry,
    LotteryRun,
    Option,
    PanelPage,
    Quota,
    Recommendation,
    Score,
)
from .models.appraisal import (
    MAX_SCORE,
    MIN_SCORE,
    RATIONALE_MAX_LENGTH,
    RECOMMENDATION_MAX_LENGTH,
)
from .models.recruitment import ACCESS_NEEDS_MAX_LENGTH
from .notifications import registration_confirm
from .selectors import panel_has_ended

# ---------------------------------------------------------------- recruitment


def _assert_taking_applications(panel):
    if LotteryRun.objects.filter(panel=panel).draws_started().exists():
        raise ValidationError(
            "This panel has been drawn, so it no longer takes applications. If a member "
            "leaves, their replacement is drawn from the people who applied before the draw.",
            code="drawn",
        )


def _application_fields(data):
    """The application's answers from a form's cleaned data, checked."""
    if len(data.get("access_needs") or "") > ACCESS_NEEDS_MAX_LENGTH:
        raise ValidationError(
            {
                "access_needs": f"Keep what we should arrange to {ACCESS_NEEDS_MAX_LENGTH:,} "
                "characters or fewer. We will call or email you to talk about it."
            }
        )
    if not data.get("consent"):
        raise ValidationError(
            {"consent": "Tick the box to agree to the use of your answers for the selection."}
        )
    fields = {
        "name": data["name"],
        "phone": data.get("phone", ""),
        "postcode": data.get("postcode", ""),
        "ward": data.get("ward"),
        "availability": list(data.get("availability") or []),
        "access_needs": data.get("access_needs", ""),
    }
    for key in ATTRIBUTE_KEYS:
        if key != WARD:
            fields[key] = data.get(key) or ""
    return fields


def _application_create(*, panel, user, email, fields, channel, participation_channel, **extra):
    """Create the application and its participation record in one transaction."""
    participation = participation_record(
        engagement=panel,
        user=user,
        email=email,
        ward=fields["ward"],
        channel=participation_channel,
        wants_feedback=bool(email),
    )
    return Application.objects.create(
        panel=panel,
        user=user if user is not None and user.is_authenticated else None,
        participation=participation,
        email=email,
        consent=True,
        channel=channel,
        **fields,
        **extra,
    )


def application_submit(*, panel, user, data, channel=Participation.WEB, now=None):
    """Record an application. `data` holds the form's cleaned answers.

    An application is taking part in the recruitment stage, so it is also a
    participation record (same transaction).
    """
    engagement_assert_can_respond(engagement=panel, user=user, channel=channel, now=now)
    _assert_taking_applications(panel)
    fields = _application_fields(data)
    email = (data.get("email") or getattr(user, "email", "")).strip().lower()
    if not email:
        raise ValidationError({"email": "Enter your email address."})
    try:
        with transaction.atomic():
            application = _application_create(
                panel=panel,
                user=user,
                email=email,
                fields=fields,
                channel=Application.ONLINE,
                participation_channel=channel,
            )
    except IntegrityError:
        raise ValidationError(
            "You have already applied to this panel. We will email you when the draw has been made.",
            code="duplicate",
        ) from None
    return application


UNKNOWN_CODE = (
    "We cannot find that code. Check it against your letter: it has 8 letters and numbers, "
    "like ABCD-2345 (there is no letter O or I, and no number 0 or 1)."
)
USED_CODE = (
    "Someone at your address has already registered with this code: only one person per "
    "household can register. Thank you for your interest. If you think this is a mistake, "
    "phone the number on your letter."
)


def invitation_for_code(*, code, for_update=False):
    """The invitation a code belongs to, if it can still register; else a kind refusal."""
    from .invitations import CODE_LENGTH, normalise_code
    from .models import Invitation

    code = normalise_code(code)
    invitations = Invitation.objects.select_related("panel", "address", "ward")
    if for_update:
        invitations = invitations.select_for_update(of=("self",))
    invitation = invitations.filter(code=code).first() if len(code) == CODE_LENGTH else None
    if invitation is None:
        raise ValidationError({"code": ValidationError(UNKNOWN_CODE, code="unknown_code")})
    if Application.objects.filter(invitation=invitation).exists():
        raise ValidationError({"code": ValidationError(USED_CODE, code="used_code")})
    return invitation


def _registration_channel(*, panel, channel, entered_by):
    if channel not in (Application.LETTER, *Application.ASSISTED):
        raise ValidationError({"channel": "Choose how the registration came in."})
    if channel in Application.ASSISTED:
        if entered_by is None or not rules.is_panel_officer(entered_by, panel):
            raise Refused("Only this panel's officers can enter phone and paper registrations.")
        return Participation.PAPER
    return Participation.WEB


def registration_submit(
    *, code, data, channel=Application.LETTER, entered_by=None, panel=None, now=None
):
    """Register the household invited with `code`: an application without an account.

    The invitation proves the person lives in the borough (so the panel's
    audience rule is met); the ward is the invited address's. One registration
    per code, decided under a row lock on the invitation. `panel`, when given
    (an officer's entry on one panel's page), must be the code's panel.
    """
    from commissioning.services import engagement_assert_open

    email = (data.get("email") or "").strip().lower()
    if not email and not (data.get("phone") or "").strip():
        raise ValidationError(
            {"email": "Give an email address or a phone number, so we can tell you the result."}
        )
    try:
        with transaction.atomic():
            invitation = invitation_for_code(code=code, for_update=True)
            if panel is not None and invitation.panel_id != panel.pk:
                message = f"That code is for another panel ({invitation.panel.title})."
                raise ValidationError({"code": ValidationError(message, code="other_panel")})
            panel = invitation.panel
            participation_channel = _registration_channel(
                panel=panel, channel=channel, entered_by=entered_by
            )
            engagement_assert_open(engagement=panel, now=now)
            _assert_taking_applications(panel)
            fields = _application_fields(data)
            fields["ward"] = invitation.ward
            if invitation.address_id:
                fields["postcode"] = invitation.address.postcode
            application = _application_create(
                panel=panel,
                user=None,
                email=email,
                fields=fields,
                channel=channel,
                participation_channel=participation_channel,
                invitation=invitation,
                entered_by=entered_by,
            )
            registration_confirm(application)
    except IntegrityError:
        raise ValidationError(
            {"email": "Someone has already applied to this panel with this email address."},
            code="duplicate",
        ) from None
    return application


def applications_close(*, panel, user, now=None):
    """An officer closes applications before their closing date, so the panel can be drawn.

    A conditional update: two officers pressing at once close it once. The
    page's closing date moves to now (so every listing agrees) and stays there
    if an older draft is published (`PanelPage.with_content_json`).
    """
    if not rules.is_panel_officer(user, panel):
        raise Refused("Only this panel's officers can close its applications.")
    now = now or timezone.now()
    with transaction.atomic():
        was = PanelPage.objects.filter(pk=panel.pk).values_list("closes_at", flat=True).first()
        closed = PanelPage.objects.filter(
            pk=panel.pk, opens_at__lte=now, closes_at__gt=now
        ).update(closes_at=now, applications_closed_at=now)
        if not closed:
            raise ValidationError("Applications to this panel are not open.", code="not_open")
        log(
            instance=panel,
            action="panels.applications_close",
            user=user,
            data={"closes_at_was": was.isoformat() if was else None},
        )
    panel.closes_at = panel.applications_closed_at = now
    return panel


def _assert_applications_closed(panel, now=None):
    if panel.state(now) != "closed":
        raise ValidationError(
            "Applications are still open (until "
            f"{timezone.localtime(panel.closes_at):%-d %B %Y}). Close them before the draw, so "
            "that everyone who applies is in the pool: wait for the closing date or close "
            "them early on this page.",
            code="applications_open",
        )


# ---------------------------------------------------------------- quotas


def quota_set(*, panel, user, attribute, value, minimum, maximum):
    if not rules.is_panel_officer(user, panel):
        raise Refused("Only this panel's officers can set its quotas.")
    if attribute not in panel.attributes:
        raise ValidationError({"attribute": "This panel is not stratified on that attribute."})
    known = {v for v, _ in attribute_choices(attribute, _wards())} | {"prefer-not", "outside"}
    if value not in known:
        raise ValidationError({"value": f"“{value}” is not an answer to this question."})
    if minimum < 0 or maximum < 0:
        raise ValidationError("Quotas cannot be negative.")
    if minimum > maximum:
        raise ValidationError({"minimum": "The minimum cannot be more than the maximum."})
    if maximum > panel.seats:
        raise ValidationError(
            {"maximum": f"The maximum cannot be more than the {panel.seats} seats."}
        )
    quota, _ = Quota.objects.update_or_create(
        panel=panel,
        attribute=attribute,
        value=value,
        defaults={"minimum": minimum, "maximum": maximum},
    )
    return quota


def _wards():
    from commissioning.models import Ward

    return list(Ward.objects.only("slug", "name"))


def quotas_apply_proposals(*, panel, user):
    """Replace the panel's quotas with the population-based proposals."""
    from .selectors import quota_proposals

    if not rules.is_panel_officer(user, panel):
        raise Refused("Only this panel's officers can set its quotas.")
    if panel.lottery_runs.filter(status__in=[LotteryRun.QUEUED, LotteryRun.RUNNING]).exists():
        raise ValidationError("Quotas cannot change while a draw is running.")
    proposals = quota_proposals(panel=panel)
    with transaction.atomic():
        Quota.objects.filter(panel=panel).delete()
        Quota.objects.bulk_create(
            Quota(panel=panel, attribute=key, value=value, minimum=lo, maximum=hi)
            for key, values in proposals.items()
            for value, (lo, hi) in values.items()
        )
        log(instance=panel, action="panels.quotas_propose", user=user)
    return proposals


# ---------------------------------------------------------------- the lottery


def _new_seed():
    return secrets.randbelow(2**31 - 2) + 1


def lottery_announce(*, panel, user, kind=LotteryRun.DRAW, seed=None):
    """Fix and publish the seed of the next draw, before it runs."""
    if not rules.can_run_lottery(user, panel):
        raise Refused("Only this panel's officers can run its lottery.")
    completed = panel.lottery_runs.filter(kind=LotteryRun.DRAW, status=LotteryRun.COMPLETED)
    if kind == LotteryRun.DRAW:
        if completed.exists():
            raise ValidationError(
                "This panel has already been drawn. Draw replacements for members who withdraw instead.",
                code="already_drawn",
            )
        _assert_applications_closed(panel)
        seats = panel.seats
    else:
        if not completed.exists():
            raise ValidationError("Replacements can only be drawn after the first draw.")
        seats = panel.seats - Application.objects.members().filter(panel=panel).count()
        if seats <= 0:
            raise ValidationError(
                "No one has withdrawn: every seat is filled.", code="no_vacancies"
            )
        _assert_panel_not_ended(panel, "Replacements cannot be drawn")
    if seed is not None and not 0 < seed < 2**31:
        raise ValidationError(
            {"seed": "The seed must be a whole number between 1 and 2,147,483,647."}
        )
    try:
        with transaction.atomic():
            run = LotteryRun.objects.create(
                panel=panel,
                kind=kind,
                seats=seats,
                seed=seed or _new_seed(),
                algorithm_requested=panel.algorithm,
                created_by=user,
            )
            log(instance=run, action="panels.lottery_announce", user=user, data={"seed": run.seed})
    except IntegrityError:
        raise ValidationError(
            "Another draw for this panel is already announced or running. "
            "Wait for it to finish, or cancel it before it starts.",
            code="draw_in_progress",
        ) from None
    return run


# A queued or running draw older than this is taken to be stuck (its worker
# died): officers may then cancel it, which releases the panel for a new draw.
STUCK_AFTER = timedelta(hours=1)


def lottery_is_stuck(run, now=None):
    since = run.started_at or run.announced_at
    return (
        run.status in (LotteryRun.QUEUED, LotteryRun.RUNNING)
        and since < (now or timezone.now()) - STUCK_AFTER
    )


def lottery_cancel(*, run, user, now=None):
    """Cancel a draw that has not started, or one that is stuck."""
    if not rules.can_run_lottery(user, run.panel):
        raise Refused("Only this panel's officers can run its lottery.")
    cancellable = Q(status=LotteryRun.ANNOUNCED)
    if lottery_is_stuck(run, now):
        cancellable |= Q(status__in=[LotteryRun.QUEUED, LotteryRun.RUNNING])
    with transaction.atomic():
        cancelled = LotteryRun.objects.filter(cancellable, pk=run.pk).update(
            status=LotteryRun.CANCELLED, finished_at=timezone.now()
        )
        if not cancelled:
            raise ValidationError(
                "A draw that is running cannot be cancelled unless it has been stuck for an hour."
            )
        log(instance=run, action="panels.lottery_cancel", user=user, data={"seed": run.seed})
        # Applicants frozen into a stuck run's pool go back to waiting.
        run.entries.all().delete()
    run.refresh_from_db()
    return run


def lottery_start(*, run, user):
    """Check the quotas, freeze the pool and queue the draw.

    The status change is a conditional update, so two officers pressing
    "Run the draw" at once start it once; the second is told it is running.
    """
    from .selectors import feasibility
    from .tasks import lottery_draw_task

    panel = run.panel
    if not rules.can_run_lottery(user, panel):
        raise Refused("Only this panel's officers can run its lottery.")
    if run.status != LotteryRun.ANNOUNCED:
        raise ValidationError(
            "This draw has already been started; only one draw can run at a time.",
            code="draw_in_progress",
        )
    if run.kind == LotteryRun.DRAW:
        _assert_applications_closed(PanelPage.objects.get(pk=panel.pk))
    checked = feasibility(panel=panel, kind=run.kind, seats=run.seats)
    if checked["problems"]:
        raise ValidationError([p.message for p in checked["problems"]], code="infeasible")
    with transaction.atomic():
        started = LotteryRun.objects.filter(pk=run.pk, status=LotteryRun.ANNOUNCED).update(
            status=LotteryRun.QUEUED,
            quotas={k: {v: list(r) for v, r in vs.items()} for k, vs in checked["quotas"].items()},
            progress=1,
            progress_message="Waiting for a worker",
        )
        if not started:
            raise ValidationError(
                "This draw has already been started; only one draw can run at a time.",
                code="draw_in_progress",
            )
        LotteryEntry.objects.bulk_create(
            LotteryEntry(run=run, application_id=pk, attributes=attributes)
            for pk, attributes in checked["snapshot"].items()
        )
        log(instance=run, action="panels.lottery_start", user=user, data={"seed": run.seed})
        transaction.on_commit(lambda: lottery_draw_task.enqueue(run.pk))
    run.refresh_from_db()
    return run


class RunProgress:
    """Writes the library's progress events to the run, at most twice a second."""

    def __init__(self, run_id, start=10, end=90):
        self.run_id, self.start, self.end = run_id, start, end
        self.last = 0.0
        self.total = None

    def _save(self, progress, message, force=False):
        now = time.monotonic()
        if force or now - self.last > 0.5:
            self.last = now
            LotteryRun.objects.filter(pk=self.run_id).update(
                progress=progress, progress_message=(message or "")[:255]
            )

    def start_phase(self, name, total=None, *, message=None):
        self.total = total
        self._save(self.start, message, force=True)

    def update(self, current, *, message=None):
        # Loops with no known total approach the end without reaching it.
        share = min(1.0, current / self.total) if self.total else 1 - 1 / (1 + current / 10)
        self._save(int(self.start + (self.end - self.start) * share), message)

    def end_phase(self):
        pass


def lottery_execute(*, run_id):
    """Run a queued draw (called by the task) and record everything about it."""
    claimed = LotteryRun.objects.filter(pk=run_id, status=LotteryRun.QUEUED).update(
        status=LotteryRun.RUNNING,
        started_at=timezone.now(),
        progress=5,
        progress_message="Preparing the pool",
    )
    if not claimed:
        return None
    run = LotteryRun.objects.select_related("panel").get(pk=run_id)
    entries = list(run.entries.all())
    pool = {str(e.application_id): e.attributes for e in entries}
    quotas = {k: {v: tuple(r) for v, r in vs.items()} for k, vs in run.quotas.items()}
    try:
        result = draw(
            pool=pool,
            quotas=quotas,
            seats=run.seats,
            seed=run.seed,
            algorithm=run.algorithm_requested,
            progress=RunProgress(run.pk),
        )
    except Exception as error:  # noqa: BLE001 - any failure must release the panel's lock
        message = (
            str(error) if isinstance(error, DrawError) else f"{type(error).__name__}: {error}"
        )
        LotteryRun.objects.filter(pk=run.pk).update(
            status=LotteryRun.FAILED,
            error=message.strip() or "The solver could not find a panel.",
            finished_at=timezone.now(),
        )
        run.refresh_from_db()
        log(instance=run, action="panels.lottery_fail", data={"error": run.error[:500]})
        return run
    selected = {int(key) for key in result.selected}
    with transaction.atomic():
        if (
            not LotteryRun.objects.select_for_update()
            .filter(pk=run.pk, status=LotteryRun.RUNNING)
            .exists()
        ):
            return None  # cancelled as stuck while it ran: its result is not used
        for entry in entries:
            entry.probability = result.probabilities.get(str(entry.application_id), 0.0)
            entry.selected = entry.application_id in selected
        LotteryEntry.objects.bulk_update(entries, ["probability", "selected"], batch_size=500)
        pool_ids = [e.application_id for e in entries]
        # Someone who deleted their account while the draw ran has left the pool.
        Application.objects.in_pool().filter(pk__in=selected).update(status=Application.SELECTED)
        Application.objects.in_pool().filter(pk__in=pool_ids).exclude(pk__in=selected).update(
            status=Application.NOT_SELECTED
        )
        LotteryRun.objects.filter(pk=run.pk).update(
            status=LotteryRun.COMPLETED,
            algorithm_used=result.algorithm_used,
            min_probability=result.min_probability,
            report="\n".join(result.notes),
            progress=100,
            progress_message="Done",
            finished_at=timezone.now(),
        )
        run.refresh_from_db()
        log(
            instance=run,
            action="panels.lottery_complete",
            data={"selected": sorted(selected), "algorithm": result.algorithm_used},
        )
        from .tasks import lottery_notify_task

        transaction.on_commit(lambda: lottery_notify_task.enqueue(run.pk))
    return run


# ---------------------------------------------------------------- membership


def _assert_panel_not_ended(panel, doing):
    if panel_has_ended(panel=panel):
        raise ValidationError(
            f"{doing}: the panel has finished its work and published its recommendation.",
            code="panel_ended",
        )


def member_confirm(*, application, user):
    if application.user_id != user.pk or application.status != Application.SELECTED:
        raise Refused("Only a selected member can confirm their place.")
    _assert_panel_not_ended(application.panel, "There is no place to confirm")
    Application.objects.filter(
        pk=application.pk, status=Application.SELECTED, confirmed_at__isnull=True
    ).update(confirmed_at=timezone.now())
    application.refresh_from_db(fields=["confirmed_at"])
    return application


def member_withdraw(*, application, user):
    """A member leaves (or an officer records that they left); the seat can be redrawn.

    A conditional update: a second press (or an officer recording it at the
    same moment) finds the member already withdrawn and changes nothing.
    """
    own = application.user_id == user.pk
    if not own and not rules.is_panel_officer(user, application.panel):
        raise Refused("You can only withdraw yourself from a panel.")
    _assert_panel_not_ended(application.panel, "Members can no longer leave")
    now = timezone.now()
    with transaction.atomic():
        withdrawn = Application.objects.filter(
            pk=application.pk, status=Application.SELECTED
        ).update(status=Application.WITHDRAWN, withdrawn_at=now)
        if not withdrawn:
            raise Refused("Only a current member can withdraw.", code="not_member")
        log(instance=application, action="panels.member_withdraw", user=user)
    application.status, application.withdrawn_at = Application.WITHDRAWN, now
    return application


# ---------------------------------------------------------------- appraisal


def _check_score_value(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError(
            "Give a whole-number score from 0 to 5.", code="score_range"
        ) from None
    if str(value).strip() != str(number) or not MIN_SCORE <= number <= MAX_SCORE:
        raise ValidationError(
            f"A score must be a whole number from {MIN_SCORE} to {MAX_SCORE}.", code="score_range"
        )
    return number


def score_record(*, panel, user, option, criterion, value, rationale=""):
    if not rules.can_score(user, panel):
        raise Refused("Only members of this panel can score its options.")
    if option.panel_id != panel.pk:
        raise ValidationError("That option belongs to another panel.", code="wrong_panel")
    if criterion.panel_id != panel.pk:
        raise ValidationError("That criterion belongs to another panel.", code="wrong_panel")
    _assert_scoring_open(panel)
    number = _check_score_value(value)
    rationale = (rationale or "").strip()
    if len(rationale) > RATIONALE_MAX_LENGTH:
        raise ValidationError(
            f"Keep each reason to {RATIONALE_MAX_LENGTH:,} characters or fewer.",
            code="rationale_too_long",
        )
    score, _ = Score.objects.update_or_create(
        member=user,
        option=option,
        criterion=criterion,
        defaults={"value": number, "rationale": rationale},
    )
    return score


def _assert_scoring_open(panel):
    if panel_has_ended(panel=panel):
        raise ValidationError(
            "The panel has published its recommendation, so the scores are final. "
            "An officer can reopen the appraisal if the panel needs to change them.",
            code="appraisal_locked",
        )


def scores_record(*, panel, user, option, rows):
    """Record a member's scores for one option: rows of (criterion, value, rationale). All or nothing."""
    with transaction.atomic():
        return [
            score_record(panel=panel, user=user, option=option, criterion=c, value=v, rationale=r)
            for c, v, r in rows
        ]


def recommendation_save(*, panel, user, text):
    if not rules.can_edit_recommendation(user, panel):
        raise Refused("Only the panel's members and officers can write its recommendation.")
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Write the recommendation before saving it."})
    if len(text) > RECOMMENDATION_MAX_LENGTH:
        raise ValidationError(
            {
                "text": f"The recommendation is {len(text):,} characters long. Shorten it to "
                f"{RECOMMENDATION_MAX_LENGTH:,} or fewer: put long evidence in the meeting papers."
            }
        )
    with transaction.atomic():
        recommendation, created = Recommendation.objects.select_for_update().get_or_create(
            panel=panel, defaults={"text": text, "updated_by": user}
        )
        if recommendation.published_at is not None:
            raise ValidationError(_PUBLISHED, code="already_published")
        if not created:
            recommendation.text, recommendation.updated_by = text, user
            recommendation.save(update_fields=["text", "updated_by", "updated_at"])
    return recommendation


_PUBLISHED = (
    "The recommendation has already been published, and it can no longer be changed. "
    "An officer can reopen the appraisal if the panel needs to change it."
)


def recommendation_publish(*, panel, user):
    """Publish once: a conditional update, so two members pressing at once publish it once."""
    if not rules.can_edit_recommendation(user, panel):
        raise Refused("Only the panel's members and officers can publish its recommendation.")
    with transaction.atomic():
        published = Recommendation.objects.filter(panel=panel, published_at__isnull=True).update(
            published_at=timezone.now(), published_by=user
        )
        if not published:
            if not Recommendation.objects.filter(panel=panel).exists():
                raise ValidationError("Write the recommendation before publishing it.")
            raise ValidationError(_PUBLISHED, code="already_published")
        log(instance=panel, action="panels.recommendation_publish", user=user)
    return Recommendation.objects.get(panel=panel)


def appraisal_reopen(*, panel, user, reason=""):
    """An officer reopens a finished appraisal: the recommendation goes back to a draft.

    Members can then change their scores and the recommendation, and publish
    it again (once). Recorded in the panel's log with the reason.
    """
    if not rules.is_panel_officer(user, panel):
        raise Refused("Only this panel's officers can reopen its appraisal.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the appraisal is being reopened."})
    if len(reason) > 500:
        raise ValidationError({"reason": "Keep the reason to 500 characters or fewer."})
    with transaction.atomic():
        reopened = Recommendation.objects.filter(panel=panel, published_at__isnull=False).update(
            published_at=None, published_by=None
        )
        if not reopened:
            raise ValidationError(
                "The recommendation is not published, so the appraisal is already open.",
                code="not_published",
            )
        log(instance=panel, action="panels.appraisal_reopen", user=user, data={"reason": reason})
    return Recommendation.objects.get(panel=panel)


def option_or_criterion_for(panel, model, pk):
    """Fetch an option or criterion only if it is this panel's (else a clear refusal)."""
    obj = model.objects.filter(pk=pk).first()
    if obj is None or obj.panel_id != panel.pk:
        name = "option" if model is Option else "criterion"
        raise ValidationError(f"That {name} is not one of this panel's.", code="wrong_panel")
    return obj


# ---------------------------------------------------------------- meeting papers

PAPERS_COLLECTION = "Panel papers"


@transaction.atomic
def papers_collection_ensure():
    """The collection that holds meeting papers, restricted to the Officers group.

    Members download papers through the panel's own route (which checks
    `rules.can_download_paper`); the direct `/documents/` URL is for officers
    only. An existing restriction (e.g. the older "signed-in users") is turned
    into the Officers one in place. Idempotent: a second call changes nothing.
    """
    from django.contrib.auth.models import Group
    from wagtail.models import Collection, CollectionViewRestriction

    from accounts.roles import OFFICER

    officers, _ = Group.objects.get_or_create(name=OFFICER)
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=PAPERS_COLLECTION).first()
    if collection is None:
        collection = root.add_child(name=PAPERS_COLLECTION)
    restrictions = list(CollectionViewRestriction.objects.filter(collection=collection))
    if restrictions:
        restriction, extra = restrictions[0], restrictions[1:]
        for other in extra:
            other.delete()
    else:
        restriction = CollectionViewRestriction(collection=collection)
    if restriction.pk is None or restriction.restriction_type != CollectionViewRestriction.GROUPS:
        restriction.restriction_type = CollectionViewRestriction.GROUPS
        restriction.password = ""
        restriction.save()
    if set(restriction.groups.values_list("pk", flat=True)) != {officers.pk}:
        restriction.groups.set([officers])
    return collection
