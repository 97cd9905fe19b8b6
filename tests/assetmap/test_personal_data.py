from assetmap.models import Asset, GroupMembership
from commissioning.personal_data import personal_data_anonymise, personal_data_export

from .factories import AssetFactory


def test_export_and_anonymise(member, group, category, ward):
    published = AssetFactory(
        name="Orchard",
        submitted_by=member,
        contact_email="me@example.org",
        category=category,
        ward=ward,
    )
    pending = AssetFactory(
        name="Hall",
        status=Asset.PENDING,
        submitted_by=member,
        contact_phone="07700 900123",
        category=category,
        ward=ward,
    )
    exported = personal_data_export(member)["community assets"]
    assert {r.get("name") for r in exported} >= {"Orchard", "Hall"}
    assert any(r.get("group") == "Fernhill Friends" and r.get("role") for r in exported)

    personal_data_anonymise(member)
    published.refresh_from_db()
    pending.refresh_from_db()
    assert published.submitted_by is None and pending.submitted_by is None
    assert published.contact_email == "me@example.org"  # published, public information
    assert pending.contact_phone == ""
    assert not GroupMembership.objects.filter(user=member).exists()
