"""Demo accounts, all with the published password `demo-password-1`.

Created only by `manage.py load_demo`, which refuses production settings.
Staff accounts (admin, officer, editor) must sign in with a second factor:
they get an authenticator app key and recovery codes that are published too
(README, "Demo accounts"), so a reviewer can add the key to any
authenticator app or use a recovery code.
"""

from allauth.account.models import EmailAddress

from .models import User
from .roles import roles_sync

DEMO_PASSWORD = "demo-password-1"  # noqa: S105
# The demo staff's authenticator app key (base32) and the seed of their
# recovery codes: published, like the password.
DEMO_TOTP_SECRET = "COPRODUCEDEMOSTAFFONLYNOTASECRET"  # noqa: S105
DEMO_RECOVERY_SEED = "coproduce-demo-recovery-codes-published-in-the-readme"

# email -> (display name, role, ward slug, superuser)
ACCOUNTS = {
    "admin@example.org": ("Site administrator", None, None, True),
    "officer@example.org": ("Priya Natarajan (commissioning officer)", "officer", None, False),
    "editor@example.org": ("Tom Okafor (web editor)", "editor", None, False),
    "resident@example.org": ("Jo from Brookside", None, "brookside", False),
    "group@example.org": ("Sam, Fernhill Friends", None, "fernhill", False),
    "panel@example.org": ("Alex from Castlegate", None, "castlegate", False),
}


def load(*, stdout):
    from commissioning.models import Ward

    groups = roles_sync()
    wards = {ward.slug: ward for ward in Ward.objects.all()}
    for email, (name, role, ward_slug, superuser) in ACCOUNTS.items():
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(
                email=email,
                display_name=name,
                is_superuser=superuser,
                is_staff=superuser or role is not None,
                ward=wards.get(ward_slug),
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
        if role:
            user.groups.add(groups[role])
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        if user.is_staff:
            _second_factor(user)


def _second_factor(user):
    """The published authenticator key and recovery codes, stored as allauth stores them."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import encrypt

    Authenticator.objects.get_or_create(
        user=user,
        type=Authenticator.Type.TOTP,
        defaults={"data": {"secret": encrypt(DEMO_TOTP_SECRET)}},
    )
    Authenticator.objects.get_or_create(
        user=user,
        type=Authenticator.Type.RECOVERY_CODES,
        defaults={"data": {"seed": encrypt(DEMO_RECOVERY_SEED), "used_mask": 0}},
    )


def demo_recovery_codes():
    """The demo staff's ten recovery codes, as README lists them."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    instance = Authenticator(data={"seed": DEMO_RECOVERY_SEED, "used_mask": 0})
    return RecoveryCodes(instance).generate_codes()
