"""Results computed once an engagement has closed (commissioning.stored)."""

from datetime import timedelta

import pytest

from commissioning.models import StoredResult
from commissioning.stored import stored_result
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
