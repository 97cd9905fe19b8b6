"""Registration by code, without an account: online at /join/, and entered by officers."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from commissioning.models import Participation
from panels import services
from panels.models import Application, Invitation, LotteryRun
from panels.selectors import pool_by_channel, pool_for
from tests.panels.factories import (
    ApplicationFactory,
    make_addresses,
    make_wards,
    registration_answers,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitations(panel, officer):
    wards = make_wards()
    make_addresses(panel, wards, per_ward=10)
    services.invitations_draw(panel=panel, user=officer, size=8, seed=5)
    return list(Invitation.objects.filter(panel=panel).select_related("address", "ward"))


def _code(error):
    return error.error_dict["code"][0].code if hasattr(error, "error_dict") else error.code


# ---------------------------------------------------------------- the service


def test_registration_becomes_an_application_in_the_pool(panel, invitations):
    invitation = invitations[0]
    code = f"{invitation.code[:4].lower()} {invitation.code[4:].lower()}"  # as people type it
    application = services.registration_submit(code=code, data=registration_answers())
    assert application.channel == Application.LETTER
    assert application.invitation == invitation
    assert application.ward == invitation.ward
    assert application.postcode == invitation.address.postcode
    assert application.user is None and application.entered_by is None
    assert list(pool_for(panel=panel)) == [application]
    participation = Participation.objects.get(engagement=panel)
    assert (participation.channel, participation.user) == (Participation.WEB, None)


def test_one_registration_per_code(panel, invitations):
    code = invitations[0].code
    services.registration_submit(code=code, data=registration_answers())
    with pytest.raises(ValidationError) as caught:
        services.registration_submit(
            code=code, data=registration_answers(email="other@example.org")
        )
    assert _code(caught.value) == "used_code"
    assert "already registered" in str(caught.value)
    assert Application.objects.count() == 1


def test_unknown_code(panel, invitations):
    with pytest.raises(ValidationError) as caught:
        services.registration_submit(code="ZZZZ-ZZZZ", data=registration_answers())
    assert _code(caught.value) == "unknown_code"


def test_needs_email_or_phone(panel, invitations):
    with pytest.raises(ValidationError):
        services.registration_submit(
            code=invitations[0].code, data=registration_answers(email="", phone="")
        )
    application = services.registration_submit(
        code=invitations[0].code, data=registration_answers(email="", phone="07700 900123")
    )
    assert application.email == ""
    # Two people without email on one panel are fine (the unique email rule ignores blanks).
    services.registration_submit(
        code=invitations[1].code, data=registration_answers(email="", phone="07700 900124")
    )


def test_assisted_registration_records_channel_and_officer(panel, officer, invitations):
    application = services.registration_submit(
        code=invitations[0].code,
        data=registration_answers(email="", phone="07700 900123"),
        channel=Application.PHONE,
        entered_by=officer,
        panel=panel,
    )
    assert (application.channel, application.entered_by) == (Application.PHONE, officer)
    assert Participation.objects.get(engagement=panel).channel == Participation.PAPER


def test_only_the_panels_officers_enter_registrations(panel, invitations, user_factory):
    with pytest.raises(ValidationError) as caught:
        services.registration_submit(
            code=invitations[0].code,
            data=registration_answers(),
            channel=Application.PAPER,
            entered_by=user_factory(is_staff=True),
        )
    assert caught.value.code == "forbidden"
    with pytest.raises(ValidationError):
        services.registration_submit(
            code=invitations[0].code, data=registration_answers(), channel=Application.PAPER
        )


def test_no_registration_once_drawn(panel, invitations):
    LotteryRun.objects.create(
        panel=panel,
        seats=4,
        seed=1,
        algorithm_requested="maximin",
        status=LotteryRun.QUEUED,
    )
    with pytest.raises(ValidationError) as caught:
        services.registration_submit(code=invitations[0].code, data=registration_answers())
    assert caught.value.code == "drawn"


def test_open_applicants_left_out_when_the_officer_says_so(panel, invitations):
    online = ApplicationFactory(panel=panel)
    registered = services.registration_submit(
        code=invitations[0].code, data=registration_answers()
    )
    assert set(pool_for(panel=panel)) == {online, registered}
    panel.include_open_applicants = False
    panel.save()
    assert list(pool_for(panel=panel)) == [registered]
    summary = {label: (count, included) for label, count, included in pool_by_channel(panel=panel)}
    assert summary["Online application"] == (1, False)
    assert summary["Invitation letter, registered online"] == (1, True)


# ---------------------------------------------------------------- /join/


def _form(**extra):
    data = registration_answers(**extra)
    return {**data, "consent": "on" if data["consent"] else ""}


def test_join_by_code_then_register(client, panel, invitations):
    invitation = invitations[0]
    page = client.get(reverse("panels_join"))
    assert page.status_code == 200
    response = client.post(reverse("panels_join"), {"code": invitation.display_code})
    assert response.status_code == 302
    form = client.get(response["Location"])
    assert form.status_code == 200
    assert invitation.display_code.encode() in form.content
    assert b"Which ward do you live in?" not in form.content  # known from the address
    done = client.post(reverse("panels_join_register"), _form())
    assert done.status_code == 200
    assert b"You are registered" in done.content
    assert Application.objects.get().invitation == invitation
    # The code is spent: entering it again says so kindly.
    again = client.post(reverse("panels_join"), {"code": invitation.code})
    assert again.status_code == 200
    assert b"already registered with this code" in again.content


def test_join_form_errors_keep_input(client, panel, invitations):
    client.post(reverse("panels_join"), {"code": invitations[0].code})
    response = client.post(
        reverse("panels_join_register"), _form(email="", phone="", name="Kept Name")
    )
    assert response.status_code == 200
    assert b"Give an email address or a phone number" in response.content
    assert b"Kept Name" in response.content
    assert not Application.objects.exists()


def test_unknown_code_says_so(client, panel, invitations):
    response = client.post(reverse("panels_join"), {"code": "ABCD-EFGH"})
    assert response.status_code == 200
    assert b"We cannot find that code" in response.content
    assert b"ABCD-EFGH" in response.content


def test_guessing_codes_is_rate_limited(client, panel, invitations):
    for n in range(10):
        response = client.post(reverse("panels_join"), {"code": f"ABCD-EF{n}H"})
        assert b"We cannot find that code" in response.content
    # Even the right code is refused once over the limit, saying when to try again.
    response = client.post(reverse("panels_join"), {"code": invitations[0].code})
    assert response.status_code == 200
    assert b"Try again in" in response.content
    assert b"minute" in response.content


def test_honeypot_refuses_bots(client, panel, invitations):
    response = client.post(
        reverse("panels_join"), {"code": invitations[0].code, "website_url": "http://spam"}
    )
    assert response.status_code == 200
    assert b"could not be accepted" in response.content


def test_register_without_code_goes_back_to_join(client):
    response = client.get(reverse("panels_join_register"))
    assert response.status_code == 302
    assert response["Location"] == reverse("panels_join")


def test_join_page_queries_are_fixed(client, panel, invitations, django_assert_max_num_queries):
    client.post(reverse("panels_join"), {"code": invitations[0].code})
    with django_assert_max_num_queries(20) as small:
        client.get(reverse("panels_join_register"))
    for n, invitation in enumerate(invitations[1:6]):
        services.registration_submit(
            code=invitation.code, data=registration_answers(email=f"p{n}@example.org")
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("panels_join_register"))
