"""Writes of budget conversations: responses, comment moderation and flags.

Every entry point — the public form, the officer's paper form, imports,
tests — records a response through `budget_response_record`, so the dates,
the audience, the simulator's rules and "one response set per person" hold
everywhere.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from commissioning import audit
from commissioning.exceptions import NotEligible, Refused
from commissioning.rules import is_signed_in
from commissioning.services import (
    engagement_assert_can_respond,
    participation_record,
    response_for_person,
)

from . import rules
from .models import (
    Allocation,
    BudgetConversationPage,
    BudgetResponse,
    Comment,
    CommentFlag,
    ProposalAnswer,
    SimulatorLine,
    pounds,
)

COMMENT_MAX_LENGTH = 2000
FLAGS_TO_HIDE = 3
STANCES = {value for value, _ in ProposalAnswer.STANCES}


def line_key(line_id):
    return f"line:{line_id}"


def proposal_key(proposal_id):
    return f"proposal:{proposal_id}"


def comment_key(proposal_id):
    return f"comment:{proposal_id or 'general'}"


def simulator_totals(*, conversation, lines, allocations):
    """(total saving, net spending) of a set of choices {line_id: amount}."""
    saving = 0
    net = 0
    for line in lines:
        amount = allocations.get(line.pk, line.current)
        saving += line.saving(amount)
        net += -amount if line.kind == SimulatorLine.REVENUE else amount
    return saving, net


def target_problem(*, conversation, saving, net, adjusted=()):
    """Why the choices miss the target (and by how much), or None.

    `adjusted` names the lines counted at the nearest amount allowed rather
    than the amount given, so the person knows what the total assumes.
    """
    target = conversation.target_amount
    if conversation.target_kind == BudgetConversationPage.SAVINGS:
        if saving < target:
            message = (
                f"Your choices save {pounds(saving)}, but {pounds(target)} has to be found: "
                f"you are {pounds(target - saving)} short. Lower some spending or raise some "
                f"income, then send your response again."
            )
        else:
            return None
    elif net > target:
        message = (
            f"Your budget comes to {pounds(net)}, which is {pounds(net - target)} over the "
            f"limit of {pounds(target)}. Lower some spending or raise some income, then send "
            f"your response again."
        )
    else:
        return None
    if adjusted:
        message += (
            f" This counts {' and '.join(adjusted)} at the nearest amount allowed, "
            "until you correct it."
        )
    return message


def _line_problem(line, amount):
    """Why one line's amount cannot be accepted, or None."""
    if amount is None:
        return f"Enter an amount for {line.name}."
    if not isinstance(amount, int) or isinstance(amount, bool):
        return f"Enter the amount for {line.name} as a whole number of pounds."
    if amount < 0:
        return f"The amount for {line.name} cannot be negative."
    return line.problem_with(amount)


def counted_amount(line, amount):
    """The amount the totals count for a line: out-of-bounds amounts at the nearest
    bound, and an amount that cannot be read at today's amount."""
    if not isinstance(amount, int) or isinstance(amount, bool):
        return line.current
    return min(max(amount, line.minimum), line.maximum)


def simulator_errors(*, conversation, lines, allocations):
    """{key: [messages]} for a set of simulator choices {line_id: amount}; empty if valid.

    Every line must be there, within its bounds and on a step; every problem is
    reported at once. The target is checked too, counting a line outside its
    bounds at the nearest bound, so the total never relies on an amount that
    cannot be accepted.
    """
    errors = {}
    lines_by_id = {line.pk: line for line in lines}
    foreign = set(allocations) - set(lines_by_id)
    if foreign:
        errors["__all__"] = [
            "Your budget includes a line that is not part of this conversation. "
            "Reload the page and try again."
        ]
    counted = {}
    adjusted = []
    for line in lines:
        amount = allocations.get(line.pk)
        problem = _line_problem(line, amount)
        if problem:
            errors[line_key(line.pk)] = [problem]
        counted[line.pk] = counted_amount(line, amount)
        if problem and isinstance(amount, int) and counted[line.pk] != amount:
            adjusted.append(line.name)
    if lines and not foreign:
        saving, net = simulator_totals(conversation=conversation, lines=lines, allocations=counted)
        problem = target_problem(
            conversation=conversation, saving=saving, net=net, adjusted=adjusted
        )
        if problem:
            errors["target"] = [problem]
    return errors


