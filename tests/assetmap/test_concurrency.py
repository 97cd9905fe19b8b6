"""Moderation decisions happen once, however many officers send them at the same moment."""

import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import OperationalError
from wagtail.models import ModelLogEntry

from assetmap import services
from assetmap.models import Asset, AssetRevision
from tests.threads import tasks_after_the_threads

from .factories import AssetFactory

THREADS = 6


def _race(work, targets):
    """Run work(target) in one thread per target, all released together."""
    barrier = threading.Barrier(len(targets))
    outcomes = []

    def run(target):
        from django.db import connection as thread_connection

        barrier.wait()
        try:
            work(target)
            outcomes.append("done")
        except ValidationError:
            outcomes.append("refused")
        except OperationalError:
            # SQLite's shared in-memory test database refuses a second writer
            # outright instead of making it wait: that writer changed nothing.
            outcomes.append("locked")
        finally:
            thread_connection.close()

    with tasks_after_the_threads():
        threads = [threading.Thread(target=run, args=(target,)) for target in targets]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return outcomes


DECISIONS = {
    "approve": lambda officer: lambda asset: services.asset_approve(asset=asset, user=officer),
    "reject": lambda officer: (
        lambda asset: services.asset_reject(asset=asset, user=officer, reason="A duplicate.")
    ),
}
REVISION_DECISIONS = {
    "edit_approve": lambda officer: (
        lambda revision: services.revision_approve(revision=revision, user=officer)
    ),
    "edit_reject": lambda officer: (
        lambda revision: services.revision_reject(
            revision=revision, user=officer, reason="Not right."
        )
    ),
}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("decision", sorted(DECISIONS))
def test_simultaneous_decisions_on_an_asset_are_recorded_once(
    decision, officer, resident, category, ward
):
    asset = AssetFactory(status=Asset.PENDING, submitted_by=resident, category=category)
    # Each request loaded the asset before any of them decided.
    copies = [Asset.objects.get(pk=asset.pk) for _ in range(THREADS)]
    outcomes = _race(DECISIONS[decision](officer), copies)
    assert outcomes.count("done") == 1, outcomes
    assert (
        ModelLogEntry.objects.filter(
            object_id=str(asset.pk), action=f"assetmap.{decision}"
        ).count()
        == 1
    )
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("decision", sorted(REVISION_DECISIONS))
def test_simultaneous_decisions_on_an_edit_are_recorded_once(
    decision, officer, resident, category, ward
):
    asset = AssetFactory(name="Orchard", submitted_by=resident, category=category, ward=ward)
    revision = AssetRevision.objects.create(
        asset=asset,
        data={"name": "Orchard 2", "category": category.pk, "ward": ward.pk},
        submitted_by=resident,
    )
    copies = [
        AssetRevision.objects.select_related("asset").get(pk=revision.pk) for _ in range(THREADS)
    ]
    outcomes = _race(REVISION_DECISIONS[decision](officer), copies)
    assert outcomes.count("done") == 1, outcomes
    assert (
        ModelLogEntry.objects.filter(
            object_id=str(asset.pk), action=f"assetmap.{decision}"
        ).count()
        == 1
    )
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_invitation_is_accepted_once_when_the_link_is_opened_twice_at_once(
    officer, group, user_factory
):
    invited = user_factory(email="newcomer@example.org")
    invitation, token = services.group_member_invite(
        user=officer, group=group, email="newcomer@example.org"
    )
    outcomes = _race(
        lambda _: services.group_invitation_accept(user=invited, token=token), range(THREADS)
    )
    assert outcomes.count("done") == 1, outcomes
    assert group.memberships.filter(user=invited).count() == 1
    assert (
        ModelLogEntry.objects.filter(object_id=str(group.pk), action="assetmap.join").count() == 1
    )
    invitation.refresh_from_db()
    assert invitation.accepted_by == invited
