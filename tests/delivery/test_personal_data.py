import pytest

from commissioning.personal_data import personal_data_anonymise, personal_data_export
from delivery import services
from delivery.models import ReviewResponse, ReviewScore

from . import factories


@pytest.mark.django_db
def test_review_responses_are_exported_and_anonymised(home_page, officer, resident):
    programme, _, _ = factories.delivered_programme(home_page)
    review = factories.review(programme)
    outcome = services.review_outcomes(review)[0]
    services.review_response_submit(
        review=review,
        user=resident,
        relationship="uses",
        scores={outcome.pk: (4, "My name is Sam")},
        comment="Call me on 0123",
    )
    exported = personal_data_export(resident)["service_reviews"]
    assert exported[0]["scores"][0] == {
        "outcome": outcome.title,
        "score": 4,
        "reason": "My name is Sam",
    }
    personal_data_anonymise(resident)
    response = ReviewResponse.objects.get()
    assert (response.user_id, response.comment) == (None, "")
    score = ReviewScore.objects.get()
    assert (score.score, score.reason) == (4, "")
    assert personal_data_export(resident)["service_reviews"] == []
