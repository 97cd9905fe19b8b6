import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError

from accounts.services import user_account_delete, user_profile_update
from commissioning.models import Participation
from commissioning.personal_data import _REGISTRY as PERSONAL_DATA
from commissioning.personal_data import register_personal_data
from tests.accounts.factories import UserFactory, engagement_page
from tests.commissioning.factories import ParticipationFactory, WardFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def wards(db):
    return {
        "brookside": WardFactory(name="Brookside", postcode_prefixes="KX1, KX2 3"),
        "castlegate": WardFactory(name="Castlegate", postcode_prefixes="KX2"),
    }


def update(user, **kwargs):
    arguments = {
        "display_name": "Jo",
        "postcode": "",
        "ward": None,
        "notify_decisions": True,
        "notify_new_engagements": False,
        **kwargs,
    }
    return user_profile_update(user=user, **arguments)


def test_postcode_sets_the_ward_by_longest_prefix(wards):
    user = UserFactory()

    update(user, postcode="kx2 3ab")

    user.refresh_from_db()
    assert user.postcode == "KX2 3AB"
    assert user.ward == wards["brookside"]
    update(user, postcode="KX2 7ZZ")
    user.refresh_from_db()
    assert user.ward == wards["castlegate"]


def test_ward_can_be_chosen_without_a_postcode(wards):
    user = UserFactory()

    update(user, ward=wards["castlegate"], notify_new_engagements=True)

    user.refresh_from_db()
    assert (user.postcode, user.ward, user.notify_new_engagements) == (
        "",
        wards["castlegate"],
        True,
    )


@pytest.mark.parametrize(
    ("postcode", "message"),
    [("SW1A 1AA", "not in the borough"), ("not a postcode", "Enter a full UK postcode")],
)
def test_bad_postcode_is_refused_and_nothing_saved(wards, postcode, message):
    user = UserFactory(display_name="Before", postcode="KX1 1AA", ward=wards["brookside"])

    with pytest.raises(ValidationError) as caught:
        update(user, display_name="After", postcode=postcode)

    assert message in " ".join(caught.value.message_dict["postcode"])
    user.refresh_from_db()
    assert (user.display_name, user.postcode, user.ward) == (
        "Before",
        "KX1 1AA",
        wards["brookside"],
    )


def test_postcode_and_a_different_ward_disagree(wards):
    user = UserFactory()

    with pytest.raises(ValidationError) as caught:
        update(user, postcode="KX1 1AA", ward=wards["castlegate"])

    assert "Brookside" in caught.value.message_dict["ward"][0]


def test_too_long_a_name_is_refused(wards):
    user = UserFactory(display_name="Jo")

    with pytest.raises(ValidationError) as caught:
        update(user, display_name="x" * 81)

    assert "display_name" in caught.value.message_dict
    user.refresh_from_db()
    assert user.display_name == "Jo"


@pytest.fixture
def registered_extra():
    """An engagement app's personal data, registered for one test only."""
    calls = []
    register_personal_data(
        "test_notes", export=lambda user: [{"note": "hello"}], anonymise=calls.append
    )
    yield calls
    PERSONAL_DATA.pop("test_notes", None)


@pytest.fixture
def deleted_account(home_page, wards, registered_extra):
    """Jo, with a second address and one contribution, after deleting their account."""
    user = UserFactory(
        email="jo@example.org",
        display_name="Jo Bloggs",
        first_name="Jo",
        last_name="Bloggs",
        postcode="KX1 1AA",
        ward=wards["brookside"],
    )
    EmailAddress.objects.create(user=user, email="jo.other@example.org", verified=False)
    engagement = engagement_page(home_page)
    participation = ParticipationFactory(
        engagement=engagement, user=user, ward=wards["brookside"], email="jo@example.org"
    )

    user_account_delete(user=user)

    user.refresh_from_db()
    participation.refresh_from_db()
    return user, participation, engagement


def test_delete_anonymises_the_account(deleted_account, registered_extra):
    user, _, _ = deleted_account
    assert user.email == f"deleted-{user.pk}@invalid.example"
    assert (user.display_name, user.first_name, user.last_name, user.postcode) == ("",) * 4
    assert user.ward is None
    assert not user.is_active
    assert not user.has_usable_password()
    assert user.anonymised_at is not None
    assert not user.notify_decisions
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not EmailAddress.objects.filter(email__icontains="jo").exists()
    # Each engagement app's own personal data is anonymised too.
    assert registered_extra == [user]


def test_delete_keeps_contributions_without_contact_details(deleted_account, wards):
    user, participation, engagement = deleted_account
    assert participation.engagement_id == engagement.pk
    assert participation.user_id == user.pk
    assert participation.ward == wards["brookside"]  # reach counts stay true
    assert (participation.email, participation.wants_feedback) == ("", False)
    assert Participation.objects.count() == 1


def test_delete_removes_roles(officer):
    user_account_delete(user=officer)

    officer.refresh_from_db()
    assert not officer.is_staff
    assert not officer.groups.exists()


def test_delete_twice_changes_nothing_more():
    user = UserFactory()
    first = user_account_delete(user=user).anonymised_at

    second = user_account_delete(user=user).anonymised_at

    assert first == second


def test_email_address_sync_makes_the_account_email_verified_and_primary():
    from accounts.services import user_email_address_sync

    user = UserFactory(email="a@example.org", verified=False)
    EmailAddress.objects.create(user=user, email="old@example.org", verified=True, primary=True)

    user_email_address_sync(user=user)
    user_email_address_sync(user=user)  # a second run changes nothing

    addresses = {a.email: (a.verified, a.primary) for a in EmailAddress.objects.filter(user=user)}
    assert addresses == {"a@example.org": (True, True), "old@example.org": (True, False)}


def test_email_address_sync_leaves_deleted_accounts_alone():
    from accounts.services import user_email_address_sync

    user = user_account_delete(user=UserFactory())

    assert user_email_address_sync(user=user) is None
    assert not EmailAddress.objects.filter(user=user).exists()
