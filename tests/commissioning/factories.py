from datetime import timedelta

import factory
from django.utils import timezone
from django.utils.text import slugify

from commissioning.models import Outcome, Ward


class WardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ward
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Ward {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    postcode_prefixes = factory.Sequence(lambda n: f"KX{n % 90 + 1}")
    population = 10000
    demographics = factory.LazyFunction(dict)


class OutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outcome
        django_get_or_create = ("title",)

    title = factory.Sequence(lambda n: f"Outcome {n}")


def open_window(days_open=14):
    """opens_at/closes_at for an engagement open now."""
    now = timezone.now()
    return {"opens_at": now - timedelta(days=1), "closes_at": now + timedelta(days=days_open)}
