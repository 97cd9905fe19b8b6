"""Migration 0003 links existing responses to their participations."""

from importlib import import_module

from django.apps import apps

from budget.models import BudgetResponse
from commissioning.models import Participation
from tests.budget.factories import conversation_factory

migration = import_module("budget.migrations.0003_engagement_response_base")


def test_signed_in_responses_find_their_participation(home_page, resident, officer):
    conversation = conversation_factory(home_page)
    mine = Participation.objects.create(engagement=conversation, user=resident)
    Participation.objects.create(engagement=conversation, channel=Participation.PAPER)
    online = BudgetResponse.objects.create(conversation=conversation, user=resident)
    paper = BudgetResponse.objects.create(
        conversation=conversation, channel=BudgetResponse.PAPER, entered_by=officer
    )
    migration.link_participations(apps, None)
    links = dict(BudgetResponse.objects.values_list("pk", "participation_id"))
    assert links == {online.pk: mine.pk, paper.pk: None}
