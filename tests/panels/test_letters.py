"""Letters: one print-ready PDF, one A4 page per household, made in the background."""

import io

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from panels import services
from panels.letters import invitation_letters_pdf
from panels.models import Application, Invitation, LotteryEntry, LotteryRun, PrintBatch
from panels.tasks import lottery_notify_task
from tests.panels.factories import (
    ApplicationFactory,
    make_addresses,
    make_wards,
    registration_answers,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def drawn(panel, officer):
    panel.payment = "£30 an hour and travel costs."
    panel.registration_phone = "01632 960 555"
    panel.save()
    make_addresses(panel, make_wards(), per_ward=10)
    return services.invitations_draw(panel=panel, user=officer, size=7, seed=3)


def test_one_page_per_invitation_each_with_its_code(panel, drawn):
    pdf, letters = invitation_letters_pdf(panel)
    reader = PdfReader(io.BytesIO(pdf))
    invitations = list(Invitation.objects.filter(panel=panel).select_related("address"))
    assert letters == len(reader.pages) == len(invitations) == 7
    texts = [page.extract_text() for page in reader.pages]
    for invitation, text in zip(invitations, texts, strict=True):
        assert invitation.display_code in text
        assert invitation.address.line_1 in text
        assert "Kelderby Borough Council" in text  # SiteSettings.council_name's default
        assert "01632 960 555" in text
        assert "£30 an hour" in text
        assert "/join/" in text
        assert "Reply slip" in text
    # Page size A4.
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_letters_are_made_by_the_task_and_downloaded_by_officers(
    client, panel, officer, drawn, django_capture_on_commit_callbacks, user_factory
):
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.letters_request(panel=panel, user=officer)
    batch.refresh_from_db()
    assert (batch.status, batch.letters) == (PrintBatch.READY, 7)
    client.force_login(officer)
    response = client.get(f"/admin/panels/invitations/letters/{batch.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(response.content)).pages) == 7
    # Another officer (not this panel's) cannot.
    from tests.panels.factories import make_officer

    client.force_login(make_officer(user_factory))
    refused = client.get(f"/admin/panels/invitations/letters/{batch.pk}/")
    # The admin turns PermissionDenied into a redirect with a message.
    assert refused.status_code == 302 and refused["Content-Type"] != "application/pdf"


def test_letters_need_a_draw(panel, officer):
    with pytest.raises(ValidationError):
        services.letters_request(panel=panel, user=officer)


def test_result_letters_for_people_without_email(
    panel, officer, drawn, mailoutbox, django_capture_on_commit_callbacks
):
    invitations = list(Invitation.objects.filter(panel=panel))
    by_post = services.registration_submit(
        code=invitations[0].code,
        data=registration_answers(name="Pat Post", email="", phone="07700 900001"),
        channel=Application.PAPER,
        entered_by=officer,
    )
    by_email = ApplicationFactory(panel=panel, email="e@example.org")
    run = LotteryRun.objects.create(
        panel=panel, seats=1, seed=1, algorithm_requested="maximin", status=LotteryRun.COMPLETED
    )
    LotteryEntry.objects.create(run=run, application=by_post, selected=True, probability=0.5)
    LotteryEntry.objects.create(run=run, application=by_email, selected=False, probability=0.5)
    with django_capture_on_commit_callbacks(execute=True):
        lottery_notify_task.enqueue(run.pk)
    assert [m.to for m in mailoutbox] == [["e@example.org"]]
    batch = PrintBatch.objects.get(panel=panel, kind=PrintBatch.RESULTS)
    assert batch.status == PrintBatch.READY
    reader = PdfReader(io.BytesIO(bytes(batch.pdf)))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Pat Post" in text and "you were drawn" in text
    assert invitations[0].address.line_1 in text


def test_a_failed_batch_is_recorded_for_officers(panel, officer, drawn, monkeypatch):
    from panels import letters

    def broken(panel):
        raise OSError("disk full")

    monkeypatch.setattr(letters, "invitation_letters_pdf", broken)
    batch = PrintBatch.objects.create(panel=panel, kind=PrintBatch.INVITATIONS)
    services.letters_make(batch_id=batch.pk)
    batch.refresh_from_db()
    assert (batch.status, batch.error) == (PrintBatch.FAILED, "OSError: disk full")
    # Officers can ask again once it has failed.
    assert services.letters_request(panel=panel, user=officer).pk != batch.pk
