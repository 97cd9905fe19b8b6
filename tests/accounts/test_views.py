"""The resident's own pages: profile, data download, account deletion."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from commissioning.models import Participation
from tests.accounts.factories import PASSWORD, UserFactory, engagement_page
from tests.commissioning.factories import ParticipationFactory, WardFactory

pytestmark = pytest.mark.django_db

PROFILE = "/my/profile/"
DOWNLOAD = "/my/profile/data/"
DELETE = "/my/profile/delete/"
DELETE_DATA = {"confirm": "on", "password": PASSWORD, "contributions": "keep"}


@pytest.fixture
def brookside(db):
    return WardFactory(name="Brookside", postcode_prefixes="KX1")


def profile_data(**kwargs):
    return {"display_name": "Jo", "postcode": "", "ward": "", "notifications": [], **kwargs}


@pytest.mark.parametrize("url", [PROFILE, DOWNLOAD, DELETE])
def test_pages_need_sign_in(client, home_page, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_profile_shows_the_form_and_links(client, home_page, resident, brookside):
    client.force_login(resident)

    response = client.get(PROFILE)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="postcode"' in html
    assert 'class="govuk-select"' in html
    assert "Brookside" in html
    assert 'class="govuk-checkboxes__input"' in html
    for href in ("/my/participation/", "/accounts/email/", "/accounts/password/change/"):
        assert f'href="{href}"' in html
    assert f'href="{DOWNLOAD}"' in html
    assert f'href="{DELETE}"' in html


def test_profile_update_derives_the_ward(client, home_page, resident, brookside):
    client.force_login(resident)

    response = client.post(
        PROFILE,
        profile_data(display_name="Jo B", postcode="kx1 4zz", notifications=["notify_decisions"]),
    )

    assert response.status_code == 302
    resident.refresh_from_db()
    assert (resident.display_name, resident.postcode, resident.ward) == (
        "Jo B",
        "KX1 4ZZ",
        brookside,
    )
    assert resident.notify_decisions
    assert not resident.notify_new_engagements
    assert "Your profile has been saved" in client.get(PROFILE).content.decode()


def test_profile_update_with_a_ward_chosen(client, home_page, resident, brookside):
    client.force_login(resident)

    client.post(PROFILE, profile_data(ward=str(brookside.pk)))

    resident.refresh_from_db()
    assert resident.ward == brookside
    assert resident.postcode == ""


def test_bad_postcode_shows_the_error_by_the_field_keeps_input_saves_nothing(
    client, home_page, brookside
):
    user = UserFactory(display_name="Before", postcode="KX1 1AA", ward=brookside)
    client.force_login(user)

    response = client.post(PROFILE, profile_data(display_name="After", postcode="SW1A 1AA"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert '<a href="#id_postcode">' in html
    assert 'id="id_postcode-error" class="govuk-error-message"' in html
    assert "not in the borough" in html
    assert 'value="SW1A 1AA"' in html
    assert 'value="After"' in html
    user.refresh_from_db()
    assert (user.display_name, user.postcode, user.ward) == ("Before", "KX1 1AA", brookside)


def test_malformed_postcode_and_unknown_ward_are_errors_not_500s(client, home_page, resident):
    client.force_login(resident)

    response = client.post(PROFILE, profile_data(postcode="12345", ward="999999"))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_ward-error"' in html
    assert "Choose a ward from the list." in html


def test_profile_page_queries_do_not_grow_with_wards(
    client, home_page, resident, django_assert_num_queries
):
    client.force_login(resident)
    WardFactory()
    client.get(PROFILE)  # warm caches (site settings, content types)
    with CaptureQueriesContext(connection) as small:
        client.get(PROFILE)
    WardFactory.create_batch(30)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(PROFILE)


def test_data_download_contains_everything_held(client, home_page, brookside):
    user = UserFactory(
        email="jo@example.org", display_name="Jo", postcode="KX1 1AA", ward=brookside
    )
    EmailAddress.objects.create(user=user, email="jo.work@example.org", verified=False)
    engagement = engagement_page(home_page, title="Libraries budget")
    ParticipationFactory(engagement=engagement, user=user, ward=brookside, wants_feedback=True)
    ParticipationFactory(engagement=engagement_page(home_page, title="Other"), user=UserFactory())
    client.force_login(user)

    response = client.get(DOWNLOAD)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == "jo@example.org"
    assert data["account"]["display_name"] == "Jo"
    assert data["account"]["postcode"] == "KX1 1AA"
    assert data["account"]["ward"] == "Brookside"
    assert sorted(a["email"] for a in data["email_addresses"]) == [
        "jo.work@example.org",
        "jo@example.org",
    ]
    assert [p["engagement"] for p in data["participations"]] == ["Libraries budget"]
    assert data["participations"][0]["wants_feedback"] is True
    assert "password" not in json.dumps(data)


def test_data_download_queries_do_not_grow_with_participations(
    client, home_page, resident, django_assert_num_queries
):
    client.force_login(resident)
    ParticipationFactory(user=resident, engagement=engagement_page(home_page, title="E0"))
    client.get(DOWNLOAD)
    with CaptureQueriesContext(connection) as small:
        client.get(DOWNLOAD)
    for n in range(1, 6):
        ParticipationFactory(user=resident, engagement=engagement_page(home_page, title=f"E{n}"))
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(DOWNLOAD)
    assert len(json.loads(response.content)["participations"]) == 6


def test_delete_page_asks_for_confirmation_and_password(client, home_page, resident):
    client.force_login(resident)

    html = client.get(DELETE).content.decode()

    assert 'name="confirm"' in html
    assert 'type="password"' in html
    assert "govuk-button--warning" in html


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"password": PASSWORD, "contributions": "keep"}, "confirm"),
        ({"confirm": "on", "password": "wrong", "contributions": "keep"}, "password"),
        ({"confirm": "on", "password": "", "contributions": "keep"}, "password"),
        ({"confirm": "on", "password": PASSWORD}, "contributions"),
        ({"confirm": "on", "password": PASSWORD, "contributions": "shred"}, "contributions"),
    ],
)
def test_delete_refused_without_both_confirmations(client, home_page, resident, data, field):
    client.force_login(resident)

    response = client.post(DELETE, data)

    html = response.content.decode()
    assert response.status_code == 200
    first_input = f"id_{field}_0" if field == "contributions" else f"id_{field}"
    assert f'<a href="#{first_input}">' in html
    assert f'id="id_{field}-error"' in html
    resident.refresh_from_db()
    assert resident.is_active
    assert resident.email == "resident@example.org"


def test_delete_anonymises_signs_out_and_keeps_contributions(client, home_page, resident):
    participation = ParticipationFactory(user=resident, engagement=engagement_page(home_page))
    client.force_login(resident)

    response = client.post(DELETE, DELETE_DATA)

    assert response.status_code == 302
    assert response["Location"] == "/my/profile/deleted/"
    assert "_auth_user_id" not in client.session
    assert "has been deleted" in client.get(response["Location"]).content.decode()
    user = User.objects.get(pk=resident.pk)
    assert user.email == f"deleted-{user.pk}@invalid.example"
    assert not User.objects.filter(email="resident@example.org").exists()
    assert Participation.objects.get(pk=participation.pk).user_id == user.pk
    login = client.post(
        "/accounts/login/", {"login": "resident@example.org", "password": PASSWORD}
    )
    assert "_auth_user_id" not in client.session
    assert login.status_code == 200


def test_superuser_cannot_delete_themselves_here(client, home_page):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)

    response = client.post(DELETE, DELETE_DATA)

    assert response.status_code == 403
    admin.refresh_from_db()
    assert admin.is_active


def test_delete_is_rate_limited(client, home_page, resident):
    client.force_login(resident)

    responses = [client.post(DELETE, {**DELETE_DATA, "password": "wrong"}) for _ in range(6)]

    assert responses[-1].status_code == 429
    assert "too many times" in responses[-1].content.decode()
    response = client.post(DELETE, DELETE_DATA)
    assert response.status_code == 429
    resident.refresh_from_db()
    assert resident.is_active


def test_profile_updates_are_rate_limited(client, home_page, resident):
    client.force_login(resident)

    responses = [client.post(PROFILE, profile_data(display_name=f"N{n}")) for n in range(32)]

    assert responses[-1].status_code == 429
    assert "too many times" in responses[-1].content.decode()
    resident.refresh_from_db()
    assert resident.display_name == "N29"


ABOUT_YOU = "/my/profile/about-you/"


class TestAboutYou:
    """Demographics given once, with consent, for reach by group; withdrawn by deletion."""

    def test_needs_sign_in(self, client, home_page):
        assert client.get(ABOUT_YOU).status_code == 302

    def test_saved_only_with_consent(self, client, home_page, resident):
        from commissioning.models import DemographicProfile

        client.force_login(resident)
        response = client.post(ABOUT_YOU, {"age_band": "25-34", "carer": "yes"})
        html = response.content.decode()
        assert response.status_code == 200
        assert "govuk-error-summary" in html and "Tick the box to agree" in html
        assert 'value="25-34" checked' in html  # the answers are kept
        assert not DemographicProfile.objects.exists()

        response = client.post(ABOUT_YOU, {"age_band": "25-34", "carer": "yes", "consent": "on"})
        assert response.status_code == 302
        profile = DemographicProfile.objects.get(user=resident)
        assert (profile.age_band, profile.carer, profile.gender) == ("25-34", "yes", "")

    def test_a_bad_value_is_an_error_not_a_500(self, client, home_page, resident):
        from commissioning.models import DemographicProfile

        client.force_login(resident)
        response = client.post(ABOUT_YOU, {"age_band": "99-100", "consent": "on"})
        assert response.status_code == 200
        assert "Choose one of the options." in response.content.decode()
        assert not DemographicProfile.objects.exists()

    def test_withdrawing_deletes_the_answers(self, client, home_page, resident):
        from commissioning.models import DemographicProfile

        client.force_login(resident)
        client.post(ABOUT_YOU, {"ethnicity": "mixed", "consent": "on"})
        assert "Delete my answers" in client.get(ABOUT_YOU).content.decode()
        response = client.post(ABOUT_YOU, {"withdraw": "1"})
        assert response.status_code == 302
        assert not DemographicProfile.objects.filter(user=resident).exists()

    def test_in_my_data_and_wiped_on_account_deletion(self, client, home_page, resident):
        from accounts.services import user_account_delete
        from commissioning.models import DemographicProfile

        client.force_login(resident)
        client.post(ABOUT_YOU, {"disability": "yes", "consent": "on"})
        data = json.loads(client.get(DOWNLOAD).content)
        assert data["about_you"][0]["Disability"] == "Disabled (day-to-day activities limited)"
        user_account_delete(user=resident)
        assert not DemographicProfile.objects.exists()

    def test_profile_links_to_it(self, client, home_page, resident):
        client.force_login(resident)
        assert f'href="{ABOUT_YOU}"' in client.get(PROFILE).content.decode()