def _validate(*, conversation, proposals, lines, answers, allocations, comments):
    errors = {}
    proposals_by_id = {p.pk: p for p in proposals}

    for proposal_id, stance in answers.items():
        if proposal_id not in proposals_by_id:
            errors["__all__"] = [
                "Your response mentions a proposal that is not part of this conversation. "
                "Reload the page and try again."
            ]
        elif stance not in STANCES:
            errors[proposal_key(proposal_id)] = [
                f"Choose support, oppose or unsure for {proposals_by_id[proposal_id].reference}."
            ]
    for proposal in proposals:
        if proposal.pk not in answers and proposal_key(proposal.pk) not in errors:
            errors[proposal_key(proposal.pk)] = [
                f"Say whether you support or oppose {proposal.reference} (or choose “Unsure”)."
            ]

    for proposal_id, text in comments.items():
        if proposal_id is not None and proposal_id not in proposals_by_id:
            errors["__all__"] = [
                "Your comment is about a proposal that is not part of this conversation. "
                "Reload the page and try again."
            ]
        elif len(text) > COMMENT_MAX_LENGTH:
            errors[comment_key(proposal_id)] = [
                f"Keep your comment to {COMMENT_MAX_LENGTH:,} characters or fewer "
                f"(it has {len(text):,})."
            ]

    for key, messages in simulator_errors(
        conversation=conversation, lines=lines, allocations=allocations
    ).items():
        errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def budget_response_record(
    *,
    conversation,
    user,
    answers,
    allocations,
    comments=None,
    channel=BudgetResponse.WEB,
    wants_feedback=False,
    ward=None,
    paper_reference="",
    entered_by=None,
    now=None,
):
    """Record or update one person's response set; all or nothing.

    `answers` is {proposal_id: stance}, `allocations` {line_id: amount in £},
    `comments` {proposal_id or None (the alternative suggestion): text}.
    Raises ValidationError whose keys name what is wrong: "proposal:<id>",
    "line:<id>", "comment:<id>", "target", "paper_reference" or "__all__".
    """
    comments = {k: (v or "").strip() for k, v in (comments or {}).items()}
    if channel == BudgetResponse.WEB and not is_signed_in(user):
        raise NotEligible("Sign in to respond to this budget conversation.", code="sign_in")
    if channel == BudgetResponse.PAPER:
        if not rules.can_enter_paper(entered_by, conversation):
            raise Refused("Only officers can enter paper responses.")
        user = None
    engagement_assert_can_respond(engagement=conversation, user=user, channel=channel, now=now)

    proposals = list(conversation.proposals.all())
    lines = list(conversation.lines.all())
    _validate(
        conversation=conversation,
        proposals=proposals,
        lines=lines,
        answers=answers,
        allocations=allocations,
        comments=comments,
    )
    ward = ward if ward is not None else getattr(user, "ward", None)

    with transaction.atomic():
        if user is not None:
            response, _ = response_for_person(
                model=BudgetResponse,
                engagement=conversation,
                user=user,
                defaults={"channel": channel, "entered_by": entered_by},
            )
        else:
            response = _paper_response_create(
                conversation=conversation,
                channel=channel,
                paper_reference=paper_reference,
                entered_by=entered_by,
            )
        response.ward = ward
        response.wants_feedback = wants_feedback
        response.participation = participation_record(
            engagement=conversation,
            user=user,
            ward=ward,
            channel=channel,
            wants_feedback=wants_feedback,
        )
        response.save(update_fields=["ward", "wants_feedback", "participation", "updated_at"])

        response.answers.all().delete()
        ProposalAnswer.objects.bulk_create(
            ProposalAnswer(response=response, proposal_id=pid, stance=stance)
            for pid, stance in answers.items()
        )
        response.allocations.all().delete()
        Allocation.objects.bulk_create(
            Allocation(response=response, line_id=lid, amount=amount)
            for lid, amount in allocations.items()
        )
        _comments_update(response=response, conversation=conversation, comments=comments)
    return response


def _paper_response_create(*, conversation, channel, paper_reference, entered_by):
    """A new response without an account; its paper reference is unique in the conversation."""
    try:
        with transaction.atomic():
            return BudgetResponse.objects.create(
                conversation=conversation,
                channel=channel,
                paper_reference=paper_reference,
                entered_by=entered_by,
            )
    except IntegrityError:
        raise ValidationError(
            {
                "paper_reference": [
                    f"A paper response with the reference “{paper_reference}” "
                    "has already been entered for this conversation."
                ]
            }
        ) from None


