"""Delivery test data: a programme with a published decision, its commitments,
indicators and a review engagement, built through the services as officers do."""

from datetime import date, timedelta
from decimal import Decimal
from itertools import count

from django.utils import timezone

from delivery import services
from delivery.models import DeliveryArrangement, Indicator
from tests.commissioning import factories as spine
from tests.commissioning.factories import OutcomeFactory
from tests.pages import ServiceReviewPageFactory, published

_n = count(1)


def delivered_programme(home, *, outcomes=None, wards=(), index=None):
    """(programme, decision, engagement): a programme whose engagement a published
    decision answers, with one "we did" item."""
    from commissioning.models import ProgrammeIndexPage

    index = index or ProgrammeIndexPage.objects.first() or spine.programme_index(home)
    outcomes = outcomes if outcomes is not None else [OutcomeFactory(), OutcomeFactory()]
    today = timezone.localdate()
    programme = spine.programme(
        index,
        outcomes=outcomes,
        wards=wards,
        stages=[
            ("plan", today - timedelta(days=400), today - timedelta(days=200)),
            ("do", today - timedelta(days=199), today - timedelta(days=60)),
            ("review", today - timedelta(days=59), today + timedelta(days=100)),
        ],
    )
    programme.save_revision().publish()
    now = timezone.now()
    window = {"opens_at": now - timedelta(days=360), "closes_at": now - timedelta(days=300)}
    engagement = spine.engagement(programme, stage="plan", window=window)
    decision = spine.decision(
        programme,
        stage="plan",
        slug=f"decision-{next(_n)}",
        items=[
            {
                "theme": "Keep libraries open",
                "people_said": "Do not close them.",
                "decided": "Every library stays open.",
                "reason": "People rely on them.",
                "engagement": engagement,
            }
        ],
    )
    return programme, decision, engagement


def commitment(decision, user, **fields):
    item = decision.items.first()
    values = {
        "title": f"Commitment {next(_n)}",
        "responsible": "Libraries team",
        "due_on": timezone.localdate() + timedelta(days=90),
    }
    values.update(fields)
    m2m = values.pop("m2m", None)
    return services.commitment_create(decision_item=item, user=user, m2m=m2m, **values)


def arrangement(decision, user, **fields):
    values = {
        "decision": decision,
        "service": "Home library service",
        "chosen_option": "Staff-led mutual",
        "delivery_model": DeliveryArrangement.MUTUAL,
        "provider_name": "Reading Partners",
        "agreement": DeliveryArrangement.CONTRACT,
        "starts_on": date(2025, 6, 1),
        "ends_on": date(2030, 5, 31),
        "annual_value": 500_000,
    }
    values.update(fields)
    return services.arrangement_save(arrangement=DeliveryArrangement(**values), user=user)


def indicator(commitment_obj, user, **fields):
    values = {
        "commitment": commitment_obj,
        "reference": f"indicator-{next(_n)}",
        "outcome": commitment_obj.programme.outcomes.first(),
        "measure": "Visits a month",
        "unit": "visits",
        "baseline": Decimal(100),
        "target": Decimal(200),
    }
    values.update(fields)
    return services.indicator_save(indicator=Indicator(**values), user=user)


def review(programme, *, arrangement_obj=None, window=None, **fields):
    page = ServiceReviewPageFactory(
        parent=programme, arrangement=arrangement_obj, **(window or spine.open_window()), **fields
    )
    return published(page)
