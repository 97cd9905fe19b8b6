"""Writes of the commissioning spine.

Engagement apps call `engagement_assert_can_respond` and `participation_record`
inside their own response services, so that every entry point (web form,
admin, paper entry, import) obeys the same dates and audience rules.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from .exceptions import EngagementNotOpen, NotEligible, Refused
from .models import Participation
from .selectors import feedback_recipients


def engagement_assert_open(*, engagement, now=None):
    state = engagement.state(now or timezone.now())
    if state == "upcoming":
        raise EngagementNotOpen(
            f"This {engagement.kind.lower()} opens on {timezone.localtime(engagement.opens_at):%-d %B %Y at %-I:%M%p}.",
            code="not_yet_open",
        )
    if state == "closed":
        raise EngagementNotOpen(
            f"This {engagement.kind.lower()} closed on {timezone.localtime(engagement.closes_at):%-d %B %Y}. "
            "Responses can no longer be changed or added.",
            code="closed",
        )


EMAIL_UNVERIFIED = (
    "Confirm your email address to take part: follow the link in the email we sent you "
    "when you created your account, or ask for a new one from your account page."
)


def user_has_verified_email(user):
    """Whether the account's own (primary) email address is confirmed.

    Remembered on the user object once true, so a page that checks several
    engagements asks the database once.
    """
    from allauth.account.models import EmailAddress

    if getattr(user, "_coproduce_email_verified", False):
        return True
    verified = EmailAddress.objects.filter(
        user=user, email__iexact=user.email, verified=True
    ).exists()
    if verified:
        user._coproduce_email_verified = True
    return verified


def engagement_assert_eligible(*, engagement, user, channel=Participation.WEB):
    """Audience rules. Paper responses are entered by officers for residents.

    A signed-in person takes part only once their email address is
    confirmed, whatever the audience: it is what makes one account one person.
    """
    if channel == Participation.PAPER:
        return
    if user is not None and user.is_authenticated and not user_has_verified_email(user):
        raise NotEligible(EMAIL_UNVERIFIED, code="email_unverified")
    if engagement.audience == engagement.ANYONE:
        return
    if user is None or not user.is_authenticated:
        raise NotEligible("Sign in to take part.", code="sign_in")
    if engagement.audience == engagement.BOROUGH and user.ward_id is None:
        raise NotEligible(
            "This is for residents of the borough. Add your postcode to your account to take part.",
            code="not_resident",
        )


def engagement_assert_can_respond(*, engagement, user, channel=Participation.WEB, now=None):
    engagement_assert_open(engagement=engagement, now=now)
    engagement_assert_eligible(engagement=engagement, user=user, channel=channel)


def response_for_person(*, model, engagement, user, defaults=None):
    """This signed-in person's row of `model` for `engagement`, locked; created
    from `defaults` if they have none. Returns (row, created).

    For the models "one per person per engagement" (an `EngagementResponse`, a
    `Participation`): their unique constraint on the engagement and the user
    decides between two requests creating at once, and the loser gets the
    winner's row. Call it inside a transaction (the lock lasts until its end).
    """
    lookup = {getattr(model, "engagement_field", "engagement"): engagement, "user": user}
    row = model.objects.select_for_update().filter(**lookup).first()
    if row is not None:
        return row, False
    try:
        with transaction.atomic():
            return model.objects.create(**lookup, **(defaults or {})), True
    except IntegrityError:
        # Created by another request since we looked: theirs is the row.
        return model.objects.select_for_update().get(**lookup), False


def participation_record(
    *, engagement, user=None, email="", ward=None, channel=Participation.WEB, wants_feedback=False
):
    """Record (or update) that someone took part; one record per signed-in person.

    Safe under concurrent submissions from the same person: the unique
    constraint decides, and the loser updates the winner's record.
    """
    if user is not None and not user.is_authenticated:
        user = None
    ward = ward if ward is not None else getattr(user, "ward", None)
    if user is None:
        return Participation.objects.create(
            engagement=engagement,
            email=email,
            ward=ward,
            channel=channel,
            wants_feedback=wants_feedback,
        )
    defaults = {"ward": ward, "channel": channel, "wants_feedback": wants_feedback, "email": ""}
    with transaction.atomic():
        participation, created = response_for_person(
            model=Participation, engagement=engagement, user=user, defaults=defaults
        )
        if not created:
            for field, value in defaults.items():
                setattr(participation, field, value)
            participation.save()
    return participation


# Decisions: telling the people who asked to hear back, through the outbox
# (`coproduce.messaging`), which sends each email once, retries and records it.


def decision_scope(decision_or_id):
    """The outbox scope of a decision's emails."""
    return f"commissioning.decision:{getattr(decision_or_id, 'pk', decision_or_id)}"


def decision_recipients(*, decision):
    """(email, user) pairs owed an email about `decision`, one per address.

    Everyone who took part in the decision's programme stage and asked to hear
    back; signed-in people who turned decision emails off in their account
    are left out.
    """
    programme = decision.get_parent()
    return feedback_recipients(
        participations=Participation.objects.for_stage(programme, decision.stage)
    )


