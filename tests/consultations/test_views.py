"""Answering a consultation through the web pages, without JavaScript."""

import datetime

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from consultations import views
from consultations.models import Answer, PendingEqualityAnswers, Response
from tests.consultations.factories import (
    C_WEEKLY,
    M_BOOKS,
    M_COMPUTERS,
    M_EVENTS,
    Q_LONG,
    Q_MULTI,
    Q_RANK,
    Q_SCALE,
    Q_SHORT,
    Q_SINGLE,
    Q_YESNO,
    consultation_page,
    programme_page,
    section_one_data,
    section_two_data,
    token_for,
)
from tests.pages import built_once, site_home


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@built_once
def tree():
    """The site and one open consultation, made once for the module."""
    home = site_home()
    return {
        "home": home,
        "page": consultation_page(programme_page(home), equality_monitoring=True),
    }


@pytest.fixture
def home_page(tree):
    return tree["home"]


@pytest.fixture
def page(tree):
    return tree["page"]


def url(page, suffix=""):
    return page.url + suffix


def check_data(page, **overrides):
    data = {
        "form_token": token_for(page.questionnaire.structure_hash()),
        "website_url": "",
        **overrides,
    }
    return {k: v for k, v in data.items() if v is not None}


def test_landing_page_sets_no_session_cookie(client, page):
    response = client.get(url(page))
    assert response.status_code == 200
    assert b"Start now" in response.content
    assert b"Using libraries" in response.content
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    response = client.get(url(page, "section/1/"))
    assert response.status_code == 200
    assert settings.SESSION_COOKIE_NAME not in response.cookies


def _answer_every_section(client, page):
    response = client.post(url(page, "section/1/"), section_one_data(page))
    assert response.status_code == 302
    assert response["Location"].endswith("section/2/")
    assert settings.SESSION_COOKIE_NAME in response.cookies

    response = client.post(url(page, "section/2/"), section_two_data(page))
    assert response["Location"].endswith("about-you/")

    equality = {
        "form_token": token_for(page.questionnaire.structure_hash()),
        "age_band": "35-49",
        "disability": "prefer-not",
        "website_url": "",
    }
    response = client.post(url(page, "about-you/"), equality)
    assert response["Location"].endswith("check-your-answers/")


def _check_answers_before_sending(client, page):
    response = client.get(url(page, "check-your-answers/"))
    content = response.content.decode()
    assert "Every week" in content
    assert "1. Opening hours; 2. Book stock; 3. Study space" in content
    assert f"section/1/?return=check#question-{Q_SINGLE}" in content
    assert 'Change<span class="govuk-visually-hidden"> your answer to' in content
    assert Response.objects.count() == 0


def _send_and_find_it_saved(client, page):
    """Send the checked answers; returns the redirect to the "sent" page."""
    response = client.post(url(page, "check-your-answers/"), check_data(page))
    assert response.status_code == 302
    assert response["Location"].endswith("sent/")
    saved = Response.objects.get()
    assert saved.status == Response.SUBMITTED and saved.user is None
    assert Answer.objects.filter(response=saved, question_id=Q_SCALE).get().number == 4
    # Waiting, apart from the response, for its batch to be moved (test_services).
    record = PendingEqualityAnswers.objects.get()
    assert (record.age_band, record.disability, record.gender) == ("35-49", "prefer-not", "")
    return response


def test_anonymous_response_from_start_to_finish(client, page):
    _answer_every_section(client, page)
    _check_answers_before_sending(client, page)
    response = _send_and_find_it_saved(client, page)
    assert b"Response sent" in client.get(response["Location"]).content
    # The session no longer holds the answers: starting again starts afresh.
    assert b"Start now" in client.get(url(page)).content


