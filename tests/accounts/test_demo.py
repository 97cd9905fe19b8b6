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
