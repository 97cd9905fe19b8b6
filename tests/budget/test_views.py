from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from budget.forms import rules_version
from budget.models import BudgetConversationPage, BudgetResponse, Comment
from tests.accounts.factories import staff_with_role
from tests.budget.factories import conversation_factory, make_responses, valid_choices
from tests.pages import built_once, site_home


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@built_once
def tree():
    """The site, an officer and one open conversation, made once for the module."""
    home = site_home()
    return {
        "home": home,
        "officer": staff_with_role("officer", "officer@example.org"),
        "conversation": conversation_factory(home),
    }


@pytest.fixture
def home_page(tree):
    return tree["home"]


@pytest.fixture
def officer(tree):
    return tree["officer"]


@pytest.fixture
def conversation(tree):
    return tree["conversation"]


def form_data(conversation, **overrides):
    answers, allocations = valid_choices(conversation)
    lines = list(conversation.lines.all())
    data = {f"proposal_{pk}": stance for pk, stance in answers.items()}
    data.update({f"line_{pk}": str(amount) for pk, amount in allocations.items()})
    data["rules_version"] = rules_version(conversation, lines)
    data["alternative"] = ""
    data.update(overrides)
    return data


def close(conversation):
    BudgetConversationPage.objects.filter(pk=conversation.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )
    conversation.refresh_from_db()


