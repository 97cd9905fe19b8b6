"""The weekly digest of new engagements in a person's ward, and the profile choice for it."""

import os
import threading
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection

from accounts.models import EngagementDigestEntry
from accounts.services import (
    EXAMPLE_POSTCODE,
    engagement_digest_send,
    engagement_digests_send,
    user_profile_update,
)
from commissioning.models import Ward
from tests.accounts.factories import UserFactory, engagement_page
from tests.commissioning.factories import WardFactory, closed_window, programme, programme_index

pytestmark = pytest.mark.django_db


@pytest.fixture
def wards(db):
    return {
        "brookside": WardFactory(name="Brookside", postcode_prefixes="KX1"),
        "fernhill": WardFactory(name="Fernhill", postcode_prefixes="KX5"),
    }


@pytest.fixture
def programmes(home_page, wards):
    index = programme_index(home_page)
    return {
        "brookside": programme(index, wards=[wards["brookside"]], title="Brookside parks"),
        "fernhill": programme(index, wards=[wards["fernhill"]], title="Fernhill libraries"),
        "borough": programme(index, title="Borough-wide care"),
    }


@pytest.fixture
def subscriber(wards):
    return UserFactory(
        email="jo@example.org", ward=wards["brookside"], notify_new_engagements=True
    )


def test_the_digest_lists_open_engagements_in_the_ward_and_borough_wide(
    programmes, subscriber, settings
):
    settings.WAGTAILADMIN_BASE_URL = "https://participate.kelderby.example"
    engagement_page(programmes["brookside"], title="Parks survey")
    engagement_page(programmes["borough"], title="Care consultation")
    engagement_page(programmes["fernhill"], title="Library hours")
    engagement_page(programmes["brookside"], title="Closed survey", **closed_window())

    assert engagement_digests_send() == (1, 2)

    assert [m.to for m in mail.outbox] == [["jo@example.org"]]
    body = mail.outbox[0].body
    assert "Parks survey" in body and "Care consultation" in body
    assert "Library hours" not in body and "Closed survey" not in body
    assert "https://participate.kelderby.example/" in body
    assert "Kelderby Borough Council" in body
    assert "Brookside" in mail.outbox[0].subject


def test_nobody_hears_about_the_same_engagement_twice(programmes, subscriber):
    engagement_page(programmes["brookside"], title="Parks survey")
    engagement_digests_send()

    assert engagement_digests_send() == (0, 0)
    engagement_page(programmes["brookside"], title="Play areas")
    engagement_digests_send()

    assert len(mail.outbox) == 2
    assert "Play areas" in mail.outbox[1].body
    assert "Parks survey" not in mail.outbox[1].body
    assert EngagementDigestEntry.objects.filter(user=subscriber).count() == 2


@pytest.mark.parametrize(
    "change",
    [
        {"notify_new_engagements": False},
        {"is_active": False},
        {"ward": None},
    ],
)
def test_the_digest_is_for_people_who_asked_and_can_receive_it(programmes, subscriber, change):
    for field, value in change.items():
        setattr(subscriber, field, value)
    subscriber.save()
    engagement_page(programmes["brookside"], title="Parks survey")

    assert engagement_digests_send() == (0, 0)
    assert mail.outbox == []


def test_no_digest_to_an_unconfirmed_address(programmes, wards):
    user = UserFactory(ward=wards["brookside"], notify_new_engagements=True, verified=False)
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    engagement_page(programmes["brookside"], title="Parks survey")

    assert engagement_digests_send() == (0, 0)


def test_the_digest_is_off_by_default(wards):
    assert not UserFactory(ward=wards["brookside"]).notify_new_engagements


def test_a_failed_send_records_nothing_so_next_week_tries_again(programmes, subscriber, settings):
    settings.EMAIL_BACKEND = "tests.coproduce.test_mail.OutageBackend"
    engagement_page(programmes["brookside"], title="Parks survey")

    with pytest.raises(ConnectionRefusedError):
        engagement_digest_send(user_id=subscriber.pk)

    assert not EngagementDigestEntry.objects.exists()


def test_the_command_queues_the_weekly_digest(programmes, subscriber):
    engagement_page(programmes["brookside"], title="Parks survey")
    out = StringIO()

    call_command("send_engagement_digests", stdout=out)

    assert "Sent 1 digest(s) listing 1 engagement(s)." in out.getvalue()
    assert len(mail.outbox) == 1


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="SQLite in memory has one connection: concurrency needs PostgreSQL",
)
# Serialized rollback, as the browser tests: the flush after this test then
# leaves the content type cache that other tests rely on alone.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_runs_at_once_send_one_digest(programmes, subscriber):
    engagement_page(programmes["brookside"], title="Parks survey")
    barrier = threading.Barrier(2)
    counts = []

    def run():
        barrier.wait()
        try:
            counts.append(engagement_digest_send(user_id=subscriber.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(counts) == [0, 1]
    assert len(mail.outbox) == 1
    assert EngagementDigestEntry.objects.count() == 1


# The profile choice


def test_choosing_the_digest_needs_a_ward(subscriber):
    with pytest.raises(ValidationError) as refused:
        user_profile_update(
            user=subscriber,
            display_name="Jo",
            postcode="",
            ward=None,
            notify_decisions=True,
            notify_new_engagements=True,
        )

    assert "notifications" in refused.value.message_dict


def test_the_postcode_error_and_hint_give_the_same_example_in_the_borough(
    client, home_page, wards, subscriber
):
    client.force_login(subscriber)

    response = client.post(
        "/my/profile/",
        {"display_name": "Jo", "postcode": "nonsense", "ward": "", "notifications": []},
    )

    html = response.content.decode()
    assert f"Enter a full UK postcode, like {EXAMPLE_POSTCODE}." in html
    assert f"For example, {EXAMPLE_POSTCODE}." in html
    assert "AW1" not in html
    assert Ward.objects.for_postcode(EXAMPLE_POSTCODE) == wards["brookside"]
