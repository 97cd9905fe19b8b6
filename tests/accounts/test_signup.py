"""Sign-up: the same answer (and cost) for known addresses, one banner, sending again."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail

from accounts.models import User
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

HASHED = []


class CountingHasher(MD5PasswordHasher):
    """Counts password hashes: the costly step of a sign-up."""

    def encode(self, password, salt):
        HASHED.append(password)
        return super().encode(password, salt)


@pytest.fixture
def counting_hasher(settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    HASHED.clear()
    return HASHED


def sign_up(client, email):
    return client.post(
        "/accounts/signup/", {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    )


def test_signing_up_with_a_known_address_costs_a_password_hash_like_a_new_one(
    client, home_page, counting_hasher
):
    UserFactory(email="known@example.org")
    counting_hasher.clear()

    new = sign_up(client, "new@example.org")
    hashes_for_new = len(counting_hasher)
    known = sign_up(client, "known@example.org")

    assert hashes_for_new == 1
    assert len(counting_hasher) == 2
    assert (new.status_code, new["Location"]) == (known.status_code, known["Location"])
    # Both answers send one email, through the same path.
    assert [m.to for m in mail.outbox] == [["new@example.org"], ["known@example.org"]]
    assert User.objects.filter(email="known@example.org").count() == 1


def test_confirming_shows_one_success_banner(client, home_page):
    sign_up(client, "new@example.org")
    link = mail.outbox[0].body.split("/accounts/confirm-email/")[1].split()[0]

    response = client.post(f"/accounts/confirm-email/{link}", follow=True)

    html = response.content.decode()
    assert response.wsgi_request.user.email == "new@example.org"
    assert html.count("govuk-notification-banner--success") == 1
    assert "is confirmed" in html


def test_the_check_your_email_page_offers_to_send_it_again(client, home_page):
    response = sign_up(client, "new@example.org")

    html = client.get(response["Location"]).content.decode()

    assert 'href="/my/confirm-email/again/"' in html


def test_sending_the_confirmation_again(client, home_page):
    user = UserFactory(email="new@example.org", verified=False)
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)

    form = client.get("/my/confirm-email/again/")
    response = client.post("/my/confirm-email/again/", {"email": "New@Example.org"})

    assert form.status_code == 200
    assert 'name="email"' in form.content.decode()
    assert response.status_code == 200
    assert "Check your email" in response.content.decode()
    assert [m.to for m in mail.outbox] == [["new@example.org"]]
    assert "/accounts/confirm-email/" in mail.outbox[0].body


def test_sending_again_answers_the_same_for_unknown_and_confirmed_addresses(
    client, home_page, resident
):
    unknown = client.post("/my/confirm-email/again/", {"email": "nobody@example.org"})
    confirmed = client.post("/my/confirm-email/again/", {"email": resident.email})

    assert unknown.status_code == confirmed.status_code == 200
    assert "Check your email" in unknown.content.decode()
    assert "Check your email" in confirmed.content.decode()
    assert mail.outbox == []


def test_sending_again_with_a_bad_address_shows_the_error_and_keeps_it(client, home_page):
    response = client.post("/my/confirm-email/again/", {"email": "not-an-email"})

    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert 'id="id_email-error"' in html
    assert 'value="not-an-email"' in html


def test_sending_again_is_rate_limited(client, home_page):
    responses = [
        client.post("/my/confirm-email/again/", {"email": "someone@example.org"}) for _ in range(6)
    ]

    assert responses[-1].status_code == 429
    assert "too many times" in responses[-1].content.decode()


def test_the_expired_link_page_offers_to_send_it_again(client, home_page):
    html = client.get("/accounts/confirm-email/not-a-key/").content.decode()

    assert 'href="/my/confirm-email/again/"' in html
