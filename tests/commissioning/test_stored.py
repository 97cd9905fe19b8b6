"""Results computed once an engagement has closed (commissioning.stored)."""

from datetime import timedelta

import pytest
from django.core.management import call_command

from commissioning import summaries
from commissioning.models import EngagementPage, StoredResult
from commissioning.stored import SWEEP_DAYS, closed_results_store, stored_result
from commissioning.tasks import closed_results_store_task
from tests.commissioning import factories


@pytest.fixture
def engagement(home_page):
    programme = factories.programme(factories.programme_index(home_page))
    return factories.engagement(programme, window=factories.closed_window())


class Counter:
    def __init__(self, payload):
        self.payload, self.calls = payload, 0

    def __call__(self):
        self.calls += 1
        return self.payload


def read(engagement, compute, *, fingerprint="3:9:x", version=1, now=None):
    return stored_result(
        engagement=engagement,
        name="test.tallies",
        version=version,
        fingerprint=fingerprint,
        compute=compute,
        now=now,
    )


@pytest.mark.django_db
class TestStoredResult:
    def test_computed_once_when_closed(self, engagement):
        compute = Counter({"counts": [(1, 2)]})
        assert read(engagement, compute) == {"counts": [[1, 2]]}
        assert read(engagement, compute) == {"counts": [[1, 2]]}  # the same shape both ways
        assert compute.calls == 1
        assert StoredResult.objects.get().fingerprint == "3:9:x"

    def test_computed_again_when_the_responses_change(self, engagement):
        compute = Counter({"n": 3})
        read(engagement, compute)
        compute.payload = {"n": 4}
        assert read(engagement, compute, fingerprint="4:10:y") == {"n": 4}
        assert compute.calls == 2
        assert StoredResult.objects.get().payload == {"n": 4}

    def test_computed_again_by_a_new_version_of_the_code(self, engagement):
        compute = Counter({"n": 3})
        read(engagement, compute)
        read(engagement, compute, version=2)
        read(engagement, compute, version=2)
        assert compute.calls == 2
        assert StoredResult.objects.get().version == 2

    def test_never_stored_while_open(self, engagement):
        compute = Counter({"n": 1})
        before = engagement.closes_at - timedelta(hours=1)
        read(engagement, compute, now=before)
        read(engagement, compute, now=before)
        assert compute.calls == 2
        assert not StoredResult.objects.exists()

    def test_two_computations_at_once_leave_one_row(self, engagement):
        # Both found nothing stored, both computed: the second write updates the first's row.
        for n in (1, 2):
            StoredResult.objects.filter(engagement=engagement).update(fingerprint="stale")
            read(engagement, Counter({"n": n}))
        assert StoredResult.objects.filter(engagement=engagement).count() == 1
        assert StoredResult.objects.get().payload == {"n": 2}


class StoringProvider:
    """A summary provider that reads its figures through `stored_result`, as the apps' do."""

    def __init__(self, broken=()):
        self.broken, self.computed = set(broken), []

    def __call__(self, engagement):
        if engagement.pk in self.broken:
            raise RuntimeError("the count failed")

        def compute():
            self.computed.append(engagement.pk)
            return {"n": engagement.pk}

        read(engagement, compute)


@pytest.fixture
def provider(monkeypatch):
    provider = StoringProvider()
    monkeypatch.setitem(summaries._PROVIDERS, EngagementPage, provider)
    return provider


@pytest.fixture
def programme(home_page):
    return factories.programme(factories.programme_index(home_page))


@pytest.mark.django_db
class TestClosedResultsStore:
    def test_stores_what_closed_and_leaves_what_is_open(self, programme, provider):
        closed = factories.engagement(programme, window=factories.closed_window())
        factories.engagement(programme)  # open
        factories.engagement(programme, window=factories.upcoming_window())
        sweep = closed_results_store()
        assert sweep.stored == [closed.pk] and sweep.failed == []
        assert list(StoredResult.objects.values_list("engagement_id", "payload")) == [
            (closed.pk, {"n": closed.pk})
        ]

    def test_the_first_reader_then_reads_the_stored_row(self, programme, provider):
        closed = factories.engagement(programme, window=factories.closed_window())
        closed_results_store()
        compute = Counter({"n": "again"})
        assert read(closed, compute) == {"n": closed.pk}
        assert compute.calls == 0

    def test_a_second_sweep_computes_nothing(self, programme, provider):
        factories.engagement(programme, window=factories.closed_window())
        closed_results_store()
        assert closed_results_store().stored == []
        assert len(provider.computed) == 1

    def test_long_closed_and_unpublished_engagements_are_left_to_their_readers(
        self, programme, provider
    ):
        factories.engagement(programme, window=factories.closed_window(days_ago=SWEEP_DAYS + 1))
        factories.engagement(programme, window=factories.closed_window(), live=False)
        assert closed_results_store().stored == []
        assert provider.computed == []

    def test_one_broken_engagement_does_not_stop_the_others(self, programme, provider):
        broken = factories.engagement(programme, window=factories.closed_window(days_ago=2))
        fine = factories.engagement(programme, window=factories.closed_window(days_ago=1))
        provider.broken.add(broken.pk)
        sweep = closed_results_store()
        assert (sweep.stored, sweep.failed) == ([fine.pk], [broken.pk])

    def test_a_closed_budget_conversation_has_its_tallies_stored(self, home_page):
        from tests.budget.factories import conversation_factory

        conversation = conversation_factory(home_page, **factories.closed_window())
        assert closed_results_store().stored == [conversation.pk]
        assert StoredResult.objects.get().name == "budget.tallies"

    def test_the_task_and_the_command(self, programme, provider, capsys):
        first = factories.engagement(programme, window=factories.closed_window())
        result = closed_results_store_task.enqueue()  # the test backend runs it at once
        assert result.return_value == {"stored": [first.pk], "failed": []}
        second = factories.engagement(programme, window=factories.closed_window())
        call_command("store_closed_results")
        assert "Stored the results of 1 closed engagement(s)." in capsys.readouterr().out
        assert StoredResult.objects.filter(engagement=second).exists()
