"""Reads on accounts: what the "download my data" file contains."""

from django.utils import timezone

from commissioning.personal_data import personal_data_export

ACCOUNT_FIELDS = [
    "email",
    "display_name",
    "first_name",
    "last_name",
    "postcode",
    "notify_decisions",
    "notify_new_engagements",
    "date_joined",
    "last_login",
]


def _json_value(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def user_data_export(*, user):
    """Everything held about `user`, as JSON-serialisable data.

    The account and its email addresses come from here; participations and
    each engagement app's records come from the personal data registry.
    """
    from allauth.account.models import EmailAddress

    account = {field: _json_value(getattr(user, field)) for field in ACCOUNT_FIELDS}
    account["ward"] = user.ward.name if user.ward_id else None
    account["roles"] = sorted(user.groups.values_list("name", flat=True))
    emails = [
        {"email": address.email, "verified": address.verified, "primary": address.primary}
        for address in EmailAddress.objects.filter(user=user).order_by("-primary", "email")
    ]
    return {
        "generated_at": timezone.now().isoformat(),
        "account": account,
        "email_addresses": emails,
        **personal_data_export(user),
    }


def engagement_digest_recipients():
    """People who asked for the new-engagement digest and can receive it.

    A ward is needed (the digest is about their ward) and a confirmed email
    address (nothing is sent to an address nobody has proved is theirs).
    """
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.db.models import Exists, OuterRef

    verified = EmailAddress.objects.filter(
        user=OuterRef("pk"), email__iexact=OuterRef("email"), verified=True
    )
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            anonymised_at__isnull=True,
            notify_new_engagements=True,
            ward__isnull=False,
        )
        .filter(Exists(verified))
        .select_related("ward")
        .order_by("pk")
    )


def engagement_digest_export(user):
    from .models import EngagementDigestEntry

    entries = (
        EngagementDigestEntry.objects.filter(user=user)
        .select_related("engagement")
        .order_by("sent_at", "pk")
    )
    return [
        {"engagement": entry.engagement.title, "sent_at": _json_value(entry.sent_at)}
        for entry in entries
    ]