def test_answers_are_kept_when_going_back(client, page):
    client.post(url(page, "section/1/"), section_one_data(page))
    content = client.get(url(page, "section/1/")).content.decode()
    assert f'value="{C_WEEKLY}" checked' in content
    assert f'value="{M_BOOKS}" checked' in content


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({f"q_{Q_SINGLE}": None}, "Choose an answer to this question."),
        ({f"q_{Q_SINGLE}": "forged"}, "Choose one of the options shown."),
        ({f"q_{Q_SINGLE}": "other"}, "Say what your other answer is."),
        ({f"q_{Q_SINGLE}_other": "Mobile library"}, "Choose “Other” if you want"),
        ({f"q_{Q_MULTI}": [M_BOOKS, M_COMPUTERS, M_EVENTS]}, "Choose no more than 2."),
        ({f"q_{Q_MULTI}": [M_BOOKS, "forged"]}, "Choose only from the options shown."),
        ({f"q_{Q_SCALE}": "9"}, "Choose one of the options shown."),
    ],
)
def test_section_bad_input_is_shown_next_to_the_question_and_kept(
    client, page, overrides, message
):
    data = section_one_data(page, **overrides)
    response = client.post(url(page, "section/1/"), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content
    assert message in content
    assert "govuk-error-message" in content
    if f"q_{Q_MULTI}" not in overrides:
        assert f'value="{M_BOOKS}" checked' in content
    assert not client.session.get(f"consultation:{page.pk}")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({f"q_{Q_RANK}_2": "2"}, "Give each item a different number from 1 to 3."),
        ({f"q_{Q_RANK}_2": ""}, "Give each item a different number from 1 to 3."),
        ({f"q_{Q_RANK}_0": "7"}, "Choose one of the options shown."),
        ({f"q_{Q_YESNO}": "maybe"}, "Choose one of the options shown."),
        ({f"q_{Q_LONG}": "x" * 101}, "100 characters or fewer"),
    ],
)
def test_section_two_bad_input(client, page, overrides, message):
    response = client.post(url(page, "section/2/"), section_two_data(page, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()


def test_tampered_stale_and_hurried_forms_are_refused(client, page, monkeypatch):
    forged = section_one_data(page, form_token="not-a-token")
    assert (
        "incomplete or out of date"
        in client.post(url(page, "section/1/"), forged).content.decode()
    )

    stale = section_one_data(page, form_token=token_for("an-old-structure"))
    content = client.post(url(page, "section/1/"), stale).content.decode()
    assert "The questions changed while you were answering" in content
    assert f'value="{C_WEEKLY}" checked' in content  # input kept

    hurried = section_one_data(
        page, form_token=token_for(page.questionnaire.section(1).structure_hash(), seconds_ago=0)
    )
    assert "very quick" in client.post(url(page, "section/1/"), hurried).content.decode()

    bot = section_one_data(page, website_url="http://spam.example")
    assert "could not be accepted" in client.post(url(page, "section/1/"), bot).content.decode()
    assert not client.session.get(f"consultation:{page.pk}")


def test_signed_in_people_need_not_wait(client, page, resident):
    client.force_login(resident)
    data = section_one_data(
        page, form_token=token_for(page.questionnaire.section(1).structure_hash(), seconds_ago=0)
    )
    assert client.post(url(page, "section/1/"), data).status_code == 302


def test_rate_limit(client, page, monkeypatch):
    monkeypatch.setattr(views, "SECTION_LIMIT", (2, 600))
    for _ in range(2):
        assert client.post(url(page, "section/1/"), section_one_data(page)).status_code == 302
    response = client.post(url(page, "section/1/"), section_one_data(page))
    assert response.status_code == 429
    assert "too many times" in response.content.decode()


def test_submission_rate_limit(client, page, monkeypatch):
    monkeypatch.setattr(views, "SUBMIT_LIMIT", (1, 3600))
    client.post(url(page, "check-your-answers/"), check_data(page))
    response = client.post(url(page, "check-your-answers/"), check_data(page))
    assert response.status_code == 429
    assert Response.objects.count() == 0


def test_check_page_lists_problems_and_sends_nothing(client, page):
    client.post(url(page, "section/1/"), section_one_data(page))
    content = client.get(url(page, "check-your-answers/")).content.decode()
    assert "Rank every item." in content
    assert f"section/2/?return=check#question-{Q_RANK}" in content
    response = client.post(url(page, "check-your-answers/"), check_data(page))
    assert response.status_code == 200
    assert "Some answers need changing" in response.content.decode()
    assert Response.objects.count() == 0


def test_questions_changed_before_sending(client, page):
    client.post(url(page, "section/1/"), section_one_data(page))
    client.post(url(page, "section/2/"), section_two_data(page))
    token = token_for(page.questionnaire.structure_hash())
    # An editor adds a required question after the person loaded the page.
    data = list(page.questions.raw_data)
    data.append(
        {
            "type": "yes_no",
            "id": "30000000-0000-4000-8000-000000000001",
            "value": {"question": "Do you drive?", "hint": "", "required": True},
        }
    )
    page.questions = data
    page.save(clean=False)
    response = client.post(url(page, "check-your-answers/"), check_data(page, form_token=token))
    content = response.content.decode()
    assert "The questions changed while you were answering" in content
    assert "Do you drive?" in content
    assert Response.objects.count() == 0


def test_wanting_to_hear_back_needs_an_email_when_anonymous(client, page):
    client.post(url(page, "section/1/"), section_one_data(page))
    client.post(url(page, "section/2/"), section_two_data(page))
    response = client.post(url(page, "check-your-answers/"), check_data(page, wants_feedback="on"))
    assert "Enter your email address so we can tell you what happens." in response.content.decode()
    response = client.post(
        url(page, "check-your-answers/"),
        check_data(page, wants_feedback="on", email="not-an-email"),
    )
    assert "valid email" in response.content.decode()
    assert Response.objects.count() == 0
    response = client.post(
        url(page, "check-your-answers/"),
        check_data(page, wants_feedback="on", email="me@example.org"),
    )
    assert response.status_code == 302
    assert Response.objects.get().participation.email == "me@example.org"


def test_signed_in_resident_saves_a_draft_and_comes_back(client, page, resident):
    client.force_login(resident)
    response = client.post(url(page, "section/1/"), section_one_data(page, save_and_return="1"))
    assert response["Location"] == url(page)
    draft = Response.objects.get(user=resident)
    assert draft.status == Response.DRAFT
    assert draft.draft["answers"][Q_SINGLE] == {"choice": C_WEEKLY, "other": ""}

    client.logout()
    client.force_login(resident)
    assert b"Continue your response" in client.get(url(page)).content
    client.post(url(page, "section/2/"), section_two_data(page))
    response = client.post(url(page, "check-your-answers/"), check_data(page))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Response.SUBMITTED

    landing = client.get(url(page)).content.decode()
    assert "You responded to this consultation" in landing
    # One response per person: the questionnaire sends them back.
    assert client.get(url(page, "section/1/"))["Location"] == url(page)
    client.post(url(page, "check-your-answers/"), check_data(page))
    assert Response.objects.count() == 1


def test_saving_for_later_may_leave_gaps_but_checks_answers(client, page, resident):
    client.force_login(resident)
    data = section_one_data(page, save_and_return="1", **{f"q_{Q_SINGLE}": None})
    assert client.post(url(page, "section/1/"), data).status_code == 302
    saved = Response.objects.get(user=resident).draft["answers"]
    assert saved[Q_SINGLE] is None and saved[Q_SCALE] == 4
    bad = section_one_data(page, save_and_return="1", **{f"q_{Q_SCALE}": "9"})
    response = client.post(url(page, "section/1/"), bad)
    assert "Choose one of the options shown." in response.content.decode()
    # Continuing (rather than saving for later) still needs the required answers.
    response = client.post(
        url(page, "section/1/"), section_one_data(page, **{f"q_{Q_SINGLE}": None})
    )
    assert "Choose an answer to this question." in response.content.decode()


def test_sign_in_required(client, home_page):
    page = consultation_page(programme_page(home_page), slug="signed-in", audience="signed_in")
    assert b"Sign in to start" in client.get(url(page)).content
    response = client.get(url(page, "section/1/"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_closed_consultation_sends_people_back(client, home_page):
    now = timezone.now()
    page = consultation_page(
        programme_page(home_page),
        slug="closed",
        opens_at=now - datetime.timedelta(days=20),
        closes_at=now - datetime.timedelta(days=1),
    )
    assert b"Start now" not in client.get(url(page)).content
    response = client.post(url(page, "section/1/"), section_one_data(page))
    assert response["Location"] == url(page)
    assert Response.objects.count() == 0


def test_unknown_section_is_not_found(client, page):
    assert client.get(url(page, "section/9/")).status_code == 404
    assert client.get(url(page, "section/0/")).status_code == 404


def test_no_equality_page_when_monitoring_is_off(client, home_page):
    page = consultation_page(programme_page(home_page), slug="no-eq")
    assert client.get(url(page, "about-you/")).status_code == 404
    response = client.post(url(page, "section/2/"), section_two_data(page))
    assert response["Location"].endswith("check-your-answers/")


def test_bad_equality_input(client, page):
    data = {
        "form_token": token_for(page.questionnaire.structure_hash()),
        "age_band": "12-15",
        "ward": "atlantis",
        "website_url": "",
    }
    content = client.post(url(page, "about-you/"), data).content.decode()
    assert content.count("Choose one of the options shown.") >= 2


def _answer_everything(client, page):
    client.post(url(page, "section/1/"), section_one_data(page))
    client.post(url(page, "section/2/"), section_two_data(page))
    client.post(
        url(page, "about-you/"),
        {"form_token": token_for(page.questionnaire.structure_hash()), "website_url": ""},
    )


def test_change_on_check_your_answers_returns_there(client, page):
    _answer_everything(client, page)
    change = url(page, "section/1/?return=check")
    form = client.get(change).content.decode()
    # Back goes where the person came from, not to the start.
    assert f'href="{url(page, "check-your-answers/")}" class="govuk-back-link"' in form
    response = client.post(change, section_one_data(page, **{f"q_{Q_SCALE}": "2"}))
    assert response.status_code == 302
    assert response["Location"] == url(page, "check-your-answers/")
    summary = client.get(response["Location"]).context["summary"]
    assert summary[0]["rows"][2]["answer"] == "2"
    # Equality monitoring's Change link returns there too.
    equality = client.get(url(page, "check-your-answers/")).context["equality_url"]
    assert equality.endswith("about-you/?return=check")
    assert url(page, "check-your-answers/") in client.get(equality).content.decode()
    # Without it, saving a section still walks on to the next page.
    response = client.post(url(page, "section/1/"), section_one_data(page))
    assert response["Location"] == url(page, "section/2/")


def test_long_answers_are_refused_with_a_count_not_cut(client, page):
    content = client.get(url(page, "section/2/")).content.decode()
    assert 'data-module="govuk-character-count"' in content
    assert 'data-maxlength="100"' in content
    assert f'id="id_q_{Q_LONG}-info"' in content
    assert "You can enter up to 100 characters" in content
    # No maxlength: a browser would cut pasted text without saying so.
    assert " maxlength=" not in content
    too_long = "Sunday opening. " * 7  # 112 characters
    response = client.post(
        url(page, "section/2/"), section_two_data(page, **{f"q_{Q_LONG}": too_long})
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Your answer must be 100 characters or fewer (it has 111)." in content
    assert too_long.strip() in content  # kept for the person to shorten
    assert not client.session.get(f"consultation:{page.pk}")


def test_line_breaks_count_as_one_character(client, page):
    text = "a\r\n" * 49 + "a"  # 99 characters on the page, 147 as sent
    response = client.post(
        url(page, "section/2/"), section_two_data(page, **{f"q_{Q_LONG}": text})
    )
    assert response.status_code == 302
    assert client.session[f"consultation:{page.pk}"]["answers"][Q_LONG] == "a\n" * 49 + "a"


def test_short_and_other_answers_are_refused_not_cut(client, page):
    content = client.get(url(page, "section/1/")).content.decode()
    assert " maxlength=" not in content
    data = section_one_data(page, **{f"q_{Q_SINGLE}": "other", f"q_{Q_SINGLE}_other": "x" * 501})
    assert "500 characters or fewer" in client.post(url(page, "section/1/"), data).content.decode()
    data = section_two_data(page, **{f"q_{Q_SHORT}": "y" * 251})
    assert "250 characters or fewer" in client.post(url(page, "section/2/"), data).content.decode()


def test_error_summary_names_each_question(client, page):
    data = section_one_data(page, **{f"q_{Q_SINGLE}": None, f"q_{Q_SCALE}": None})
    content = client.post(url(page, "section/1/"), data).content.decode()
    summary = content.split('govuk-error-summary__list">')[1].split("</ul>")[0]
    assert "How often do you visit a library?: Choose an answer to this question." in summary
    assert "How good is your library?: Choose an answer to this question." in summary
