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


def engagement_page(parent, **kwargs):
    """A bare engagement page under `parent` (the base page, enough for the spine)."""
    from tests.pages import EngagementPageFactory

    kwargs.setdefault("title", "Have your say on libraries")
    kwargs.setdefault("slug", slugify(kwargs["title"]))
    return EngagementPageFactory(parent=parent, **kwargs)