def _comments_update(*, response, conversation, comments):
    existing = {c.proposal_id: c for c in response.comments.all()}
    for proposal_id, text in comments.items():
        comment = existing.get(proposal_id)
        if not text:
            if comment is not None:
                comment.delete()
            continue
        if comment is None:
            Comment.objects.create(
                response=response, conversation=conversation, proposal_id=proposal_id, text=text
            )
        elif comment.text != text:
            # A changed comment is a new comment: it is moderated again.
            comment.text = text
            comment.status = Comment.PENDING
            comment.rejection_reason = ""
            comment.hidden_by_flags = False
            comment.moderated_at = None
            comment.moderated_by = None
            comment.flags_reviewed_at = timezone.now()
            comment.save()


def comment_moderation_errors(*, status, reason):
    """{field: message} for a moderation decision that cannot be taken."""
    if status not in (Comment.APPROVED, Comment.REJECTED, Comment.PENDING):
        return {"status": "Choose publish or reject."}
    if status == Comment.REJECTED and not (reason or "").strip():
        return {"rejection_reason": "Give the reason for rejecting it: the author will see it."}
    return {}


DECISION_DONE = {
    Comment.APPROVED: "This comment is already published.",
    Comment.REJECTED: "This comment is already rejected for that reason.",
    Comment.PENDING: "This comment is already waiting for moderation.",
}


def comment_moderate(*, comment, moderator, status, reason=""):
    """Publish or reject a comment; a rejection needs a reason the author sees.

    Either decision is the officer's review of any flags so far: earlier
    flags stop counting towards hiding it again. A decision is taken once:
    the update is conditional on the comment not already being in that
    state, so two officers publishing the same comment at the same moment
    record one decision, and the second is told it was already done.
    """
    if not rules.can_moderate(moderator, comment):
        raise Refused("Only officers can moderate comments.")
    reason = (reason or "").strip()
    errors = comment_moderation_errors(status=status, reason=reason)
    if errors:
        raise ValidationError(errors)
    rejection_reason = reason if status == Comment.REJECTED else ""
    now = timezone.now()
    with transaction.atomic():
        changed = (
            Comment.objects.filter(pk=comment.pk)
            .exclude(status=status, hidden_by_flags=False, rejection_reason=rejection_reason)
            .update(
                status=status,
                rejection_reason=rejection_reason,
                hidden_by_flags=False,
                flags_reviewed_at=now,
                moderated_by=moderator,
                moderated_at=now,
                updated_at=now,
            )
        )
        if not changed:
            raise ValidationError(DECISION_DONE[status], code="already_moderated")
        comment.refresh_from_db()
        audit.audit_record(
            user=moderator,
            action=audit.MODERATE,
            instance=comment,
            data={"decision": comment.get_status_display(), "reason": comment.rejection_reason},
        )
    return comment


def comments_approve(*, comment_ids, moderator):
    """Publish several comments at once, each through `comment_moderate`.

    Returns how many were published by this call; comments already published
    (by someone else meanwhile) are left as they are.
    """
    if not rules.can_moderate(moderator):
        raise Refused("Only officers can moderate comments.")
    published = 0
    for comment in Comment.objects.filter(pk__in=comment_ids).order_by("pk"):
        try:
            comment_moderate(comment=comment, moderator=moderator, status=Comment.APPROVED)
        except ValidationError:
            continue
        published += 1
    return published


def _flag_refusal(*, user, comment):
    """Why `rules.can_flag` said no, in words."""
    if not is_signed_in(user):
        return NotEligible("Sign in to report a comment.", code="sign_in")
    if comment.status != Comment.APPROVED or comment.hidden_by_flags:
        return Refused(
            "This comment is not published, so it cannot be reported.", code="unpublished"
        )
    return Refused("You cannot report your own comment.", code="own_comment")


def comment_flag(*, comment, user):
    """A resident reports a published comment; FLAGS_TO_HIDE distinct people hide it.

    Returns True if this person's flag is new. Idempotent per person.
    """
    if not rules.can_flag(user, comment):
        raise _flag_refusal(user=user, comment=comment)
    with transaction.atomic():
        try:
            with transaction.atomic():
                CommentFlag.objects.create(comment=comment, user=user)
        except IntegrityError:
            return False
        flags = CommentFlag.objects.filter(comment=comment)
        if comment.flags_reviewed_at:
            flags = flags.filter(created_at__gt=comment.flags_reviewed_at)
        if flags.count() >= FLAGS_TO_HIDE:
            Comment.objects.filter(pk=comment.pk).update(hidden_by_flags=True)
            comment.hidden_by_flags = True
    return True
