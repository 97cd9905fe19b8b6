"""The civic lottery's first stage: address import, invitation draw, codes, purge."""

import io
import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from panels import invitations, services
from panels.models import (
    Invitation,
    InvitationAddress,
    InvitationDraw,
    LotteryRun,
    PrintBatch,
)
from tests.panels.factories import addresses_csv, make_addresses, make_panel, make_wards

pytestmark = pytest.mark.django_db


@pytest.fixture
def wards():
    return make_wards()


# ---------------------------------------------------------------- import


def test_import_sets_wards_and_reports_refused_rows(panel, officer, wards):
    data = addresses_csv(
        [
            ("1001", "1 High Street", "NN1 2AB"),
            ("1002", "2 High Street", "ss1 3cd"),
            ("1002", "2 High Street again", "SS1 3CD"),  # duplicate in the file
            ("12AB", "3 High Street", "NN1 2AB"),  # bad UPRN
            ("1004", "4 High Street", "ZZ9 9ZZ"),  # outside the borough
            ("1005", "5 High Street", "not a postcode"),
            ("1006", "", "NN1 2AB"),  # no address
            ("1007", "7 High Street", "NN12 1AB"),  # NN12 is not NN1
        ]
    )
    report = services.addresses_import(panel=panel, user=officer, data=data)
    assert report.imported == 2
    reasons = {row: reason for row, _, reason in report.refused}
    assert reasons == {
        4: "The same UPRN appears earlier in the file",
        5: "The UPRN is not a number of up to 12 digits",
        6: "The postcode is not in any of the borough's wards",
        7: "The postcode is not a UK postcode",
        8: "The first address line is empty",
        9: "The postcode is not in any of the borough's wards",
    }
    south = InvitationAddress.objects.get(uprn="1002")
    assert (south.ward, south.postcode) == (wards[1], "SS1 3CD")
    # Importing again refuses the rows already there, and adds nothing.
    again = services.addresses_import(panel=panel, user=officer, data=data)
    assert again.imported == 0
    assert "This UPRN is already in the panel's address list" in dict(again.reasons())


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", "not_csv"),
        (b"uprn,address,postcode\n1,1 High St,NN1 2AB\n", "columns"),
        (b"", "empty"),
        (addresses_csv([("1", "1 High St", "NN1 2AB")]) + b"extra,columns\n", None),
    ],
)
def test_malformed_file_imports_nothing(panel, officer, wards, data, code):
    if code is None:
        # A short row is refused on its own; the good row is imported.
        report = services.addresses_import(panel=panel, user=officer, data=data)
        assert report.imported == 1 and report.refused_count == 1
        return
    with pytest.raises(ValidationError) as caught:
        services.addresses_import(panel=panel, user=officer, data=data)
    assert caught.value.code == code
    assert not InvitationAddress.objects.exists()


def test_too_large_file_imports_nothing(panel, officer, wards, settings):
    settings.PANELS_ADDRESS_IMPORT_MAX_BYTES = 100
    data = addresses_csv([(str(n), f"{n} High Street", "NN1 2AB") for n in range(1, 20)])
    with pytest.raises(ValidationError) as caught:
        services.addresses_import(panel=panel, user=officer, data=data)
    assert caught.value.code == "too_large"
    assert not InvitationAddress.objects.exists()


def test_only_the_panels_officers_import(panel, wards, user_factory):
    with pytest.raises(ValidationError):
        services.addresses_import(
            panel=panel,
            user=user_factory(is_staff=True),
            data=addresses_csv([("1", "1 High St", "NN1 2AB")]),
        )


# ---------------------------------------------------------------- draw


def test_targets_are_proportional_to_population_within_rounding():
    targets = invitations.invitation_targets(
        size=100,
        populations={"a": 30000, "b": 10000, "c": 20000},
        available={"a": 500, "b": 500, "c": 500},
    )
    assert targets == {"a": 50, "b": 17, "c": 33}
    assert sum(targets.values()) == 100


def test_targets_oversample_and_cap_at_what_exists():
    targets = invitations.invitation_targets(
        size=100,
        populations={"a": 10000, "b": 10000},
        available={"a": 500, "b": 500},
        factors={"b": 3},
    )
    assert targets == {"a": 25, "b": 75}
    capped = invitations.invitation_targets(
        size=100, populations={"a": 10000, "b": 10000}, available={"a": 500, "b": 20}
    )
    assert capped == {"a": 80, "b": 20}


