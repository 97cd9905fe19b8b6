"""The personal data registry (commissioning.personal_data) that accounts relies on."""

import pytest

from commissioning import personal_data
from tests.accounts.factories import UserFactory, engagement_page
from tests.commissioning.factories import ParticipationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(monkeypatch):
    """A registry holding only the spine's participations, restored afterwards."""
    entries = {"participations": personal_data._REGISTRY["participations"]}
    monkeypatch.setattr(personal_data, "_REGISTRY", entries)
    return entries


def test_the_spine_registers_participations():
    labels = [entry.label for entry in personal_data.registered_personal_data()]

    assert "participations" in labels


def test_registered_exporters_and_anonymisers_all_run(registry):
    user = UserFactory()
    anonymised = []
    personal_data.register_personal_data(
        "budget_responses",
        export=lambda u: [{"proposal": "Close Mill Road library", "view": "oppose"}],
        anonymise=anonymised.append,
    )

    exported = personal_data.personal_data_export(user)
    personal_data.personal_data_anonymise(user)

    assert exported == {
        "participations": [],
        "budget_responses": [{"proposal": "Close Mill Road library", "view": "oppose"}],
    }
    assert anonymised == [user]


def test_registering_a_label_again_replaces_it(registry):
    personal_data.register_personal_data("notes", export=lambda u: [1], anonymise=print)
    personal_data.register_personal_data("notes", export=lambda u: [2], anonymise=print)

    assert personal_data.personal_data_export(UserFactory())["notes"] == [2]


def test_participation_export_is_the_users_own(home_page):
    user = UserFactory()
    mine = engagement_page(home_page, title="Day opportunities survey")
    ParticipationFactory(user=user, engagement=mine, wants_feedback=False)
    ParticipationFactory(
        engagement=engagement_page(home_page, title="Someone else's"), user=UserFactory()
    )

    exported = personal_data.participation_export(user)

    assert len(exported) == 1
    assert exported[0]["engagement"] == "Day opportunities survey"
    assert exported[0]["wants_feedback"] is False
    assert exported[0]["created_at"]


def test_participation_anonymise_keeps_the_record(home_page):
    participation = ParticipationFactory(
        engagement=engagement_page(home_page),
        user=UserFactory(),
        email="jo@example.org",
        wants_feedback=True,
    )
    other = ParticipationFactory(
        engagement=engagement_page(home_page, title="Other"),
        user=UserFactory(),
        wants_feedback=True,
    )

    personal_data.participation_anonymise(participation.user)

    participation.refresh_from_db()
    other.refresh_from_db()
    assert (participation.email, participation.wants_feedback) == ("", False)
    assert participation.user_id is not None
    assert other.wants_feedback is True
