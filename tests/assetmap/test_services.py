"""Submission, edits and the moderation life cycle."""

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from wagtail.models import ModelLogEntry

from assetmap import services
from assetmap.models import Asset, AssetRevision
from assetmap.photos import photo_clean
from commissioning.exceptions import EngagementNotOpen, Refused
from commissioning.models import Participation
from tests.commissioning.factories import OutcomeFactory

from .factories import AssetFactory, asset_call
from .images import jpeg_bytes, upload


@pytest.fixture
def data(category, ward):
    return {
        "name": "Fernhill Orchard",
        "kind": Asset.SPACE,
        "category": category,
        "description": "Heritage apple trees planted by neighbours.",
        "ward": ward,
        "latitude": 53.65,
        "longitude": -2.1,
        "tags": ["fruit", "free"],
        "outcomes": [],
    }


def actions(asset):
    return list(
        ModelLogEntry.objects.filter(object_id=str(asset.pk))
        .order_by("timestamp", "id")
        .values_list("action", flat=True)
    )


def test_a_new_asset_waits_for_moderation_then_is_published(
    data, resident, officer, django_capture_on_commit_callbacks
):
    asset = services.asset_submit(user=resident, data=data)
    assert asset.status == Asset.PENDING
    assert sorted(asset.tags.names()) == ["free", "fruit"]
    assert not Asset.objects.published().exists()

    with django_capture_on_commit_callbacks(execute=True):
        services.asset_approve(asset=asset, user=officer)
    asset.refresh_from_db()
    assert asset.status == Asset.PUBLISHED
    assert asset.published_at is not None
    assert actions(asset) == ["assetmap.submit", "assetmap.approve"]
    entry = ModelLogEntry.objects.get(action="assetmap.approve")
    assert entry.user_id == officer.pk
    assert mail.outbox and "now on the map" in mail.outbox[-1].body
    assert mail.outbox[-1].to == [resident.email]


def test_a_rejected_asset_keeps_the_reason_for_the_submitter(
    data, resident, officer, django_capture_on_commit_callbacks
):
    asset = services.asset_submit(user=resident, data=data)
    with django_capture_on_commit_callbacks(execute=True):
        services.asset_reject(asset=asset, user=officer, reason="Please add opening times.")
    asset.refresh_from_db()
    assert asset.status == Asset.REJECTED
    assert asset.moderation_reason == "Please add opening times."
    assert "Please add opening times." in mail.outbox[-1].body
    entry = ModelLogEntry.objects.get(action="assetmap.reject")
    assert entry.data == {"reason": "Please add opening times."}

    # Fixing it sends it back to moderation and clears the reason.
    services.asset_update(user=resident, asset=asset, data={**data, "opening_times": "Daily"})
    asset.refresh_from_db()
    assert asset.status == Asset.PENDING
    assert asset.moderation_reason == ""


def test_rejecting_needs_a_reason(data, resident, officer):
    asset = services.asset_submit(user=resident, data=data)
    with pytest.raises(ValidationError) as caught:
        services.asset_reject(asset=asset, user=officer, reason="  ")
    assert "reason" in caught.value.message_dict
    asset.refresh_from_db()
    assert asset.status == Asset.PENDING


def test_only_officers_moderate(data, resident):
    asset = services.asset_submit(user=resident, data=data)
    with pytest.raises(Refused):
        services.asset_approve(asset=asset, user=resident)
    asset.refresh_from_db()
    assert asset.status == Asset.PENDING


def test_a_draft_is_not_in_the_queue_until_sent(data, resident):
    asset = services.asset_submit(user=resident, data=data, draft=True)
    assert asset.status == Asset.DRAFT
    assert not Asset.objects.awaiting_moderation().exists()
    services.asset_submit_draft(user=resident, asset=asset)
    assert Asset.objects.awaiting_moderation().get() == asset


