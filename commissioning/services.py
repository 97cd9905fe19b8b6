"""Writes of the commissioning spine.

Engagement apps call `engagement_assert_can_respond` and `participation_record`
inside their own response services, so that every entry point (web form,
admin, paper entry, import) obeys the same dates and audience rules.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from .exceptions import EngagementNotOpen, NotEligible
from .models import Participation


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


def engagement_assert_eligible(*, engagement, user, channel=Participation.WEB):
    """Audience rules. Paper responses are entered by officers for residents."""
    if channel == Participation.PAPER or engagement.audience == engagement.ANYONE:
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
    try:
        with transaction.atomic():
            participation, _ = Participation.objects.update_or_create(
                engagement=engagement, user=user, defaults=defaults
            )
    except IntegrityError:
        participation = Participation.objects.get(engagement=engagement, user=user)
        for field, value in defaults.items():
            setattr(participation, field, value)
        participation.save()
    return participation
