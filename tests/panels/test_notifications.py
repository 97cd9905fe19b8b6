"""What panels tell people, through GOV.UK Notify (a local fake) or by email and the print room."""

import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from coproduce.messaging import messages_send
from coproduce.models import OutboundMessage
from panels import services
from panels.models import Application, Invitation, LotteryEntry, LotteryRun, PrintBatch
from panels.notifications import is_uk_mobile, panel_scope
from panels.tasks import lottery_notify_task
from tests.panels.factories import (
    ApplicationFactory,
    make_addresses,
    make_wards,
    registration_answers,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitations(panel, officer):
    make_addresses(panel, make_wards(), per_ward=10)
    services.invitations_draw(panel=panel, user=officer, size=5, seed=3)
    return list(Invitation.objects.filter(panel=panel).select_related("address").order_by("pk"))


def _register(invitation, officer, **answers):
    return services.registration_submit(
        code=invitation.code,
        data=registration_answers(**answers),
        channel=Application.PHONE,
        entered_by=officer,
    )


def _messages(panel):
    return OutboundMessage.objects.filter(scope=panel_scope(panel)).order_by("pk")


def test_uk_mobiles():
    assert is_uk_mobile("07700 900123") and is_uk_mobile("+44 7700 900123")
    assert not is_uk_mobile("01632 960001") and not is_uk_mobile("")


# ---------------------------------------------------------------- with GOV.UK Notify


def test_invitation_letters_go_to_notify_one_pdf_each(
    client, notify, panel, officer, invitations, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.letters_request(panel=panel, user=officer)
    batch.refresh_from_db()
    assert (batch.delivery, batch.status, batch.letters) == (
        PrintBatch.NOTIFY,
        PrintBatch.READY,
        5,
    )
    assert batch.pdf is None
    letters = notify.of_type("letter")
    assert len(letters) == 5
    assert sorted(n["reference"] for n in letters) == sorted(
        f"panels.invitation:{i.pk}" for i in invitations
    )
    by_reference = {n["reference"]: n for n in letters}
    for invitation in invitations:
        sent = by_reference[f"panels.invitation:{invitation.pk}"]
        assert sent["pages"] == 1
        assert sent["address"] == ["The Resident", *invitation.address.lines]
        text = PdfReader(io.BytesIO(sent["pdf"])).pages[0].extract_text()
        assert invitation.display_code in text
    assert set(_messages(panel).values_list("status", "route")) == {
        (OutboundMessage.SENT, OutboundMessage.NOTIFY)
    }
    with pytest.raises(ValidationError, match="already been sent through GOV.UK Notify"):
        services.letters_request(panel=panel, user=officer)
    client.force_login(officer)
    html = client.get(f"/admin/panels/invitations/panel/{panel.pk}/").content.decode()
    assert "The letters have been sent through GOV.UK Notify" in html
    assert "5 letters queued to GOV.UK Notify" in html
    # The record of each letter names its address: it goes when the addresses are purged.
    services.addresses_purge(panel=panel)
    assert not _messages(panel).exists()


def test_registration_is_confirmed_by_email_or_text(
    notify, panel, officer, invitations, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _register(invitations[0], officer, email="sam@example.org")
        _register(invitations[1], officer, name="Pat", email="", phone="07700 900123")
        _register(invitations[2], officer, name="Lou", email="", phone="01632 960001")
    [email] = notify.of_type("email")
    assert email["to"] == "sam@example.org"
    assert email["personalisation"]["subject"].endswith(
        f"You are registered for the {panel.title}"
    )
    assert "We will email you with the result" in email["personalisation"]["body"]
    [text] = notify.of_type("sms")
    assert text["to"] == "07700 900123"
    assert "you are registered" in text["personalisation"]["body"]
    # A landline cannot take a text: nothing is queued for it.
    assert _messages(panel).count() == 2


def test_results_by_email_and_to_people_without_email_by_letter_and_text(
    notify, panel, officer, invitations, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        by_phone = _register(
            invitations[0], officer, name="Pat Post", email="", phone="07700 900123"
        )
    by_email = ApplicationFactory(panel=panel, email="e@example.org")
    run = LotteryRun.objects.create(
        panel=panel, seats=1, seed=1, algorithm_requested="maximin", status=LotteryRun.COMPLETED
    )
    LotteryEntry.objects.create(run=run, application=by_phone, selected=True, probability=0.5)
    LotteryEntry.objects.create(run=run, application=by_email, selected=False, probability=0.5)
    with django_capture_on_commit_callbacks(execute=True):
        lottery_notify_task.enqueue(run.pk)
    [email] = notify.of_type("email")
    assert email["to"] == "e@example.org"
    assert "you were not selected" in email["personalisation"]["body"]
    [letter] = notify.of_type("letter")
    assert letter["address"] == ["Pat Post", *invitations[0].address.lines]
    text = PdfReader(io.BytesIO(letter["pdf"])).pages[0].extract_text()
    assert "you were drawn" in text
    texts = [n for n in notify.of_type("sms") if n["reference"].startswith("panels.result")]
    assert len(texts) == 1 and "you have been drawn" in texts[0]["personalisation"]["body"]
    assert not PrintBatch.objects.filter(panel=panel).exists()
    # Told once, even if the task runs again.
    LotteryRun.objects.filter(pk=run.pk).update(notified_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        lottery_notify_task.enqueue(run.pk)
    assert len(notify.of_type("letter")) == 1


def test_a_notify_outage_is_shown_to_officers_and_retried(
    client, notify, panel, officer, invitations, django_capture_on_commit_callbacks
):
    # Each registration's task tries every pending message of the panel: 2 × 2 attempts.
    notify.fail_next(500, times=4)
    with django_capture_on_commit_callbacks(execute=True):
        _register(invitations[0], officer, email="sam@example.org")
        _register(invitations[1], officer, name="Pat", email="", phone="07700 900123")
    assert notify.sent == []
    client.force_login(officer)
    page = client.get(f"/admin/panels/invitations/panel/{panel.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Waiting to be sent" in html and "GOV.UK Notify answered 500" in html
    assert "sam@example.org" in html and "07700 900123" in html
    assert "Try the failed messages again" not in html  # pending: the worker retries them
    assert messages_send(scope=panel_scope(panel)) == (2, 0)
    assert len(notify.sent) == 2
    html = client.get(f"/admin/panels/invitations/panel/{panel.pk}/").content.decode()
    assert "GOV.UK Notify answered 500" not in html


def test_officers_send_failed_messages_again(
    client, notify, panel, officer, invitations, django_capture_on_commit_callbacks
):
    notify.fail_next(400)
    with django_capture_on_commit_callbacks(execute=True):
        _register(invitations[0], officer, email="sam@example.org")
    assert _messages(panel).get().status == OutboundMessage.FAILED
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/panels/invitations/panel/{panel.pk}/", {"action": "resend"}
        )
    assert response.status_code == 302
    assert _messages(panel).get().status == OutboundMessage.SENT


# ---------------------------------------------------------------- without Notify


def test_without_notify_email_by_smtp_no_text_and_letters_printed(
    client, panel, officer, invitations, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _register(invitations[0], officer, email="sam@example.org")
        _register(invitations[1], officer, name="Pat", email="", phone="07700 900123")
        batch = services.letters_request(panel=panel, user=officer)
    assert [m.to for m in mail.outbox] == [["sam@example.org"]]
    assert "You are registered" in mail.outbox[0].subject
    text = _messages(panel).get(channel=OutboundMessage.SMS)
    assert text.status == OutboundMessage.NO_ROUTE
    batch.refresh_from_db()
    assert (batch.delivery, batch.status, batch.letters) == (PrintBatch.PRINT, PrintBatch.READY, 5)
    client.force_login(officer)
    html = client.get(f"/admin/panels/invitations/panel/{panel.pk}/").content.decode()
    assert "GOV.UK Notify is not set up" in html
    assert "Not sent: no service for this channel" in html
    assert "Make the letters PDF" in html


def test_the_officer_page_has_a_fixed_query_count(
    client, panel, officer, invitations, django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):  # fmt: skip
    client.force_login(officer)
    url = f"/admin/panels/invitations/panel/{panel.pk}/"
    with django_assert_max_num_queries(60) as few:
        client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        for i, invitation in enumerate(invitations):
            _register(invitation, officer, name=f"P{i}", email="", phone=f"07700 90012{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