def test_an_approved_edit_replaces_the_published_version(data, member, group, officer):
    asset = AssetFactory(
        name="Old name", group=group, category=data["category"], ward=data["ward"]
    )
    asset.tags.add("old")
    photo = photo_clean(upload("new.jpg", jpeg_bytes()))
    revision = services.asset_update(
        user=member, asset=asset, data={**data, "name": "New name"}, photos=[photo]
    )
    asset.refresh_from_db()
    assert asset.name == "Old name"  # the public version is untouched while pending
    assert asset.status == Asset.PUBLISHED
    assert not asset.photos.filter(revision__isnull=True).exists()

    services.revision_approve(revision=revision, user=officer)
    asset.refresh_from_db()
    assert asset.name == "New name"
    assert sorted(asset.tags.names()) == ["free", "fruit"]
    assert asset.photos.filter(revision__isnull=True).count() == 1
    revision.refresh_from_db()
    assert revision.status == AssetRevision.APPROVED
    assert "assetmap.edit_approve" in actions(asset)


def test_a_rejected_edit_leaves_the_published_version_untouched(data, member, group, officer):
    asset = AssetFactory(
        name="Old name", group=group, category=data["category"], ward=data["ward"]
    )
    revision = services.asset_update(user=member, asset=asset, data={**data, "name": "Spam"})
    services.revision_reject(revision=revision, user=officer, reason="Not an improvement.")
    asset.refresh_from_db()
    revision.refresh_from_db()
    assert asset.name == "Old name"
    assert asset.status == Asset.PUBLISHED
    assert revision.status == AssetRevision.REJECTED
    assert revision.reason == "Not an improvement."
    assert "assetmap.edit_reject" in actions(asset)


def test_a_second_edit_replaces_the_pending_one(data, member, group):
    asset = AssetFactory(group=group, category=data["category"], ward=data["ward"])
    first = services.asset_update(user=member, asset=asset, data={**data, "name": "One"})
    second = services.asset_update(user=member, asset=asset, data={**data, "name": "Two"})
    assert first.pk == second.pk
    assert AssetRevision.objects.pending().get().data["name"] == "Two"


def test_strangers_cannot_edit(data, resident, group):
    asset = AssetFactory(group=group, category=data["category"], ward=data["ward"])
    with pytest.raises(Refused):
        services.asset_update(user=resident, asset=asset, data=data)


def test_submitting_for_a_group_needs_membership(data, resident, group):
    with pytest.raises(ValidationError) as caught:
        services.asset_submit(user=resident, data={**data, "group": group})
    assert "group" in caught.value.message_dict
    assert not Asset.objects.exists()


@pytest.mark.parametrize(
    "latitude, longitude, field, text",
    [
        (51.5, -0.12, "latitude", "outside the borough"),  # London
        (53.65, 2.1, "latitude", "outside the borough"),  # sign error: in the North Sea
        (95.0, -2.1, "latitude", "between -90 and 90"),
        (53.65, -200.0, "longitude", "between -180 and 180"),
        (53.65, None, "longitude", "Enter the longitude"),
    ],
)
def test_bad_or_out_of_borough_coordinates_are_refused(
    data, resident, latitude, longitude, field, text
):
    with pytest.raises(ValidationError) as caught:
        services.asset_submit(
            user=resident, data={**data, "latitude": latitude, "longitude": longitude}
        )
    assert text in " ".join(caught.value.message_dict[field])
    assert not Asset.objects.exists()


def test_a_postcode_gives_the_ward_and_puts_the_asset_on_the_map(
    data, resident, officer, ward, postcodes
):
    asset = services.asset_submit(
        user=resident,
        data={**data, "ward": None, "postcode": "kx5 1ab", "latitude": None, "longitude": None},
    )
    assert asset.ward == ward
    assert asset.postcode == "KX5 1AB"
    assert (asset.latitude, asset.longitude) == (53.6501, -2.1102)
    services.asset_approve(asset=asset, user=officer)
    from assetmap import selectors

    assert [row[0] for row in selectors.asset_geojson_rows(filters={})] == [asset.pk]


def test_an_unknown_postcode_is_refused_and_nothing_is_saved(data, resident, ward, postcodes):
    with pytest.raises(ValidationError) as caught:
        services.asset_submit(
            user=resident,
            data={**data, "postcode": "KX5 9ZZ", "latitude": None, "longitude": None},
        )
    assert "We do not know where KX5 9ZZ is" in caught.value.message_dict["postcode"][0]
    assert not Asset.objects.exists()


