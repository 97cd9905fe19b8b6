"""Writes on accounts: profile changes and account deletion.

Views, the admin and any import call these, so the rules hold everywhere.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from commissioning import audit
from commissioning.models import Ward
from commissioning.models.snippets import normalise_postcode
from commissioning.personal_data import personal_data_anonymise

# The one example postcode residents see, in the hint and in the error: it is in the borough.
EXAMPLE_POSTCODE = "KX1 2AB"
NOT_A_POSTCODE = f"Enter a full UK postcode, like {EXAMPLE_POSTCODE}."
DIGEST_NEEDS_WARD = (
    "To hear when something new opens in your ward, give your postcode or choose your ward."
)
OUTSIDE_BOROUGH = (
    "This postcode is not in the borough. Check it, or leave it empty and choose your ward."
)
WARD_MISMATCH = "This postcode is in {postcode_ward}, not {ward}. Choose {postcode_ward} or leave the ward empty."


def user_profile_clean(*, postcode="", ward=None):
    """(normalised postcode, ward) or ValidationError keyed by field.

    A postcode decides the ward; a ward may also be chosen on its own (for
    people who would rather not give a postcode). A postcode outside every
    ward is refused: the profile says where someone lives in the borough.
    """
    postcode = (postcode or "").strip()
    if not postcode:
        return "", ward
    try:
        postcode = normalise_postcode(postcode)
    except ValidationError as error:
        raise ValidationError({"postcode": NOT_A_POSTCODE}, code="invalid_postcode") from error
    postcode_ward = Ward.objects.for_postcode(postcode)
    if postcode_ward is None:
        raise ValidationError({"postcode": OUTSIDE_BOROUGH}, code="outside_borough")
    if ward is not None and ward.pk != postcode_ward.pk:
        raise ValidationError(
            {"ward": WARD_MISMATCH.format(postcode_ward=postcode_ward.name, ward=ward.name)},
            code="ward_mismatch",
        )
    return postcode, postcode_ward


def user_profile_update(
    *,
    user,
    display_name,
    postcode="",
    ward=None,
    notify_decisions,
    notify_new_engagements,
):
    """Save a person's profile, or raise ValidationError and save nothing."""
    postcode, ward = user_profile_clean(postcode=postcode, ward=ward)
    if notify_new_engagements and ward is None:
        raise ValidationError({"notifications": DIGEST_NEEDS_WARD}, code="digest_needs_ward")
    display_name = (display_name or "").strip()
    max_length = user._meta.get_field("display_name").max_length
    if len(display_name) > max_length:
        raise ValidationError(
            {"display_name": f"Your name must be {max_length} characters or fewer."}
        )
    user.display_name = display_name
    user.postcode = postcode
    user.ward = ward
    user.notify_decisions = bool(notify_decisions)
    user.notify_new_engagements = bool(notify_new_engagements)
    user.save(
        update_fields=[
            "display_name",
            "postcode",
            "ward",
            "notify_decisions",
            "notify_new_engagements",
        ]
    )
    return user


@transaction.atomic
def user_email_address_sync(*, user):
    """Make the account's email its verified, primary allauth address.

    For accounts an administrator creates or edits: the administrator vouches
    for the address, and the person can then sign in on the public site.
    """
    from allauth.account.models import EmailAddress

    if user.anonymised_at is not None:
        return None
    EmailAddress.objects.filter(user=user, primary=True).exclude(email__iexact=user.email).update(
        primary=False
    )
    address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
    if address is None:
        return EmailAddress.objects.create(
            user=user, email=user.email, verified=True, primary=True
        )
    if not (address.verified and address.primary):
        address.verified = address.primary = True
        address.save(update_fields=["verified", "primary"])
    return address


def anonymised_email(user):
    return f"deleted-{user.pk}@invalid.example"


@transaction.atomic
def user_account_delete(*, user, remove_contributions=False):
    """Anonymise the account instead of destroying it.

    Contributions (participations, responses, assets, scores) keep pointing at
    this row, so counts and summaries stay true; everything that identifies
    the person goes, and each app's registered anonymiser removes what it
    holds. The person can no longer sign in.

    `remove_contributions`: the person asked for the words they wrote in
    public (comments) to be removed rather than kept without their name; the
    anonymisers that hold such words honour it.
    """
    from allauth.account.models import EmailAddress

    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    if user.anonymised_at is not None:
        return user
    personal_data_anonymise(user, remove_contributions=remove_contributions)
    EmailAddress.objects.filter(user=user).delete()
    user.email = anonymised_email(user)
    user.display_name = ""
    user.first_name = ""
    user.last_name = ""
    user.postcode = ""
    user.ward = None
    user.notify_decisions = False
    user.notify_new_engagements = False
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.anonymised_at = timezone.now()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    return user