def _decision_messages(decision, notifications):
    """The outbox message of each of `notifications` (unsaved)."""
    from django.template.loader import render_to_string
    from django.urls import reverse

    from coproduce.mail import email_context, email_subject, page_url, site_url
    from coproduce.messaging import EMAIL, message_build
    from coproduce.models import SiteSettings

    site = decision.get_site()
    shared = {
        "council_name": SiteSettings.for_site(site).council_name if site else "",
        "decision": decision,
        "programme": decision.get_parent().specific,
        "decision_url": page_url(decision),
        "account_url": site_url(reverse("accounts:profile")),
    }
    subject = email_subject(f"Decision: {decision.title}", email_context())
    for notification in notifications:
        context = {**shared, "has_account": notification.user_id is not None}
        yield (
            notification,
            message_build(
                key=notification.message_key,
                scope=decision_scope(decision),
                channel=EMAIL,
                recipient=notification.email,
                subject=subject,
                body=render_to_string("commissioning/email/decision_notification.txt", context),
            ),
        )


def decision_notifications_queue(*, decision):
    """Owe one email per recipient and put it in the outbox, sent once this commits.

    An address is told of a decision once: publishing again writes only to
    newcomers (the unique constraint keeps the others out), and sends again
    what could not be sent before (failed, or held back while unpublished).
    """
    from django.db.models import Max

    from coproduce.messaging import messages_queue_linked, messages_retry

    from .models import DecisionNotification

    with transaction.atomic():
        last = decision.notifications.aggregate(last=Max("pk"))["last"] or 0
        DecisionNotification.objects.bulk_create(
            [
                DecisionNotification(decision=decision, email=email, user=user)
                for email, user in decision_recipients(decision=decision)
            ],
            ignore_conflicts=True,
        )
        new = decision.notifications.filter(pk__gt=last, message__isnull=True).order_by("pk")
        queued = messages_queue_linked(_decision_messages(decision, new))
        messages_retry(scope=decision_scope(decision))
    return queued


def decision_notifications_withhold(*, decision):
    """An unpublished decision's emails not yet sent wait for it to be published again."""
    from coproduce.messaging import messages_withhold

    return messages_withhold(
        scope=decision_scope(decision),
        reason="Held back: the decision was unpublished before this was sent.",
    )


def decision_notifications_anonymise(user):
    """Forget the addresses decisions were sent to, and the emails; pending ones are dropped.

    The participations themselves stop asking for feedback in
    `personal_data.participation_anonymise`, so nothing is queued again.
    """
    from coproduce.messaging import message_links_delete

    from .models import DecisionNotification

    message_links_delete(DecisionNotification.objects.filter(user=user))


# Drafting a decision from the officer brief.

DECISION_MAKER_TO_CONFIRM = "To be confirmed"


def _stage_engagement_of_themes(theme_set):
    """For a stage's theme set: the engagement most of each theme's responses came from."""
    from collections import Counter

    from .themes.scopes import StageScope
    from .themes.sources import engagement_texts

    engagement_of_key = {}
    for engagement in StageScope(theme_set).engagements():
        for item in engagement_texts(engagement):
            engagement_of_key[item.key] = engagement
    counts = {}
    for name, key in theme_set.assignments.filter(theme__isnull=False).values_list(
        "theme__name", "source_key"
    ):
        engagement = engagement_of_key.get(key)
        if engagement is not None:
            counts.setdefault(name, Counter())[engagement.pk] += 1
    by_pk = {e.pk: e for e in engagement_of_key.values()}
    # Most responses first; the earlier engagement wins a tie.
    return {
        name: by_pk[min(counter.items(), key=lambda kv: (-kv[1], kv[0]))[0]]
        for name, counter in counts.items()
    }


def _people_said(theme):
    noun = "response" if theme.count == 1 else "responses"
    lines = [f"{theme.count} {noun} raised this."]
    lines += [f"“{quote}”" for quote in theme.quotes]
    return "\n".join(lines)


def decision_items_from_themes(theme_groups):
    """One unsaved "you said" item per officer-approved theme, linked to its engagement."""
    from .models import DecisionItem

    items = []
    for group in theme_groups:
        linked = {} if group.engagement else _stage_engagement_of_themes(group.theme_set)
        for theme in group.themes:
            items.append(
                DecisionItem(
                    theme=theme.name[:200],
                    people_said=_people_said(theme),
                    engagement=group.engagement or linked.get(theme.name),
                    decided="",
                    reason="",
                    sort_order=len(items),
                )
            )
    return items


