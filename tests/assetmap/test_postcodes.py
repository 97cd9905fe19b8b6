"""The postcode table: importing the council's CSV, and where a postcode or ward is."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from assetmap.models import Postcode
from assetmap.services import postcodes_import
from tests.commissioning.factories import WardFactory


def test_import_loads_normalised_postcodes_and_reports_bad_lines(db):
    csv = io.StringIO(
        "postcode,latitude,longitude\n"
        "kx51ab,53.65,-2.11\n"
        "not a postcode,53.65,-2.11\n"
        "KX5 2CD,north,-2.11\n"
        "SW1A 1AA,51.5,-0.14\n"
        "\n"
        "KX5 3EF,53.66\n"
    )
    result = postcodes_import(file=csv)
    assert result.loaded == 1
    assert list(Postcode.objects.values_list("postcode", "latitude", "longitude")) == [
        ("KX5 1AB", 53.65, -2.11)
    ]
    assert [line for line, _ in result.skipped] == [3, 4, 5, 7]
    assert "outside the borough" in dict(result.skipped)[5]


def test_import_reads_the_ons_columns_and_updates_on_a_second_run(db):
    postcodes_import(file=io.StringIO("pcd7,pcds,lat,long\nKX5 1AB,KX5 1AB,53.65,-2.11\n"))
    postcodes_import(file=io.StringIO("pcds,lat,long\nKX5 1AB,53.66,-2.12\nKX5 2CD,53.61,-2.1\n"))
    assert list(Postcode.objects.values_list("postcode", "latitude")) == [
        ("KX5 1AB", 53.66),
        ("KX5 2CD", 53.61),
    ]


def test_import_refuses_a_file_without_the_columns(db):
    with pytest.raises(ValidationError, match="needs a “latitude” column"):
        postcodes_import(file=io.StringIO("postcode,easting,northing\nKX5 1AB,1,2\n"))
    assert not Postcode.objects.exists()


def test_import_command(db, tmp_path):
    path = tmp_path / "postcodes.csv"
    path.write_text("postcode,latitude,longitude\nKX5 1AB,53.65,-2.11\nZZ,1,2\n")
    out, err = io.StringIO(), io.StringIO()
    call_command("import_postcodes", str(path), stdout=out, stderr=err)
    assert "1 postcodes loaded, 1 lines skipped." in out.getvalue()
    assert "Line 3 skipped: Enter a full UK postcode" in err.getvalue()
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_postcodes", str(tmp_path / "missing.csv"))


def test_the_demo_borough_csv_covers_every_ward(db):
    from pathlib import Path

    from commissioning.demo import WARDS

    csv = Path("assetmap/data/kelderby_postcodes.csv")
    with csv.open(encoding="utf-8", newline="") as file:
        result = postcodes_import(file=file)
    assert result.skipped == []
    assert result.loaded > 2000
    wards = [
        WardFactory(name=name, slug=name.lower(), postcode_prefixes=prefixes)
        for name, prefixes, *_ in WARDS
    ]
    for ward in wards:
        assert Postcode.objects.ward_centre(ward, wards) is not None, ward
    assert Postcode.objects.centre_of("KX1 1AA") is not None  # the town hall


def test_a_ward_centre_leaves_out_sectors_of_other_wards(db):
    whole = WardFactory(name="Castlegate", slug="castlegate", postcode_prefixes="KX3")
    part = WardFactory(name="Dunmere", slug="dunmere", postcode_prefixes="KX3 3")
    Postcode.objects.create(postcode="KX3 1AB", latitude=53.61, longitude=-2.1)
    Postcode.objects.create(postcode="KX3 3AB", latitude=53.67, longitude=-2.1)
    assert Postcode.objects.ward_centre(whole, [whole, part]) == (53.61, -2.1)
    assert Postcode.objects.ward_centre(part, [whole, part]) == (53.67, -2.1)