def unverified_accounts_retain(before):
    """Anonymise accounts that signed up before `before` and never confirmed an address.

    Staff accounts are left to administrators. Returns how many were anonymised.
    """
    from allauth.account.models import EmailAddress
    from django.db.models import Exists, OuterRef

    verified = EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)
    stale = (
        get_user_model()
        .objects.filter(anonymised_at__isnull=True, date_joined__lt=before)
        .filter(is_staff=False, is_superuser=False)
        .exclude(Exists(verified))
        .order_by("pk")
    )
    count = 0
    for user in stale.iterator():
        user_account_delete(user=user)
        count += 1
    return count


def user_roles_audit(*, changes, added):
    """One audit entry per (person, group) whose membership changed."""
    action = audit.ROLE_ADD if added else audit.ROLE_REMOVE
    for person, group in changes:
        audit.audit_record(user=None, action=action, instance=person, data={"role": group.name})


def user_superuser_audit(*, user, person, was_superuser):
    """An administrator gave or took away full access (Wagtail's user admin)."""
    if person.is_superuser == was_superuser:
        return None
    return audit.audit_record(
        user=user,
        action=audit.SUPERUSER,
        instance=person,
        data={"full_access": person.is_superuser},
    )


# The weekly digest of new engagements in a person's ward.


def engagement_digest_send(*, user_id, now=None):
    """Email one person the open engagements in their ward they have not heard about.

    Returns how many engagements the email listed (0: nothing sent). The
    person's row is locked while the digest is recorded and queued, so two
    runs at once send one email; the entries and the email commit together.
    """
    from django.core.mail import EmailMessage
    from django.template.loader import render_to_string

    from commissioning.selectors import take_part_engagements
    from coproduce.mail import email_context, email_subject, page_url, site_url

    from .models import EngagementDigestEntry
    from .selectors import engagement_digest_recipients

    with transaction.atomic():
        user = (
            engagement_digest_recipients()
            .select_for_update(of=("self",))
            .filter(pk=user_id)
            .first()
        )
        if user is None:
            return 0
        told = EngagementDigestEntry.objects.filter(user=user).values("engagement_id")
        engagements = list(
            take_part_engagements(ward=user.ward, now=now)
            .exclude(pk__in=told)
            .order_by("closes_at", "pk")
        )
        if not engagements:
            return 0
        EngagementDigestEntry.objects.bulk_create(
            [EngagementDigestEntry(user=user, engagement=page) for page in engagements]
        )
        context = {
            **email_context(),
            "ward": user.ward,
            "engagements": [(page, page_url(page)) for page in engagements],
            "profile_url": site_url(reverse("accounts:profile")),
        }
        EmailMessage(
            subject=email_subject(f"New in {user.ward.name}: ways to take part", context),
            body=render_to_string("account/email/engagement_digest.txt", context),
            to=[user.email],
        ).send()
    return len(engagements)


def engagement_digests_send(*, now=None):
    """The weekly run: one digest per person who asked for it. Returns (people, engagements)."""
    from .selectors import engagement_digest_recipients

    people = listed = 0
    for user_id in engagement_digest_recipients().values_list("pk", flat=True):
        count = engagement_digest_send(user_id=user_id, now=now)
        people += bool(count)
        listed += count
    return people, listed


def engagement_digest_anonymise(user):
    from .models import EngagementDigestEntry

    EngagementDigestEntry.objects.filter(user=user).delete()


def email_confirmation_resend(*, request, email):
    """Send a fresh confirmation link if `email` is an account's unconfirmed address.

    Answers nothing about whether it is: the page says the same either way.
    allauth's own cooldown (one email per address every few minutes) applies.
    """
    from allauth.account.internal.flows.email_verification import (
        send_verification_email_to_address,
    )
    from allauth.account.models import EmailAddress

    address = (
        EmailAddress.objects.filter(email__iexact=(email or "").strip(), verified=False)
        .exclude(user__anonymised_at__isnull=False)
        .select_related("user")
        .first()
    )
    if address is None or not address.user.is_active:
        return False
    return send_verification_email_to_address(request, address)
