"""The response form shows a service's refusal beside the line, proposal or comment it names."""

import pytest
from django.core.exceptions import ValidationError

from budget.forms import BudgetResponseForm
from coproduce.forms import add_service_errors
from tests.budget.factories import conversation_factory, valid_choices

pytestmark = pytest.mark.django_db


def test_service_errors_land_beside_their_fields_and_the_target_by_the_totals(home_page):
    conversation = conversation_factory(home_page)
    proposals = list(conversation.proposals.order_by("pk"))
    lines = list(conversation.lines.order_by("pk"))
    kwargs = {"conversation": conversation, "proposals": proposals, "lines": lines}
    answers, allocations = valid_choices(conversation)
    data = {"rules_version": BudgetResponseForm(**kwargs).initial["rules_version"]}
    data.update({f"proposal_{pk}": stance for pk, stance in answers.items()})
    data.update({f"line_{pk}": str(amount) for pk, amount in allocations.items()})
    form = BudgetResponseForm(data=data, **kwargs)
    assert form.is_valid(), form.errors
    proposal, line = proposals[0], lines[0]
    add_service_errors(
        form,
        ValidationError(
            {
                f"line:{line.pk}": "Too much.",
                f"proposal:{proposal.pk}": "Choose one.",
                f"comment:{proposal.pk}": "Too long.",
                "comment:general": "Also too long.",
                "target": "You are £1 short.",
            }
        ),
    )
    assert form.errors[f"line_{line.pk}"] == ["Too much."]
    assert form.errors[f"proposal_{proposal.pk}"] == ["Choose one."]
    assert form.errors[f"comment_{proposal.pk}"] == ["Too long."]
    assert form.errors["alternative"] == ["Also too long."]
    assert form.non_field_errors() == ["You are £1 short."]
    assert form.target_errors == ["You are £1 short."]
