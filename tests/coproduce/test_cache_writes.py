"""Writes renew the page cache's generations: at once, again at commit, and no more than needed."""

import pytest
from django.core.cache import cache
from django.db import connection, transaction

from commissioning.models import Ward
from coproduce.cache import GENERATION_KEY, page_cache_generation
from tests.commissioning.factories import WardFactory

pytestmark = pytest.mark.usefixtures("page_cache_on")


@pytest.fixture
def ward(db):
    """A ward made in a transaction of its own, as a request would have made it."""
    with transaction.atomic():
        ward = WardFactory(name="North")
    connection._pagecache_renewed = None  # the test's own transaction never commits
    return ward


def _renewals_since(before):
    """How often the content generation was renewed, read without counting as a page's read."""
    return cache.get(GENERATION_KEY) - before


def _rename(ward, name):
    Ward.objects.filter(pk=ward.pk).update(name=name)  # one UPDATE statement


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_write_outside_a_transaction_renews_at_once(ward):
    before = page_cache_generation()
    _rename(ward, "North East")
    assert _renewals_since(before) == 1


def test_many_writes_in_one_transaction_renew_once_then_again_at_commit(
    ward, django_capture_on_commit_callbacks
):
    before = page_cache_generation()
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(5):
            _rename(ward, f"North {n}")
        # Once at the first write, so this process sees the change at once.
        assert _renewals_since(before) == 1
    # And once more at commit.
    assert _renewals_since(before) == 2


def test_a_read_between_two_writes_renews_again(ward, django_capture_on_commit_callbacks):
    before = page_cache_generation()
    with django_capture_on_commit_callbacks(execute=True):
        _rename(ward, "North 1")
        page_cache_generation()  # a page rendered and stored meanwhile
        _rename(ward, "North 2")
        assert _renewals_since(before) == 2
    assert _renewals_since(before) == 3


def test_a_rolled_back_savepoint_leaves_nothing_unrenewed(
    ward, django_capture_on_commit_callbacks
):
    before = page_cache_generation()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            _rename(ward, "Gone")
            raise RuntimeError
        _rename(ward, "Kept")
    # The rolled-back write's renewal, the kept write's, then the commit's.
    assert _renewals_since(before) == 3


def test_a_rolled_back_write_is_not_renewed_again(ward, django_capture_on_commit_callbacks):
    before = page_cache_generation()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _rename(ward, "Gone")
        raise RuntimeError
    assert (len(callbacks), _renewals_since(before)) == (0, 1)
