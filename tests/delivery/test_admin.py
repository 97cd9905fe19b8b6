"""The Wagtail admin saves through the services, and keeps every change in the history."""

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from delivery.models import Commitment, ReviewDecision
from tests.refusals import assert_sent_to_dashboard, assert_sent_to_sign_in

from . import factories


@pytest.fixture
def setup(home_page, officer):
    programme, decision, _ = factories.delivered_programme(home_page)
    return programme, decision


def edit_data(commitment, **changes):
    data = {
        "title": commitment.title,
        "description": "",
        "responsible": commitment.responsible,
        "due_on": commitment.due_on.isoformat(),
        "arrangement": "",
        "status": commitment.status,
        "status_reason": "",
        "progress": commitment.progress,
        "update_on": "",
        "update_note": "",
    }
    data.update(changes)
    return data


def test_officers_change_a_commitment_through_the_service(client, setup, officer):
    _, decision = setup
    commitment = factories.commitment(decision, officer)
    client.force_login(officer)
    url = reverse("wagtailsnippets_delivery_commitment:edit", args=[commitment.pk])
    response = client.post(
        url, edit_data(commitment, status="in_progress", progress=30, update_note="Started.")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    commitment.refresh_from_db()
    assert commitment.status == "in_progress"
    assert commitment.updates.order_by("pk").last().text == "Started."
    history = reverse("wagtailsnippets_delivery_commitment:history", args=[commitment.pk])
    assert client.get(history).status_code == 200
    assert (
        ModelLogEntry.objects.for_instance(commitment).filter(action="wagtail.edit").count() == 1
    )


def test_a_drop_without_reason_shows_the_error_and_saves_nothing(client, setup, officer):
    _, decision = setup
    commitment = factories.commitment(decision, officer)
    client.force_login(officer)
    url = reverse("wagtailsnippets_delivery_commitment:edit", args=[commitment.pk])
    response = client.post(url, edit_data(commitment, status="dropped", update_note="Oh well"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Say why the commitment is dropped" in html
    assert "Oh well" in html
    commitment.refresh_from_db()
    assert commitment.status == "planned"


def test_officers_create_a_commitment_from_a_we_did_item(client, setup, officer):
    _, decision = setup
    client.force_login(officer)
    item = decision.items.first()
    response = client.post(
        reverse("wagtailsnippets_delivery_commitment:add"),
        {
            "decision_item": item.pk,
            "title": "Open on Saturdays",
            "description": "",
            "responsible": "Libraries",
            "due_on": "2027-01-31",
            "arrangement": "",
            "status": "planned",
            "status_reason": "",
            "progress": "0",
            "update_on": "",
            "update_note": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    commitment = Commitment.objects.get()
    assert commitment.decision_id == decision.pk
    assert commitment.revisions.count() == 1


def test_record_a_review_decision_in_the_admin(client, setup, officer):
    programme, _ = setup
    review = factories.review(programme)
    client.force_login(officer)
    url = reverse("wagtailsnippets_delivery_reviewdecision:add")
    assert review.title in client.get(url + f"?review={review.pk}").content.decode()
    response = client.post(
        url,
        {
            "review": review.pk,
            "arrangement": "",
            "outcome": "recommission",
            "reason": "Time for a fresh look.",
            "decided_on": "2026-11-30",
            "next_cycle_starts_on": "2027-01-04",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    decision = ReviewDecision.objects.get()
    assert decision.decided_by == officer
    assert len(decision.stages_added) == 4


def test_readings_import_page(client, setup, officer):
    _, decision = setup
    commitment = factories.commitment(decision, officer)
    factories.indicator(commitment, officer, reference="visits")
    client.force_login(officer)
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("delivery_readings_import")
    bad = SimpleUploadedFile("r.csv", b"indicator,date,value\nvisits,2026-01-01,many\n")
    html = client.post(url, {"file": bad}).content.decode()
    assert "Nothing was imported" in html and "The value is not a number." in html
    good = SimpleUploadedFile("r.csv", b"indicator,date,value\nvisits,2026-01-01,12\n")
    assert client.post(url, {"file": good}).status_code == 302


@pytest.mark.parametrize(
    "name", ["commitment", "deliveryarrangement", "indicator", "reviewdecision"]
)
def test_editors_and_residents_cannot_reach_delivery_records(client, editor, resident, name):
    url = reverse(f"wagtailsnippets_delivery_{name}:list")
    client.force_login(editor)
    assert_sent_to_dashboard(client.get(url))
    client.force_login(resident)
    assert_sent_to_sign_in(client.get(url))
    client.force_login(editor)
    assert_sent_to_dashboard(client.get(reverse("delivery_readings_import")))
