import json

from budget import services
from budget.models import BudgetResponse, Comment, CommentFlag
from commissioning.personal_data import personal_data_anonymise, personal_data_export
from tests.budget.factories import conversation_factory, make_responses, valid_choices


def test_download_and_deletion(home_page, resident, officer, user_factory):
    conversation = conversation_factory(home_page)
    answers, allocations = valid_choices(conversation)
    services.budget_response_record(
        conversation=conversation,
        user=resident,
        answers=answers,
        allocations=allocations,
        comments={None: "Sell the depot."},
        wants_feedback=True,
    )
    make_responses(conversation, 1, user_factory=user_factory)
    other = Comment.objects.exclude(response__user=resident).get()
    services.comment_flag(comment=other, user=resident)

    data = personal_data_export(resident)["budget conversations"]
    json.dumps(data)  # serialisable
    assert data[0]["proposals"] == {"LIB-01": "Support", "ASC-03": "Support"}
    assert data[0]["budget"]["Libraries"] == 500_000
    assert data[0]["comments"][0]["text"] == "Sell the depot."
    assert data[1]["reported_comment"] == other.text

    personal_data_anonymise(resident)
    response = BudgetResponse.objects.get(comments__text="Sell the depot.")
    assert response.user is None
    assert response.wants_feedback is False
    assert response.allocations.count() == 2  # kept for the results
    assert not CommentFlag.objects.filter(user=resident).exists()
    assert personal_data_export(resident)["budget conversations"] == []