def test_coordinates_given_are_kept_over_the_postcode(data, resident, ward, postcodes):
    asset = services.asset_submit(user=resident, data={**data, "postcode": "KX5 1AB"})
    assert (asset.latitude, asset.longitude) == (53.65, -2.1)


def test_a_ward_alone_gives_the_centre_of_its_postcodes(data, resident, ward, postcodes):
    asset = services.asset_submit(
        user=resident, data={**data, "latitude": None, "longitude": None}
    )
    assert asset.ward == ward
    # The mean of Fernhill's two postcodes; Brookside's is not counted.
    assert (asset.latitude, asset.longitude) == (53.6552, -2.1203)


def test_a_ward_with_no_postcodes_loaded_asks_for_a_place(data, resident, ward):
    with pytest.raises(ValidationError) as caught:
        services.asset_submit(user=resident, data={**data, "latitude": None, "longitude": None})
    assert "We cannot place Fernhill on the map" in caught.value.message_dict["ward"][0]
    assert not Asset.objects.exists()


def test_a_changed_postcode_moves_coordinates_that_came_from_the_old_one(
    data, resident, ward, postcodes
):
    asset = services.asset_submit(
        user=resident,
        data={**data, "postcode": "KX5 1AB", "latitude": None, "longitude": None},
    )
    # The edit form shows the old position; the resident changes only the postcode.
    services.asset_update(
        user=resident,
        asset=asset,
        data={**data, "postcode": "KX5 2CD", "latitude": 53.6501, "longitude": -2.1102},
    )
    asset.refresh_from_db()
    assert (asset.latitude, asset.longitude) == (53.6603, -2.1304)
    # A position the resident picked stays.
    services.asset_update(
        user=resident,
        asset=asset,
        data={**data, "postcode": "KX5 2CD", "latitude": 53.64, "longitude": -2.12},
    )
    asset.refresh_from_db()
    assert (asset.latitude, asset.longitude) == (53.64, -2.12)


def test_approval_email_says_on_the_map_only_for_a_mapped_asset(
    category, ward, resident, officer, django_capture_on_commit_callbacks
):
    mapped = AssetFactory(name="Mapped", status=Asset.PENDING, submitted_by=resident)
    unmapped = AssetFactory(
        name="Unmapped",
        status=Asset.PENDING,
        submitted_by=resident,
        latitude=None,
        longitude=None,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.asset_approve(asset=mapped, user=officer)
        services.asset_approve(asset=unmapped, user=officer)
    # Keyed by the asset's name, the text between the first pair of curly quotes.
    bodies = {re.search(r"“([^”]+)”", m.body).group(1): m.body for m in mail.outbox}
    assert "is now on the map" in bodies["Mapped"]
    assert "on the map" not in bodies["Unmapped"]
    assert "in the list of community assets" in bodies["Unmapped"]


def test_an_unknown_postcode_asks_for_the_ward(data, resident, ward):
    with pytest.raises(ValidationError) as caught:
        services.asset_submit(user=resident, data={**data, "ward": None, "postcode": "ZZ9 9ZZ"})
    assert "Choose the ward" in caught.value.message_dict["ward"][0]


def test_a_submission_through_an_asset_call_is_linked_and_recorded(data, resident, programme):
    outcome = OutcomeFactory(title="Fewer people socially isolated")
    call = asset_call(programme)
    asset = services.asset_submit(user=resident, data={**data, "outcomes": [outcome]}, call=call)
    assert asset.call_id == call.pk
    assert asset.programme_id == programme.pk
    assert asset.stage == "analyse"
    assert list(asset.outcomes.all()) == [outcome]
    assert Participation.objects.filter(engagement=call, user=resident).exists()


def test_a_closed_asset_call_refuses_submissions(data, resident, programme):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    call = asset_call(
        programme, opens_at=now - timedelta(days=20), closes_at=now - timedelta(days=1)
    )
    with pytest.raises(EngagementNotOpen):
        services.asset_submit(user=resident, data=data, call=call)
    assert not Asset.objects.exists()
    assert not Participation.objects.exists()