def test_anonymous_visitor_sees_proposals_and_is_asked_to_sign_in(client, conversation):
    response = client.get(conversation.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Close two branch libraries" in html
    assert "Saving of £420,000" in html
    assert "Sign in" in html
    assert 'name="line_' not in html


def test_resident_sees_the_form_with_number_inputs_and_live_region(client, resident, conversation):
    client.force_login(resident)
    html = client.get(conversation.url).content.decode()
    assert 'type="number"' in html
    assert 'aria-live="polite"' in html
    assert "js/budget.js" in html
    # No inline script but GOV.UK's one line, which the CSP allows by its hash.
    assert html.count("<script>") == 1 and f"<script>{settings.JS_ENABLED_SCRIPT}</script>" in html
    assert "Still to find: £500,000." in html


def test_valid_response_is_saved(client, resident, conversation):
    client.force_login(resident)
    response = client.post(conversation.url, form_data(conversation, wants_feedback="on"))
    assert response.status_code == 302
    saved = BudgetResponse.objects.get(user=resident)
    assert saved.wants_feedback is True
    assert saved.allocations.count() == 2
    page = client.get(conversation.url).content.decode()
    assert "Update my response" in page
    assert "You responded on" in page


def test_amounts_with_pound_sign_and_commas_are_accepted(client, resident, conversation):
    client.force_login(resident)
    libraries = conversation.lines.first()
    data = form_data(conversation, **{f"line_{libraries.pk}": "£500,000"})
    assert client.post(conversation.url, data).status_code == 302


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("a lot", "Enter the amount for Libraries as a whole number of pounds"),
        ("12.5", "Enter the amount for Libraries as a whole number of pounds"),
        ("-100", "The amount for Libraries cannot be negative"),
        ("", "Enter an amount for Libraries"),
        ("300000", "Libraries: £300,000 is below the minimum of £400,000 (by £100,000)"),
        ("1300000", "Libraries: £1,300,000 is above the maximum of £1,200,000 (by £100,000)"),
        ("512345", "is not one of the steps of £50,000"),
    ],
)
def test_bad_amounts_are_refused_next_to_the_field_and_input_kept(
    client, resident, conversation, value, message
):
    client.force_login(resident)
    libraries = conversation.lines.first()
    response = client.post(
        conversation.url, form_data(conversation, **{f"line_{libraries.pk}": value})
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    assert f'href="#id_line_{libraries.pk}"' in html
    if value:
        assert f'value="{value}"' in html
    assert not BudgetResponse.objects.exists()


def test_missing_the_target_is_refused_with_the_shortfall(client, resident, conversation):
    client.force_login(resident)
    libraries = conversation.lines.first()
    response = client.post(
        conversation.url, form_data(conversation, **{f"line_{libraries.pk}": "900000"})
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "you are £400,000 short" in html
    assert "<title>Error: " in html
    # The summary comes before the page's content, the message again beside the simulator.
    assert html.index("There is a problem") < html.index("The financial picture")
    assert html.count("you are £400,000 short") == 2
    assert 'value="900000"' in html
    assert not BudgetResponse.objects.exists()


def test_missing_stance_is_refused(client, resident, conversation):
    client.force_login(resident)
    proposal = conversation.proposals.first()
    data = form_data(conversation)
    del data[f"proposal_{proposal.pk}"]
    response = client.post(conversation.url, data)
    assert response.status_code == 200
    assert "Say whether you support or oppose LIB-01" in response.content.decode()
    assert not BudgetResponse.objects.exists()


def test_tampered_hidden_field_is_refused(client, resident, conversation):
    client.force_login(resident)
    response = client.post(conversation.url, form_data(conversation, rules_version="x" * 16))
    assert response.status_code == 200
    assert "The budget simulator changed while you were filling it in" in response.content.decode()
    assert not BudgetResponse.objects.exists()


def test_tampered_stance_is_refused(client, resident, conversation):
    client.force_login(resident)
    proposal = conversation.proposals.get(reference="LIB-01")
    response = client.post(
        conversation.url, form_data(conversation, **{f"proposal_{proposal.pk}": "delete"})
    )
    assert response.status_code == 200
    assert "Choose support, oppose or unsure for LIB-01" in response.content.decode()
    assert not BudgetResponse.objects.exists()


def test_line_id_from_another_conversation_is_ignored_and_own_line_still_required(
    client, resident, conversation, home_page
):
    other = conversation_factory(home_page, title="Other")
    other_line = other.lines.first()
    libraries = conversation.lines.first()
    client.force_login(resident)
    data = form_data(conversation, **{f"line_{other_line.pk}": "400000"})
    del data[f"line_{libraries.pk}"]
    response = client.post(conversation.url, data)
    assert response.status_code == 200
    assert "Enter an amount for Libraries" in response.content.decode()
    assert not BudgetResponse.objects.exists()


def test_honeypot_refuses(client, resident, conversation):
    client.force_login(resident)
    response = client.post(conversation.url, form_data(conversation, website_url="spam"))
    assert response.status_code == 200
    assert not BudgetResponse.objects.exists()


def test_mistakes_do_not_count_towards_the_rate_limit(client, resident, conversation):
    client.force_login(resident)
    libraries = conversation.lines.get(name="Libraries")
    bad = form_data(conversation, **{f"line_{libraries.pk}": "300000"})
    for _ in range(15):
        refused = client.post(conversation.url, bad)
        assert "below the minimum" in refused.content.decode()
    assert client.post(conversation.url, form_data(conversation)).status_code == 302


def test_rate_limit_counts_saved_responses_and_says_when_to_try_again(
    client, resident, conversation
):
    client.force_login(resident)
    for _ in range(10):
        assert client.post(conversation.url, form_data(conversation)).status_code == 302
    libraries = conversation.lines.get(name="Libraries")
    response = client.post(
        conversation.url, form_data(conversation, **{f"line_{libraries.pk}": "550000"})
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "You can send it again from " in html
    assert 'value="550000"' in html  # the input is kept
    assert BudgetResponse.objects.get().allocations.get(line=libraries).amount == 500_000


def test_honeypot_hits_count_towards_the_rate_limit(client, resident, conversation):
    client.force_login(resident)
    for _ in range(10):
        client.post(conversation.url, form_data(conversation, website_url="spam"))
    response = client.post(conversation.url, form_data(conversation))
    assert "You can send it again from " in response.content.decode()
    assert not BudgetResponse.objects.exists()


def test_every_problem_is_reported_at_once_with_input_kept(client, resident, conversation):
    client.force_login(resident)
    libraries = conversation.lines.get(name="Libraries")
    council_tax = conversation.lines.get(name="Council tax rise")
    proposal = conversation.proposals.get(reference="ASC-03")
    data = form_data(
        conversation,
        **{f"line_{libraries.pk}": "1300000", f"line_{council_tax.pk}": "12345"},
    )
    del data[f"proposal_{proposal.pk}"]
    response = client.post(conversation.url, data)
    html = response.content.decode()
    assert "Say whether you support or oppose ASC-03" in html
    assert "£1,300,000 is above the maximum of £1,200,000" in html
    assert "£12,345 is not one of the steps of £10,000" in html
    # The target counts Libraries at its maximum, not at an amount it cannot accept.
    assert "you are £687,655 short" in html
    assert "counts Libraries at the nearest amount allowed" in html
    assert 'value="1300000"' in html and 'value="12345"' in html
    assert not BudgetResponse.objects.exists()


def test_totals_never_say_target_met_with_a_line_out_of_bounds(client, resident, conversation):
    client.force_login(resident)
    libraries = conversation.lines.get(name="Libraries")
    response = client.post(
        conversation.url, form_data(conversation, **{f"line_{libraries.pk}": "0"})
    )
    html = response.content.decode()
    assert "below the minimum of £400,000" in html
    assert "Target met" not in html
    assert "Not balanced yet: 1 line is outside the amounts allowed" in html


def test_submission_after_close_is_refused(client, resident, conversation):
    client.force_login(resident)
    close(conversation)
    response = client.post(conversation.url, form_data(conversation), follow=True)
    assert "not open" in response.content.decode()
    assert not BudgetResponse.objects.exists()
    assert 'name="line_' not in client.get(conversation.url).content.decode()


def test_rejected_comment_reason_is_shown_to_its_author(client, resident, officer, conversation):
    from budget.services import comment_moderate

    client.force_login(resident)
    client.post(conversation.url, form_data(conversation, alternative="You are all idiots"))
    comment = Comment.objects.get()
    comment_moderate(
        comment=comment, moderator=officer, status=Comment.REJECTED, reason="Personal abuse."
    )
    html = client.get(conversation.url).content.decode()
    assert "Not published" in html
    assert "Personal abuse." in html


def test_approved_comments_are_shown_and_can_be_reported(
    client, resident, conversation, user_factory
):
    make_responses(conversation, 3, user_factory=user_factory)
    comment = Comment.objects.filter(proposal__reference="LIB-01").first()
    html = client.get(conversation.url).content.decode()
    assert comment.text in html
    client.force_login(resident)
    html = client.get(conversation.url).content.decode()
    assert f'form="flag-{comment.pk}"' in html
    flag_url = conversation.url + f"comments/{comment.pk}/flag/"
    response = client.post(flag_url, follow=True)
    assert "a moderator will look at this comment" in response.content.decode()
    assert comment.flags.count() == 1


def test_flag_needs_sign_in_and_a_comment_of_this_conversation(
    client, resident, conversation, home_page, user_factory
):
    other = conversation_factory(home_page, title="Other")
    make_responses(other, 1, user_factory=user_factory)
    comment = Comment.objects.get()
    url = conversation.url + f"comments/{comment.pk}/flag/"
    assert client.post(url).status_code == 302
    client.force_login(resident)
    assert client.post(url).status_code == 404


def test_results_hidden_from_residents_until_close_but_shown_to_officers(
    client, resident, officer, conversation
):
    url = conversation.url + "results/"
    client.force_login(resident)
    assert "Results are not published yet" in client.get(url).content.decode()
    client.force_login(officer)
    html = client.get(url).content.decode()
    assert "results so far" in html
    close(conversation)
    client.logout()
    html = client.get(url).content.decode()
    assert "What residents said about each proposal" in html
    assert "<svg" in html
    assert "<table" in html


def test_paper_entry_is_for_officers_only(client, resident, officer, conversation):
    url = conversation.url + "paper/"
    assert client.get(url).status_code == 302
    client.force_login(resident)
    assert client.get(url).status_code == 403
    client.force_login(officer)
    assert client.get(url).status_code == 200
    response = client.post(url, form_data(conversation, paper_reference="P-1"))
    assert response.status_code == 302
    saved = BudgetResponse.objects.get()
    assert saved.channel == BudgetResponse.PAPER
    assert saved.user is None
    assert saved.entered_by == officer
    again = client.post(url, form_data(conversation, paper_reference="P-1"))
    assert "already been entered" in again.content.decode()
    assert BudgetResponse.objects.count() == 1


@pytest.mark.parametrize("dataset", ["responses", "comments", "allocations"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_for_officers_are_pseudonymous(
    client, resident, officer, conversation, dataset, fmt
):
    client.force_login(resident)
    client.post(conversation.url, form_data(conversation, alternative="Sell the depot"))
    url = conversation.url + f"export/{dataset}/{fmt}/"
    assert client.get(url).status_code == 403
    client.force_login(officer)
    response = client.get(url)
    assert response.status_code == 200
    body = response.content
    assert b"resident@example.org" not in body
    if fmt == "csv":
        text = body.decode("utf-8-sig")
        assert BudgetResponse.objects.get().respondent_id in text
    else:
        assert body[:2] == b"PK"


def test_unknown_export_is_404(client, officer, conversation):
    client.force_login(officer)
    assert client.get(conversation.url + "export/emails/csv/").status_code == 404
    assert client.get(conversation.url + "export/responses/pdf/").status_code == 404


def _query_count(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("path", ["", "results/"])
@pytest.mark.parametrize("who", ["officer", "resident"])
def test_constant_queries_as_responses_grow(
    client, request, conversation, user_factory, path, who, django_assert_num_queries
):
    """10 responses, then 1,000: the page and the results run the same queries."""
    if path and who == "resident":
        close(conversation)  # residents see results once it has closed
    client.force_login(request.getfixturevalue(who))
    url = conversation.url + path
    make_responses(conversation, 10, user_factory=user_factory)
    client.get(url)  # warm per-process caches (site root paths)
    small = _query_count(client, url)
    _bulk_more(conversation, 990)
    assert BudgetResponse.objects.count() == 1000
    # A closed conversation's stored tallies are counted again on the first read
    # after its responses changed (here, 990 more), then read stored.
    client.get(url)
    with django_assert_num_queries(small):
        assert client.get(url).status_code == 200


def _bulk_more(conversation, count):
    from accounts.models import User
    from budget.models import Allocation, ProposalAnswer

    users = User.objects.bulk_create(
        User(email=f"more{conversation.pk}-{i}@example.org") for i in range(count)
    )
    users = list(User.objects.filter(email__startswith=f"more{conversation.pk}-"))
    BudgetResponse.objects.bulk_create(
        BudgetResponse(conversation=conversation, user=u) for u in users
    )
    responses = list(BudgetResponse.objects.filter(user__in=users))
    proposals = list(conversation.proposals.all())
    lines = list(conversation.lines.all())
    ProposalAnswer.objects.bulk_create(
        ProposalAnswer(response=r, proposal=p, stance="oppose")
        for r in responses
        for p in proposals
    )
    Allocation.objects.bulk_create(
        Allocation(response=r, line=line, amount=line.proposed)
        for r in responses
        for line in lines
    )
    Comment.objects.bulk_create(
        Comment(
            response=r,
            conversation=conversation,
            proposal=proposals[0],
            text="More",
            status="approved",
        )
        for r in responses
    )


def test_contact_details_in_published_comments_are_masked_publicly_and_in_exports(
    client, officer, conversation, user_factory
):
    from budget.summaries import budget_summary

    make_responses(conversation, 1, user_factory=user_factory)
    Comment.objects.update(text="Ring me on 07700 900123 or write to sam@example.org")
    html = client.get(conversation.url).content.decode()
    assert "Ring me on [phone number removed] or write to [email address removed]" in html
    assert "07700" not in html and "sam@example.org" not in html
    client.force_login(officer)
    export = client.get(conversation.url + "export/comments/csv/").content.decode()
    assert "[phone number removed]" in export and "07700" not in export
    summary = budget_summary(conversation)
    assert summary.quotes == [
        "Ring me on [phone number removed] or write to [email address removed]"
    ]
