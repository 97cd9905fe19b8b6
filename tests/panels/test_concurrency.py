"""State changes happen once when two people press at the same moment (real threads)."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, close_old_connections
from wagtail.models import ModelLogEntry, PageLogEntry

from panels import services
from panels.models import Application, LotteryRun, Recommendation
from tests.panels.factories import ApplicationFactory, make_panel, make_pool
from tests.threads import tasks_after_the_threads

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def race(*calls):
    """Run the calls in threads released together; return (results, refusals)."""
    barrier = threading.Barrier(len(calls))
    results, refusals, errors = [], [], []

    def worker(call):
        barrier.wait(timeout=10)
        try:
            for _attempt in range(50):
                try:
                    results.append(call())
                except OperationalError as error:
                    # In-memory SQLite (shared cache) refuses a second writer at once
                    # instead of making it wait: it tries again, as a person would.
                    if "locked" not in str(error):
                        raise
                    time.sleep(0.05)
                    continue
                break
            else:
                errors.append("still locked after 50 attempts")
        except ValidationError as error:
            refusals.append(error)
        except Exception as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            close_old_connections()

    with tasks_after_the_threads():
        threads = [threading.Thread(target=worker, args=(call,)) for call in calls]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert not errors, errors
    return results, refusals


@pytest.fixture
def drawn_member(home_page, officer, resident):
    panel = make_panel(home_page, officers=[officer])
    application = ApplicationFactory(
        panel=panel, user=resident, email=resident.email, status=Application.SELECTED
    )
    return panel, application


def test_recommendation_published_once(drawn_member, resident, user_factory):
    panel, _ = drawn_member
    other = user_factory()
    ApplicationFactory(panel=panel, user=other, status=Application.SELECTED)
    services.recommendation_save(panel=panel, user=resident, text="A staff-led mutual.")
    results, refusals = race(
        lambda: services.recommendation_publish(panel=panel, user=resident),
        lambda: services.recommendation_publish(panel=panel, user=other),
    )
    assert (len(results), len(refusals)) == (1, 1)
    assert "already been published" in refusals[0].messages[0]
    assert PageLogEntry.objects.filter(action="panels.recommendation_publish").count() == 1
    assert Recommendation.objects.get().published_by == results[0].published_by


def test_withdrawal_recorded_once(drawn_member, resident, officer):
    panel, application = drawn_member
    results, refusals = race(
        lambda: services.member_withdraw(application=application, user=resident),
        lambda: services.member_withdraw(
            application=Application.objects.get(pk=application.pk), user=officer
        ),
    )
    assert (len(results), len(refusals)) == (1, 1)
    assert ModelLogEntry.objects.filter(action="panels.member_withdraw").count() == 1


def test_draw_started_once(home_page, officer, user_factory):
    from tests.panels.factories import make_officer

    second = make_officer(user_factory)
    panel = make_panel(home_page, officers=[officer, second], seats=2, attributes=["gender"])
    make_pool(panel, [(3, {"gender": "woman"}), (3, {"gender": "man"})])
    services.applications_close(panel=panel, user=officer)
    run = services.lottery_announce(panel=panel, user=officer)
    results, refusals = race(
        lambda: services.lottery_start(run=LotteryRun.objects.get(pk=run.pk), user=officer),
        lambda: services.lottery_start(run=LotteryRun.objects.get(pk=run.pk), user=second),
    )
    assert (len(results), len(refusals)) == (1, 1)
    assert ModelLogEntry.objects.filter(action="panels.lottery_start").count() == 1
    run.refresh_from_db()
    assert run.status == LotteryRun.COMPLETED
    assert run.entries.count() == 6
    assert Application.objects.members().filter(panel=panel).count() == 2


def test_replacement_announced_once(home_page, officer, user_factory):
    from tests.panels.factories import make_officer

    second = make_officer(user_factory)
    panel = make_panel(home_page, officers=[officer, second], seats=2, attributes=["gender"])
    make_pool(panel, [(2, {"gender": "woman", "status": Application.SELECTED})])
    make_pool(panel, [(3, {"gender": "woman", "status": Application.NOT_SELECTED})])
    LotteryRun.objects.create(
        panel=panel, seats=2, seed=1, algorithm_requested="maximin", status=LotteryRun.COMPLETED
    )
    leaver = Application.objects.members().filter(panel=panel).first()
    services.member_withdraw(application=leaver, user=officer)
    results, refusals = race(
        lambda: services.lottery_announce(panel=panel, user=officer, kind=LotteryRun.REPLACEMENT),
        lambda: services.lottery_announce(panel=panel, user=second, kind=LotteryRun.REPLACEMENT),
    )
    assert (len(results), len(refusals)) == (1, 1)
    assert LotteryRun.objects.filter(kind=LotteryRun.REPLACEMENT).count() == 1
