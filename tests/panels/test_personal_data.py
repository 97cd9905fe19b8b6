"""A panel applicant's data in "download my data", and what deleting the account leaves."""

import json

import pytest
from django.urls import reverse

from accounts.services import user_account_delete
from commissioning.personal_data import personal_data_export
from panels.models import Application, LotteryEntry, LotteryRun, Score
from panels.selectors import pool_for
from tests.panels.factories import (
    ApplicationFactory,
    CriterionFactory,
    OptionFactory,
    WardFactory,
)

pytestmark = pytest.mark.django_db

SECRETS = ["Jo Private", "07700 900123", "KX9 9ZZ", "A quiet room, please"]


def _applicant(user_factory, panel, status, ward, **extra):
    user = user_factory(display_name="Jo")
    application = ApplicationFactory(
        panel=panel,
        user=user,
        email=user.email,
        name="Jo Private",
        phone="07700 900123",
        postcode="KX9 9ZZ",
        ward=ward,
        age_band="16-24",
        gender="prefer-not",
        disability="yes",
        access_needs="A quiet room, please",
        status=status,
        **extra,
    )
    return user, application


@pytest.fixture
def drawn_panel(home_page, officer, user_factory):
    """A panel drawn once: a member, someone not selected, and someone who applied since."""
    from tests.panels.factories import make_panel

    ward = WardFactory(name="Fernhill")
    panel = make_panel(home_page, officers=[officer], attributes=["ward", "age_band", "gender"])
    people = {
        "member": _applicant(user_factory, panel, Application.SELECTED, ward),
        "reserve": _applicant(user_factory, panel, Application.NOT_SELECTED, ward),
        "left": _applicant(user_factory, panel, Application.WITHDRAWN, ward),
        "undrawn": _applicant(user_factory, panel, Application.APPLIED, ward),
    }
    run = LotteryRun.objects.create(
        panel=panel, seats=2, seed=42, algorithm_requested="maximin", status="completed"
    )
    for key in ("member", "reserve", "left"):
        application = people[key][1]
        LotteryEntry.objects.create(
            run=run,
            application=application,
            attributes={"ward": "fernhill", "age_band": "16-24", "gender": "prefer-not"},
            probability=0.5,
            selected=key != "reserve",
        )
    return panel, run, people


def test_download_holds_the_application_with_labels(client, drawn_panel):
    panel, _, people = drawn_panel
    user, _ = people["member"]
    option, criterion = OptionFactory(panel=panel, title="Mutual"), CriterionFactory(panel=panel)
    Score.objects.create(
        member=user, option=option, criterion=criterion, value=4, rationale="Fair"
    )
    client.force_login(user)
    data = json.loads(client.get(reverse("accounts:data_download")).content)
    [application, score] = data["citizen panels"]
    assert application["panel"] == panel.title
    assert (application["name"], application["phone"], application["postcode"]) == (
        "Jo Private",
        "07700 900123",
        "KX9 9ZZ",
    )
    assert application["answers"] == {
        "Ward": "Fernhill",
        "Age band": "16 to 24",
        "Gender": "Prefer not to say",
    }
    assert application["access_needs"] == "A quiet room, please"
    assert application["status"] == "Selected"
    assert application["draws"] == [
        {"draw": "Draw", "seed": 42, "chance_of_selection": 0.5, "selected": "Yes"}
    ]
    assert (score["option"], score["score"], score["reason"]) == ("Mutual", 4, "Fair")


def _assert_application_pseudonymised(application, panel):
    assert application.user is None
    assert application.name == "Deleted applicant"
    assert application.email.endswith("@invalid.example")
    assert (application.phone, application.postcode, application.access_needs) == ("", "", "")
    assert application.ward is None
    assert (application.age_band, application.gender, application.disability) == ("", "", "")
    # Out of the pool for replacements, and off the panel.
    assert application.status == Application.WITHDRAWN
    assert application not in pool_for(panel=panel)
    assert not Application.objects.members().filter(pk=application.pk).exists()


def _assert_entry_unchanged(entry_before):
    entry = LotteryEntry.objects.get(pk=entry_before.pk)
    assert entry.attributes == entry_before.attributes
    assert (entry.probability, entry.selected) == (entry_before.probability, entry_before.selected)


@pytest.mark.parametrize("who", ["member", "reserve", "left"])
def test_deleting_a_drawn_applicant_keeps_the_lottery_record_pseudonymised(drawn_panel, who):
    panel, run, people = drawn_panel
    user, application = people[who]
    entry_before = LotteryEntry.objects.get(application=application)

    user_account_delete(user=user)

    application.refresh_from_db()
    _assert_application_pseudonymised(application, panel)
    # The draw's record still reproduces the draw.
    _assert_entry_unchanged(entry_before)
    assert personal_data_export(user)["citizen panels"] == []
    everything = json.dumps(list(Application.objects.filter(panel=panel).values()), default=str)
    others = [a for k, (_, a) in people.items() if k != who]
    assert everything.count("Jo Private") == len(others)


def test_deleting_an_applicant_no_draw_used_removes_the_application(drawn_panel):
    panel, _, people = drawn_panel
    user, application = people["undrawn"]
    user_account_delete(user=user)
    assert not Application.objects.filter(pk=application.pk).exists()
    assert application.pk not in {a.pk for a in pool_for(panel=panel)}


def test_a_deleted_member_leaves_a_seat_to_redraw_and_keeps_their_scores(drawn_panel, officer):
    from wagtail.models import ModelLogEntry

    from panels import services

    panel, _, people = drawn_panel
    user, application = people["member"]
    option, criterion = OptionFactory(panel=panel), CriterionFactory(panel=panel)
    Score.objects.create(member=user, option=option, criterion=criterion, value=3)
    user_account_delete(user=user)
    assert Score.objects.filter(option=option).count() == 1
    assert ModelLogEntry.objects.filter(
        action="panels.member_withdraw", object_id=str(application.pk)
    ).exists()
    # The officer sees a vacancy; the pseudonymised person is not in the replacement pool.
    panel.refresh_from_db()
    run = services.lottery_announce(panel=panel, user=officer, kind=LotteryRun.REPLACEMENT)
    assert run.seats == panel.seats  # the only member left: every seat is open again
    assert application.pk not in {a.pk for a in pool_for(panel=panel)}


def test_officers_no_longer_see_the_deleted_applicant(client, drawn_panel, officer):
    _, _, people = drawn_panel
    user, application = people["reserve"]
    user_account_delete(user=user)
    client.force_login(officer)
    page = client.get(reverse("panels_application:inspect", args=[application.pk])).content
    assert b"Deleted applicant" in page
    for secret in SECRETS:
        assert secret.encode() not in page
