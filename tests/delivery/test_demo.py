from io import StringIO

import pytest
from django.core.management import call_command

from delivery.models import Commitment, DeliveryArrangement, Reading, ReviewResponse


@pytest.mark.django_db
def test_the_demo_shows_the_libraries_a_year_on_and_loads_twice(client):
    call_command("load_demo", stdout=StringIO())
    statuses = set(Commitment.objects.values_list("status", flat=True))
    assert statuses == {"planned", "in_progress", "done", "changed", "dropped"}
    mutual = DeliveryArrangement.objects.get(delivery_model="mutual")
    assert mutual.agreement == "contract"
    assert Reading.objects.filter(indicator__social_value_criterion__isnull=False).exists()
    assert ReviewResponse.objects.count() > 20
    counts = (Commitment.objects.count(), Reading.objects.count(), ReviewResponse.objects.count())
    call_command("load_demo", stdout=StringIO())
    assert counts == (
        Commitment.objects.count(),
        Reading.objects.count(),
        ReviewResponse.objects.count(),
    )
    assert client.get("/what-we-said-we-would-do/").status_code == 200
    assert "What we said we would do" in client.get("/").content.decode()