def test_draw_is_recorded_proportional_and_reproducible(panel, officer, wards):
    make_addresses(panel, wards, per_ward=60)
    draw = services.invitations_draw(panel=panel, user=officer, size=40, seed=1234)
    assert draw.counts == {"north": 30, "south": 10} == draw.targets
    assert (draw.seed, draw.size, draw.created_by, draw.address_count) == (1234, 40, officer, 120)
    invited = set(Invitation.objects.filter(draw=draw).values_list("address_id", flat=True))
    assert len(invited) == 40
    # Same seed, same list: the same sample; another seed: another.
    by_ward = invitations._addresses_by_ward(panel)
    again = invitations.invitation_sample(
        addresses_by_ward=by_ward, targets=draw.targets, seed=1234
    )
    assert {pk for pks in again.values() for pk in pks} == invited
    other = invitations.invitation_sample(addresses_by_ward=by_ward, targets=draw.targets, seed=99)
    assert {pk for pks in other.values() for pk in pks} != invited
    assert invitations.invitations_reproduce(draw) is True
    for invitation in Invitation.objects.filter(draw=draw).select_related("address"):
        assert invitation.ward_id == invitation.address.ward_id


def test_codes_are_short_unambiguous_and_unique(panel, officer, wards):
    make_addresses(panel, wards, per_ward=60)
    services.invitations_draw(panel=panel, user=officer, size=100)
    codes = list(Invitation.objects.values_list("code", flat=True))
    assert len(set(codes)) == 100
    for code in codes:
        assert re.fullmatch(r"[2-9A-HJKMNP-Z]{8}", code), code
    assert len(invitations.CODE_ALPHABET) == 31
    assert not set("01OIL") & set(invitations.CODE_ALPHABET)


def test_draw_happens_once(panel, officer, wards):
    make_addresses(panel, wards, per_ward=10)
    services.invitations_draw(panel=panel, user=officer, size=5)
    with pytest.raises(ValidationError, match="already been drawn"):
        services.invitations_draw(panel=panel, user=officer, size=5)
    assert InvitationDraw.objects.count() == 1
    assert Invitation.objects.count() == 5
    # The list is frozen once drawn.
    with pytest.raises(ValidationError):
        services.addresses_import(
            panel=panel, user=officer, data=addresses_csv([("9", "9 High St", "NN1 2AB")])
        )


def test_draw_refuses_more_than_the_list(panel, officer, wards):
    make_addresses(panel, wards, per_ward=5)
    with pytest.raises(ValidationError) as caught:
        services.invitations_draw(panel=panel, user=officer, size=11)
    assert "only 10 addresses" in str(caught.value)
    with pytest.raises(ValidationError):
        services.invitations_draw(panel=panel, user=officer, size=5, factors={"north": 9})


# ---------------------------------------------------------------- purge


def test_purge_after_the_retention_period(panel, officer, wards, settings, home_page):
    settings.PANELS_ADDRESS_RETENTION_DAYS = 30
    make_addresses(panel, wards, per_ward=5)
    services.invitations_draw(panel=panel, user=officer, size=4)
    PrintBatch.objects.create(panel=panel, kind=PrintBatch.INVITATIONS, pdf=b"%PDF")
    other = make_panel(home_page, officers=[officer])
    make_addresses(other, wards[:1], per_ward=3)
    run = LotteryRun.objects.create(
        panel=panel, seats=4, seed=1, algorithm_requested="maximin", status=LotteryRun.COMPLETED
    )
    # Drawn 10 days ago: kept.
    LotteryRun.objects.filter(pk=run.pk).update(finished_at=timezone.now() - timedelta(days=10))
    call_command("purge_invitation_addresses", stdout=io.StringIO())
    assert InvitationAddress.objects.filter(panel=panel).count() == 10
    # Drawn 31 days ago: purged; the other (undrawn) panel keeps its list.
    LotteryRun.objects.filter(pk=run.pk).update(finished_at=timezone.now() - timedelta(days=31))
    call_command("purge_invitation_addresses", stdout=io.StringIO())
    assert not InvitationAddress.objects.filter(panel=panel).exists()
    assert not PrintBatch.objects.filter(panel=panel).exists()
    assert InvitationAddress.objects.filter(panel=other).count() == 3
    draw = InvitationDraw.objects.get(panel=panel)
    assert draw.addresses_purged_at is not None
    # The record and the codes stay (for the response figures), without the addresses.
    assert Invitation.objects.filter(draw=draw, address__isnull=True).count() == 4


def test_addresses_are_registered_as_personal_data(resident):
    from commissioning.personal_data import personal_data_export, registered_personal_data

    labels = [entry.label for entry in registered_personal_data()]
    assert "panel invitation addresses" in labels
    assert personal_data_export(resident)["panel invitation addresses"] == []
