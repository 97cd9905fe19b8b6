import factory
from django.utils.text import slugify

from commissioning.models import Outcome, Ward
from tests.pages import (
    DecisionPageFactory,
    EngagementPageFactory,
    ProgrammeIndexPageFactory,
    ProgrammePageFactory,
    closed_window,
    open_window,
    published,
    upcoming_window,
)

# Pages and engagement windows are made in the one page-factory module,
# tests/pages.py; the spine's tests take the windows from here too.
__all__ = [
    "OutcomeFactory",
    "ParticipationFactory",
    "WardFactory",
    "closed_window",
    "decision",
    "engagement",
    "open_window",
    "programme",
    "programme_index",
    "upcoming_window",
]


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


def programme_index(home, **kwargs):
    return ProgrammeIndexPageFactory(parent=home, **kwargs)


def programme(index, *, stages=(), wards=(), outcomes=(), **kwargs):
    """A live programme; `stages` is [(stage, starts_on, ends_on)]."""
    from commissioning.models import ProgrammeStage

    return ProgrammePageFactory(
        parent=index,
        stages=[
            ProgrammeStage(stage=stage, starts_on=start, ends_on=end)
            for stage, start, end in stages
        ],
        wards=list(wards),
        outcomes=list(outcomes),
        **kwargs,
    )


def engagement(programme_page, *, stage="analyse", window=None, **kwargs):
    """A live bare EngagementPage under `programme_page`, open now unless `window` says."""
    return EngagementPageFactory(
        parent=programme_page, stage=stage, **(window or open_window()), **kwargs
    )


def decision(programme_page, *, stage="analyse", items=(), live=True, **kwargs):
    """A DecisionPage under `programme_page`; unpublished unless `live`.

    Built as a draft and published through a revision when `live`, as an
    editor would, so the page_published signal fires.
    """
    from commissioning.models import DecisionItem

    kwargs.setdefault("slug", "what-we-decided")
    page = DecisionPageFactory(
        parent=programme_page,
        stage=stage,
        live=False,
        items=[DecisionItem(**item) for item in items],
        **kwargs,
    )
    return published(page) if live else page


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "commissioning.Participation"

    wants_feedback = False
