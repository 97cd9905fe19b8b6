import itertools

import factory
from django.utils import timezone

from panels.models import Application, Criterion, Option, Quota
from tests import pages
from tests.commissioning.factories import WardFactory

_seq = itertools.count()


def programme_under(home):
    return pages.programme_under(home)


def make_officer(user_factory, **extra):
    """A user with the officer role (the Officers group), as `accounts.roles` defines it."""
    from accounts.roles import roles_sync

    user = user_factory(is_staff=True, **extra)
    user.groups.add(roles_sync()["officer"])
    return user


def make_panel(home, *, seats=4, attributes=("gender", "age_band"), officers=(), **extra):
    panel = pages.PanelPageFactory(
        parent=programme_under(home), seats=seats, attributes=list(attributes), **extra
    )
    if officers:
        panel.officers.set(officers)
        panel.save_revision().publish()
    return panel


def panel_site():
    """The site and one open panel with its officer: {"home", "officer", "panel"}."""
    from tests.accounts.factories import staff_with_role

    home = pages.site_home()
    officer = staff_with_role("officer", "officer@example.org")
    return {"home": home, "officer": officer, "panel": make_panel(home, officers=[officer])}


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    name = factory.Sequence(lambda n: f"Applicant {n}")
    email = factory.Sequence(lambda n: f"applicant{n}@example.org")
    consent = True
    gender = "woman"
    age_band = "25-34"
    ethnicity = "white"
    disability = "no"
    service_user = "neither"
    availability = factory.LazyFunction(lambda: ["weekend"])
    created_at = factory.LazyFunction(timezone.now)


def make_pool(panel, spec):
    """spec: list of (count, {field: value}) -> applications."""
    apps = []
    for count, fields in spec:
        apps += ApplicationFactory.create_batch(count, panel=panel, **fields)
    return apps


def set_quotas(panel, quotas):
    for attribute, values in quotas.items():
        for value, (low, high) in values.items():
            Quota.objects.update_or_create(
                panel=panel,
                attribute=attribute,
                value=value,
                defaults={"minimum": low, "maximum": high},
            )


class OptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Option

    title = factory.Sequence(lambda n: f"Option {n}")


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    title = factory.Sequence(lambda n: f"Criterion {n}")
    weight = 1


__all__ = ["WardFactory"]


def make_wards(specs=(("North", "NN1", 30000), ("South", "SS1", 10000))):
    """Wards with one postcode district each: [(name, prefix, population)]."""
    return [
        WardFactory(name=name, slug=name.lower(), postcode_prefixes=prefix, population=population)
        for name, prefix, population in specs
    ]


def addresses_csv(rows, header="uprn,line_1,line_2,town,postcode"):
    """CSV bytes from rows of (uprn, line_1, postcode)."""
    lines = [header, *(f"{uprn},{line},,Kelderby,{postcode}" for uprn, line, postcode in rows)]
    return ("\n".join(lines) + "\n").encode()


def make_addresses(panel, wards, per_ward=50):
    from panels.models import InvitationAddress

    n = 0
    created = []
    for ward in wards:
        for i in range(per_ward):
            n += 1
            created.append(
                InvitationAddress(
                    panel=panel,
                    uprn=str(1000 + n),
                    line_1=f"{i + 1} High Street",
                    postcode=f"{ward.prefixes[0]} {i % 9 + 1}AB",
                    ward=ward,
                )
            )
    return InvitationAddress.objects.bulk_create(created)


def registration_answers(**extra):
    return {
        "name": "Sam Lee",
        "email": "sam@example.org",
        "phone": "",
        "gender": "woman",
        "age_band": "25-34",
        "availability": ["weekend"],
        "consent": True,
        **extra,
    }
