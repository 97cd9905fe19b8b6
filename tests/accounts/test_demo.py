import io

import pytest
from allauth.account.models import EmailAddress

from accounts import demo
from accounts.models import User

pytestmark = pytest.mark.django_db


def test_demo_accounts_load_twice_without_change(home_page):
    demo.load(stdout=io.StringIO())
    first = sorted(User.objects.values_list("email", "display_name", "is_staff", "password"))
    emails = EmailAddress.objects.count()

    demo.load(stdout=io.StringIO())

    assert (
        sorted(User.objects.values_list("email", "display_name", "is_staff", "password")) == first
    )
    assert EmailAddress.objects.count() == emails == len(demo.ACCOUNTS)
    officer = User.objects.get(email="officer@example.org")
    assert officer.check_password(demo.DEMO_PASSWORD)
    assert officer.groups.filter(name="Officers").exists()
    assert User.objects.get(email="admin@example.org").is_superuser


def test_demo_staff_sign_in_with_the_published_key_and_codes(home_page, client):
    from pathlib import Path

    from allauth.mfa.models import Authenticator

    from tests.accounts.factories import totp_code

    demo.load(stdout=io.StringIO())
    demo.load(stdout=io.StringIO())

    staff = set(
        Authenticator.objects.filter(type=Authenticator.Type.TOTP).values_list(
            "user__email", flat=True
        )
    )
    assert staff == {"admin@example.org", "officer@example.org", "editor@example.org"}
    assert Authenticator.objects.filter(type=Authenticator.Type.RECOVERY_CODES).count() == 3
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert demo.DEMO_TOTP_SECRET in readme
    assert all(code in readme for code in demo.demo_recovery_codes())

    client.post(
        "/accounts/login/?next=/admin/",
        {"login": "officer@example.org", "password": demo.DEMO_PASSWORD},
    )
    response = client.post(
        "/accounts/2fa/authenticate/", {"code": totp_code(demo.DEMO_TOTP_SECRET)}
    )
    assert response["Location"] == "/admin/"
    client.post("/accounts/logout/")
    client.post(
        "/accounts/login/?next=/admin/",
        {"login": "editor@example.org", "password": demo.DEMO_PASSWORD},
    )
    response = client.post("/accounts/2fa/authenticate/", {"code": demo.demo_recovery_codes()[0]})
    assert response["Location"] == "/admin/"
