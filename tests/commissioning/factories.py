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


# Pages of the spine. Pages are added under their parents with `add_child`,
# as the admin does, so paths and depths are real.


def programme_index(home, **kwargs):
    from commissioning.models import ProgrammeIndexPage

    kwargs.setdefault("title", "Programmes")
    kwargs.setdefault("slug", "programmes")
    page = ProgrammeIndexPage(**kwargs)
    home.add_child(instance=page)
    return page


_programme_counter = iter(range(1, 100000))


def programme(index, *, stages=(), wards=(), outcomes=(), **kwargs):
    """A live programme; `stages` is [(stage, starts_on, ends_on)]."""
    from commissioning.models import ProgrammePage, ProgrammeStage

    n = next(_programme_counter)
    kwargs.setdefault("title", f"Programme {n}")
    kwargs.setdefault("slug", f"programme-{n}")
    page = ProgrammePage(**kwargs)
    page.stages = [
        ProgrammeStage(stage=stage, starts_on=start, ends_on=end) for stage, start, end in stages
    ]
    page.wards = list(wards)
    page.outcomes = list(outcomes)
    index.add_child(instance=page)
    return page


_engagement_counter = iter(range(1, 100000))


def engagement(programme_page, *, stage="analyse", window=None, **kwargs):
    """A live bare EngagementPage under `programme_page`, open now unless `window` says."""
    from commissioning.models import EngagementPage

    n = next(_engagement_counter)
    kwargs.setdefault("title", f"Engagement {n}")
    kwargs.setdefault("slug", f"engagement-{n}")
    page = EngagementPage(stage=stage, **(window or open_window()), **kwargs)
    programme_page.add_child(instance=page)
    return page


def closed_window(days_ago=1):
    now = timezone.now()
    return {"opens_at": now - timedelta(days=30), "closes_at": now - timedelta(days=days_ago)}


def upcoming_window(days_ahead=5):
    now = timezone.now()
    return {
        "opens_at": now + timedelta(days=days_ahead),
        "closes_at": now + timedelta(days=days_ahead + 14),
    }


def decision(programme_page, *, stage="analyse", items=(), live=True, **kwargs):
    """A DecisionPage under `programme_page`; unpublished unless `live`.

    Built as a draft and published through a revision when `live`, as an
    editor would, so the page_published signal fires.
    """
    from commissioning.models import DecisionItem, DecisionPage

    kwargs.setdefault("title", "What we decided")
    kwargs.setdefault("slug", "what-we-decided")
    kwargs.setdefault("decision_maker", "Cabinet")
    kwargs.setdefault("decided_on", timezone.localdate())
    page = DecisionPage(stage=stage, live=False, **kwargs)
    page.items = [DecisionItem(**item) for item in items]
    programme_page.add_child(instance=page)
    if live:
        page.save_revision().publish()
        page.refresh_from_db()
    return page


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "commissioning.Participation"

    wants_feedback = False
