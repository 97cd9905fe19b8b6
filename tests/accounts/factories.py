import factory
from allauth.account.models import EmailAddress
from django.utils.text import slugify

from accounts.models import User

PASSWORD = "a-long-test-password-1"  # noqa: S105


class UserFactory(factory.django.DjangoModelFactory):
    """A verified user who can sign in with PASSWORD."""

    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Faker("first_name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create:
            obj.save()
            if extracted is not False:
                EmailAddress.objects.get_or_create(
                    user=obj, email=obj.email, defaults={"verified": True, "primary": True}
                )


def staff_with_role(role, email):
    """A staff user in the group of `role` (`accounts.roles`): the `officer` and `editor` fixtures."""
    from accounts.roles import roles_sync

    user = UserFactory(email=email, is_staff=True)
    user.groups.add(roles_sync()[role])
    return user


def engagement_page(parent, **kwargs):
    """A bare engagement page under `parent` (the base page, enough for the spine)."""
    from tests.pages import EngagementPageFactory

    kwargs.setdefault("title", "Have your say on libraries")
    kwargs.setdefault("slug", slugify(kwargs["title"]))
    return EngagementPageFactory(parent=parent, **kwargs)


def second_factor_for(user, secret=None):
    """Give `user` an authenticator app and recovery codes, the way allauth sets them up.

    Returns the TOTP secret: `totp_code(secret)` is the code the app would show now.
    """
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = secret or generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


def totp_code(secret):
    """The code an authenticator app shows now for `secret` (allauth's own arithmetic)."""
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


def recovery_code(user):
    """One of `user`'s unused recovery codes."""
    from allauth.mfa.models import Authenticator

    codes = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    return codes.wrap().get_unused_codes()[0]
