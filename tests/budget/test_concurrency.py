"""One response set per person when the same person sends it twice at once (real threads)."""

import threading
import time

import pytest
from django.db import OperationalError, connection

from budget import services
from budget.models import BudgetResponse, ProposalAnswer
from commissioning.models import Participation
from tests.budget.factories import conversation_factory, valid_choices


def _record_retrying_locks(conversation, user, stance):
    """Send as the second browser tab would, retrying while SQLite's shared test
    database reports a table lock (PostgreSQL waits for the row lock itself)."""
    answers, allocations = valid_choices(conversation)
    for _ in range(200):
        try:
            return services.budget_response_record(
                conversation=conversation,
                user=user,
                answers=dict.fromkeys(answers, stance),
                allocations=allocations,
            )
        except OperationalError:
            time.sleep(0.01)
    raise AssertionError("the database stayed locked")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_sends_at_once_make_one_response_and_one_participation(home_page, resident):
    conversation = conversation_factory(home_page)
    barrier = threading.Barrier(2)
    outcomes = []

    def send(stance):
        try:
            barrier.wait()
            outcomes.append(_record_retrying_locks(conversation, resident, stance).pk)
        except Exception as error:  # noqa: BLE001 - the outcome is what is asserted
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(s,)) for s in ("support", "oppose")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    response = BudgetResponse.objects.get(conversation=conversation, user=resident)
    # Both sends succeed: the later one is an edit of the first one's response.
    assert outcomes == [response.pk, response.pk]
    assert Participation.objects.get(engagement=conversation, user=resident) == (
        response.participation
    )
    # The answers are one send's, never a mixture.
    assert len(set(ProposalAnswer.objects.values_list("stance", flat=True))) == 1
