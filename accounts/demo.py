"""Demo accounts, all with the published password `demo-password-1`.

Created only by `manage.py load_demo`, which refuses production settings.
"""

from allauth.account.models import EmailAddress

from .models import User
from .roles import roles_sync

DEMO_PASSWORD = "demo-password-1"  # noqa: S105

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
