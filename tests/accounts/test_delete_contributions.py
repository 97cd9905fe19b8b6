"""Deleting an account: the person chooses to keep their comments without their name
(contact details and names taken out) or to remove them."""

import pytest

from accounts.services import user_account_delete
from budget.models import BudgetResponse, Comment
from budget.selectors import EXPORTS
from commissioning import personal_data
from tests.accounts.factories import PASSWORD, UserFactory
from tests.budget.factories import conversation_factory

pytestmark = pytest.mark.django_db

TEXT = (
    "I'm Priya Shah, ring me on 07700 900123 or priya.shah@example.org about the "
    "Mill Road library."
)


@pytest.fixture
def comment(home_page):
    conversation = conversation_factory(home_page)
    person = UserFactory(email="priya@example.org", display_name="Priya Shah")
    response = BudgetResponse.objects.create(conversation=conversation, user=person)
    return Comment.objects.create(
        response=response,
        conversation=conversation,
        proposal=conversation.proposals.first(),
        text=TEXT,
        status=Comment.APPROVED,
    )


def export_text(conversation):
    table = EXPORTS["comments"](conversation=conversation)
    return " ".join(str(cell) for row in table.rows for cell in row)


def test_kept_comments_lose_the_name_and_contact_details(comment):
    user_account_delete(user=comment.response.user)

    comment.refresh_from_db()
    assert comment.text == (
        "I'm [removed], ring me on [removed] or [removed] about the Mill Road library."
    )
    assert comment.author_name == "Resident"
    assert comment.status == Comment.APPROVED
    text = export_text(comment.conversation)
    assert "07700" not in text and "Priya" not in text and "Mill Road library" in text


def test_removed_comments_go_from_the_site_and_the_exports(comment):
    response = comment.response

    user_account_delete(user=response.user, remove_contributions=True)

    assert not Comment.objects.filter(pk=comment.pk).exists()
    assert "Mill Road" not in export_text(comment.conversation)
    # The stances stay for the results, without the person.
    response.refresh_from_db()
    assert response.user_id is None


def test_the_choice_comes_from_the_delete_page(client, comment):
    person = comment.response.user
    client.force_login(person)

    response = client.post(
        "/my/profile/delete/",
        {"confirm": "on", "password": PASSWORD, "contributions": "remove"},
    )

    assert response.status_code == 302
    assert not Comment.objects.exists()


def test_the_delete_page_asks_what_to_do_with_comments(client, resident):
    client.force_login(resident)

    html = client.get("/my/profile/delete/").content.decode()

    assert "What should happen to your comments?" in html
    assert 'type="radio"' in html and "Remove them" in html


def test_only_anonymisers_that_declare_the_option_receive_it(monkeypatch):
    monkeypatch.setattr(personal_data, "_REGISTRY", {})
    seen = []
    personal_data.register_personal_data("plain", anonymise=lambda user: seen.append(("plain",)))
    personal_data.register_personal_data(
        "words",
        anonymise=lambda user, *, remove_contributions=False: seen.append(
            ("words", remove_contributions)
        ),
    )

    personal_data.personal_data_anonymise(object(), remove_contributions=True)

    assert seen == [("plain",), ("words", True)]


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        ("Call 020 7946 0018 today", (), "Call [removed] today"),
        ("Call +44 (0)20 7946 0018", (), "Call [removed]"),
        ("mail a.b+c@council.example.gov.uk", (), "mail [removed]"),
        ("Ask for JO or Jonathan", ("Jo", "Jonathan"), "Ask for JO or [removed]"),
        ("Smithson is not Smith", ("Smith",), "Smithson is not [removed]"),
        ("Budget 2027 saves 1,200,000", (), "Budget 2027 saves 1,200,000"),
        ("", ("Priya",), ""),
    ],
)
def test_redaction(text, names, expected):
    assert personal_data.redact_personal_details(text, names=names) == expected
