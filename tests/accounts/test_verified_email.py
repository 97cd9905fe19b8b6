"""Taking part and downloading data need a confirmed email address."""

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError

from commissioning.exceptions import NotEligible
from commissioning.models import EngagementPage, Participation
from commissioning.services import engagement_assert_can_respond
from tests.accounts.factories import UserFactory, engagement_page
from tests.commissioning.factories import programme, programme_index

pytestmark = pytest.mark.django_db


@pytest.fixture
def unverified(db):
    user = UserFactory(email="new@example.org", verified=False)
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    return user


@pytest.fixture
def engagement(home_page):
    return engagement_page(
        programme(programme_index(home_page)), audience=EngagementPage.SIGNED_IN
    )


def test_an_unverified_account_cannot_take_part(engagement, unverified):
    with pytest.raises(NotEligible) as refused:
        engagement_assert_can_respond(engagement=engagement, user=unverified)

    assert refused.value.code == "email_unverified"
    assert isinstance(refused.value, ValidationError)
    assert "Confirm your email address" in refused.value.messages[0]


def test_unverified_is_refused_even_where_anyone_may_take_part(engagement, unverified):
    engagement.audience = EngagementPage.ANYONE

    with pytest.raises(NotEligible):
        engagement_assert_can_respond(engagement=engagement, user=unverified)


def test_a_verified_account_and_paper_entries_take_part(engagement, resident, unverified):
    engagement_assert_can_respond(engagement=engagement, user=resident)
    # An officer enters a paper response for a resident: their email does not matter.
    engagement_assert_can_respond(
        engagement=engagement, user=unverified, channel=Participation.PAPER
    )


def test_an_account_whose_only_verified_address_is_not_its_own_is_refused(engagement, unverified):
    EmailAddress.objects.create(user=unverified, email="old@example.org", verified=True)

    with pytest.raises(NotEligible):
        engagement_assert_can_respond(engagement=engagement, user=unverified)


def test_unverified_cannot_respond_to_a_budget_conversation(client, home_page, unverified):
    from budget.models import BudgetResponse
    from budget.services import budget_response_record
    from tests.budget.factories import conversation_factory, valid_choices

    conversation = conversation_factory(home_page)
    answers, allocations = valid_choices(conversation)

    with pytest.raises(NotEligible):
        budget_response_record(
            conversation=conversation, user=unverified, answers=answers, allocations=allocations
        )
    assert not BudgetResponse.objects.exists()


def test_data_download_needs_a_confirmed_email(client, home_page, unverified):
    client.force_login(unverified)

    response = client.get("/my/profile/data/")

    assert response.status_code == 403
    assert "Confirm your email address first" in response.content.decode()
    assert "Content-Disposition" not in response