def decision_draft_from_brief(*, programme, stage, user):
    """A draft DecisionPage for `stage` of `programme`, its "you said" items from the
    officers' themes; returns (page, created).

    The programme row is locked while checking for an unpublished draft of the
    stage, so two clicks (or two officers) make one draft, not two.
    """
    from django.core.exceptions import ValidationError
    from wagtail.coreutils import find_available_slug
    from wagtail.models import Page

    from . import rules
    from .brief import approved_theme_groups
    from .models import DecisionPage, EngagementPage
    from .stages import STAGE_LABELS

    if not rules.can_draft_decision(user, programme):
        raise Refused("Only officers who may add pages to this programme can draft its decision.")
    if stage not in STAGE_LABELS:
        raise ValidationError("Choose the stage this decision closes.", code="stage")
    with transaction.atomic():
        Page.objects.select_for_update().filter(pk=programme.pk).first()
        existing = (
            DecisionPage.objects.child_of(programme)
            .filter(stage=stage, live=False)
            .order_by("pk")
            .first()
        )
        if existing is not None:
            return existing, False
        engagements = list(
            EngagementPage.objects.child_of(programme)
            .filter(stage=stage)
            .order_by("opens_at", "pk")
        )
        groups = approved_theme_groups(programme=programme, engagements=engagements, stage=stage)
        title = f"What we decided: {STAGE_LABELS[stage]}"
        maker = ", ".join(filter(None, [programme.lead_officer_name, programme.lead_officer_role]))
        page = DecisionPage(
            title=title,
            slug=find_available_slug(programme, slugify(title)),
            stage=stage,
            decision_maker=maker or DECISION_MAKER_TO_CONFIRM,
            decided_on=timezone.localdate(),
            live=False,
            owner=user,
        )
        page.items = decision_items_from_themes(groups)
        programme.add_child(instance=page)
        page.save_revision(user=user, log_action=True)
    return page, True


# "What we heard": a closed engagement's summary, published to its page.


def _forbid_unless(allowed):
    if not allowed:
        raise Refused("Only officers can publish what we heard.")


def heard_summary_content(*, engagement):
    """What residents will read: the summary's figures and charts, and the officers'
    approved themes with masked quotes. Free text officers did not approve is left out."""
    from dataclasses import asdict

    from .brief import approved_theme_groups
    from .summaries import engagement_summary

    summary = engagement_summary(engagement)
    themes = approved_theme_groups(programme=None, engagements=[engagement], stage_sets=False)
    return {
        "figures": [asdict(f) for f in summary.figures if f.public] if summary else [],
        "charts": [asdict(c) for c in summary.charts] if summary else [],
        "themes": [
            {"name": t.name, "count": t.count, "quotes": t.quotes}
            for group in themes
            for t in group.themes
            if t.count
        ],
    }


def heard_summary_publish(*, engagement, user):
    """Publish what we heard on the engagement's page, once it has closed (once)."""
    from django.core.exceptions import ValidationError

    from . import rules
    from .models import HeardSummary

    _forbid_unless(user is None or rules.can_publish_heard(user, engagement))
    if engagement.state() != "closed":
        raise ValidationError(
            "What we heard can be published once the engagement has closed.", code="open"
        )
    content = heard_summary_content(engagement=engagement)
    try:
        with transaction.atomic():
            HeardSummary.objects.get_or_create(engagement=engagement)
    except IntegrityError:
        pass  # created meanwhile by another request
    published = HeardSummary.objects.filter(
        engagement=engagement, published_at__isnull=True
    ).update(
        content=content,
        published_at=timezone.now(),
        published_by=user,
        unpublished_at=None,
        unpublished_by=None,
    )
    if not published:
        raise ValidationError("What we heard is already published.", code="published")
    return HeardSummary.objects.get(engagement=engagement)


def heard_summary_unpublish(*, engagement, user):
    """Take what we heard off the engagement's page (the record of who did it is kept)."""
    from django.core.exceptions import ValidationError

    from . import rules
    from .models import HeardSummary

    _forbid_unless(user is None or rules.can_publish_heard(user, engagement))
    done = HeardSummary.objects.filter(engagement=engagement, published_at__isnull=False).update(
        published_at=None, unpublished_at=timezone.now(), unpublished_by=user
    )
    if not done:
        raise ValidationError("What we heard is not published.", code="not_published")


# What residents tell us about themselves, for reach by group.


def demographic_profile_save(*, user, consent, answers):
    """Keep `answers` ({attribute: value}) with the resident's explicit consent."""
    from django.core.exceptions import ValidationError

    from .demographics import PREFER_NOT_TO_SAY, PROFILE_ATTRIBUTES
    from .models import DemographicProfile

    if not consent:
        raise ValidationError(
            {"consent": "Tick the box to agree, or leave this page without saving."}
        )
    errors = {}
    for attribute, value in answers.items():
        allowed = {v for v, _ in PROFILE_ATTRIBUTES.get(attribute, ("", []))[1]}
        if attribute not in PROFILE_ATTRIBUTES or value not in allowed | {
            "",
            PREFER_NOT_TO_SAY[0],
        }:
            errors[attribute] = "Choose one of the options."
    if errors:
        raise ValidationError(errors)
    values = {attribute: answers.get(attribute, "") for attribute in PROFILE_ATTRIBUTES}
    profile, _ = DemographicProfile.objects.update_or_create(
        user=user, defaults={**values, "consented_at": timezone.now()}
    )
    return profile


def demographic_profile_withdraw(*, user):
    """Consent withdrawn: what the resident told us is deleted, not kept."""
    from .models import DemographicProfile

    DemographicProfile.objects.filter(user=user).delete()
