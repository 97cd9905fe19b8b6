"""Officer views in the Wagtail admin: moderation and coverage."""

import pytest
from django.urls import reverse

from assetmap.models import Asset, AssetRevision, CommunityGroup, GroupMembership
from tests.commissioning.factories import OutcomeFactory
from tests.refusals import assert_sent_to_sign_in

from .factories import (
    AssetFactory,
    CommunityGroupFactory,
    GroupMembershipFactory,
    asset_call,
    assets_bulk,
)


def test_queue_lists_pending_assets_and_edits(client, officer, category, ward, member, group):
    AssetFactory(name="New hall", status=Asset.PENDING, category=category, ward=ward)
    published = AssetFactory(name="Orchard", group=group, category=category, ward=ward)
    AssetRevision.objects.create(asset=published, data={"name": "Orchard 2"}, submitted_by=member)
    client.force_login(officer)
    html = client.get(reverse("assetmap_moderation")).content.decode()
    assert "New hall" in html and "Orchard" in html


def test_officer_rejects_with_a_reason_and_approves(client, officer, category, ward):
    asset = AssetFactory(name="New hall", status=Asset.PENDING, category=category, ward=ward)
    client.force_login(officer)
    url = reverse("assetmap_moderate_asset", args=[asset.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"decision": "reject", "reason": ""})
    assert response.status_code == 200
    assert "Say why it is not accepted" in response.content.decode()
    asset.refresh_from_db()
    assert asset.status == Asset.PENDING
    response = client.post(url, {"decision": "approve"})
    assert response.status_code == 302
    asset.refresh_from_db()
    assert asset.status == Asset.PUBLISHED


def test_officer_moderates_an_edit(client, officer, category, ward, member, group):
    asset = AssetFactory(name="Orchard", group=group, category=category, ward=ward)
    revision = AssetRevision.objects.create(
        asset=asset,
        data={"name": "Orchard 2", "ward": ward.pk, "category": category.pk, "tags": ["new"]},
        submitted_by=member,
    )
    client.force_login(officer)
    url = reverse("assetmap_moderate_revision", args=[revision.pk])
    assert "Orchard 2" in client.get(url).content.decode()
    client.post(url, {"decision": "reject", "reason": "No."})
    asset.refresh_from_db()
    assert asset.name == "Orchard"


def test_residents_cannot_moderate(client, resident, category, ward):
    asset = AssetFactory(status=Asset.PENDING, category=category, ward=ward)
    resident.is_staff = True
    resident.save()
    client.force_login(resident)
    response = client.post(
        reverse("assetmap_moderate_asset", args=[asset.pk]), {"decision": "approve"}
    )
    assert_sent_to_sign_in(response)
    asset.refresh_from_db()
    assert asset.status == Asset.PENDING


def test_coverage_by_ward_and_category_and_outcome_gaps(
    client, officer, category, other_category, ward, other_ward, programme, count_queries
):
    outcome = OutcomeFactory(title="Fewer people socially isolated")
    call = asset_call(programme)
    call.outcomes.set([outcome])
    call.save()
    for _ in range(3):
        asset = AssetFactory(category=category, ward=ward)
        asset.outcomes.add(outcome)
    AssetFactory(category=other_category, ward=other_ward)
    AssetFactory(category=other_category, ward=other_ward, status=Asset.PENDING)
    client.force_login(officer)
    url = reverse("assetmap_coverage")
    response = client.get(url, {"programme": programme.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Fewer people socially isolated" in html
    assert "0 — gap" in html  # none in Brookside
    context = response.context
    rows = {w.name: cells for w, cells, _ in context["ward_rows"]}
    names = [c.name for c in context["categories"]]
    assert rows["Fernhill"][names.index("Green spaces")] == 3
    assert rows["Brookside"][names.index("Food")] == 1  # pending not counted
    small, _ = count_queries(lambda: client.get(url, {"programme": programme.pk}))
    assets_bulk(500, category=category, ward=ward)
    large, _ = count_queries(lambda: client.get(url, {"programme": programme.pk}))
    assert small == large


@pytest.mark.parametrize("name", ["assetmap_moderation", "assetmap_coverage"])
def test_admin_views_need_an_officer(client, resident, name):
    client.force_login(resident)
    response = client.get(reverse(name))
    assert_sent_to_sign_in(response)


def test_officer_opens_every_asset_and_group_screen_in_the_admin(
    client, officer, category, ward, group
):
    asset = AssetFactory(name="Orchard", category=category, ward=ward)
    asset.tags.add("fruit")
    client.force_login(officer)
    for url in [
        reverse("asset:index"),
        reverse("asset:edit", args=[asset.pk]),
        reverse("communitygroup:index"),
        reverse("communitygroup:edit", args=[group.pk]),
        reverse("groupmembership:index"),
        reverse("assetrevision:index"),
    ]:
        assert client.get(url).status_code == 200, url


def test_editors_can_open_the_page_forms(client, editor, programme, map_page):
    client.force_login(editor)
    call = asset_call(programme)
    for url in [
        reverse("wagtailadmin_pages:add", args=["assetmap", "assetcallpage", programme.pk]),
        reverse("wagtailadmin_pages:edit", args=[call.pk]),
        reverse("wagtailadmin_pages:edit", args=[map_page.pk]),
    ]:
        assert client.get(url).status_code == 200, url


# Labels, not codes ------------------------------------------------------------


def _text(response):
    import re

    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    ).decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def test_moderation_screens_show_the_kind_people_chose_not_its_code(
    client, officer, category, ward, member, group
):
    new = AssetFactory(name="New hall", kind=Asset.SPACE, status=Asset.PENDING, category=category)
    published = AssetFactory(name="Orchard", kind=Asset.EVENT, group=group, category=category)
    revision = AssetRevision.objects.create(
        asset=published,
        data={"name": "Orchard", "kind": Asset.SKILL, "category": category.pk},
        submitted_by=member,
    )
    client.force_login(officer)
    text = _text(client.get(reverse("assetmap_moderate_asset", args=[new.pk])))
    assert "Kind Space or place" in text
    assert " space " not in text
    text = _text(client.get(reverse("assetmap_moderate_revision", args=[revision.pk])))
    assert "Kind (changed) Event Skill or person" in text
    assert " skill " not in text and " event " not in text


def test_edit_history_shows_proposed_values_with_labels(
    client, officer, category, ward, member, group
):
    published = AssetFactory(name="Orchard", group=group, category=category, ward=ward)
    revision = AssetRevision.objects.create(
        asset=published,
        data={"name": "Orchard", "kind": Asset.SKILL, "category": category.pk, "ward": ward.pk},
        submitted_by=member,
    )
    client.force_login(officer)
    text = _text(client.get(reverse("assetrevision:inspect", args=[revision.pk])))
    assert "Kind: Skill or person" in text
    assert f"Category: {category.name}" in text and f"Ward: {ward.name}" in text
    assert "'kind'" not in text and "&#x27;kind&#x27;" not in text
    assert "Decided at Not decided yet" in text
    assert "None" not in text.split("Proposed values", 1)[1]


def test_admin_exports_show_labels(client, officer, category, ward, group, member):
    AssetFactory(name="Orchard", kind=Asset.SKILL, category=category, ward=ward)
    client.force_login(officer)
    text = _text(client.get(reverse("asset:index") + "?export=csv"))
    assert text.startswith("Name,Kind,Category,Ward")
    assert "Orchard,Skill or person,Green spaces,Fernhill" in text
    assert ",Published," in text
    text = _text(client.get(reverse("groupmembership:index") + "?export=csv"))
    assert text.startswith("Member,Community group,Role,Joined")
    assert f"{group.name},Member," in text


# Admin create, edit and delete go through the services --------------------------


def _asset_form_data(asset, **changes):
    data = {
        "name": asset.name,
        "kind": asset.kind,
        "category": asset.category_id,
        "description": asset.description,
        "address": asset.address,
        "postcode": asset.postcode,
        "latitude": "" if asset.latitude is None else asset.latitude,
        "longitude": "" if asset.longitude is None else asset.longitude,
        "ward": asset.ward_id or "",
        "contact_name": "",
        "contact_email": "",
        "contact_phone": "",
        "website": "",
        "opening_times": "",
        "accessibility": "",
        "group": asset.group_id or "",
        "tags": "",
    }
    data.update(changes)
    return data


@pytest.fixture
def superuser(user_factory):
    return user_factory(email="admin@example.org", is_staff=True, is_superuser=True)


def test_admin_edit_refills_cleared_coordinates_from_the_postcode(
    client, officer, category, ward, postcodes
):
    asset = AssetFactory(name="Hall", category=category, ward=ward, postcode="KX5 1AB")
    client.force_login(officer)
    response = client.post(
        reverse("asset:edit", args=[asset.pk]),
        _asset_form_data(asset, latitude="", longitude=""),
    )
    assert response.status_code == 302
    asset.refresh_from_db()
    assert (asset.latitude, asset.longitude) == (53.6501, -2.1102)


def test_admin_edit_finds_the_ward_from_the_postcode(
    client, officer, category, ward, other_ward, postcodes
):
    asset = AssetFactory(name="Hall", category=category, ward=ward, postcode="KX5 1AB")
    client.force_login(officer)
    response = client.post(
        reverse("asset:edit", args=[asset.pk]),
        _asset_form_data(asset, postcode="KX2 3EF", ward="", latitude="", longitude=""),
    )
    assert response.status_code == 302
    asset.refresh_from_db()
    assert asset.ward == other_ward
    assert (asset.latitude, asset.longitude) == (53.6205, -2.1806)


def test_admin_edit_refuses_a_place_outside_the_borough_next_to_the_field(
    client, officer, category, ward
):
    asset = AssetFactory(name="Hall", category=category, ward=ward)
    client.force_login(officer)
    response = client.post(
        reverse("asset:edit", args=[asset.pk]),
        _asset_form_data(asset, name="Hall renamed", latitude="51.5", longitude="-0.12"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "That place is outside the borough" in html
    assert 'value="Hall renamed"' in html and 'value="51.5"' in html
    asset.refresh_from_db()
    assert asset.name == "Hall" and asset.latitude == 53.64


def test_admin_create_submits_through_the_service(client, superuser, category, ward, postcodes):
    client.force_login(superuser)
    data = _asset_form_data(
        AssetFactory.build(category=category, ward=ward),
        name="New orchard",
        postcode="KX5 2CD",
        ward="",
        latitude="",
        longitude="",
    )
    response = client.post(reverse("asset:add"), data)
    assert response.status_code == 302
    asset = Asset.objects.get(name="New orchard")
    assert asset.status == Asset.PENDING
    assert asset.submitted_by == superuser
    assert asset.ward == ward and asset.latitude == 53.6603


def test_admin_delete_asset_goes_through_the_service(client, superuser, category, ward):
    asset = AssetFactory(category=category, ward=ward)
    client.force_login(superuser)
    response = client.post(reverse("asset:delete", args=[asset.pk]))
    assert response.status_code == 302
    assert not Asset.objects.filter(pk=asset.pk).exists()


def test_admin_cannot_delete_a_groups_last_lead(client, officer, group, user_factory):
    lead = GroupMembershipFactory(group=group, user=user_factory(), role=GroupMembership.LEAD)
    client.force_login(officer)
    response = client.post(reverse("groupmembership:delete", args=[lead.pk]))
    assert response.status_code == 200
    assert "A group needs at least one lead" in response.content.decode()
    assert GroupMembership.objects.filter(pk=lead.pk).exists()


def test_admin_cannot_demote_a_groups_last_lead(client, officer, group, user_factory):
    lead = GroupMembershipFactory(group=group, user=user_factory(), role=GroupMembership.LEAD)
    client.force_login(officer)
    response = client.post(
        reverse("groupmembership:edit", args=[lead.pk]),
        {"group": group.pk, "user": lead.user_id, "role": GroupMembership.MEMBER},
    )
    assert response.status_code == 200
    assert "A group needs at least one lead" in response.content.decode()
    lead.refresh_from_db()
    assert lead.role == GroupMembership.LEAD


def test_admin_removes_a_member_when_a_lead_remains(client, officer, group, user_factory):
    GroupMembershipFactory(group=group, user=user_factory(), role=GroupMembership.LEAD)
    member = GroupMembershipFactory(group=group, user=user_factory())
    client.force_login(officer)
    response = client.post(reverse("groupmembership:delete", args=[member.pk]))
    assert response.status_code == 302
    assert not GroupMembership.objects.filter(pk=member.pk).exists()


def test_admin_creates_a_group_with_a_lead(client, officer):
    client.force_login(officer)
    response = client.post(
        reverse("communitygroup:add"),
        {"name": "Brookside Bakers", "description": "", "website": "", "email": ""},
    )
    assert response.status_code == 302
    group = CommunityGroup.objects.get(name="Brookside Bakers")
    assert group.slug == "brookside-bakers"
    assert GroupMembership.objects.filter(
        group=group, user=officer, role=GroupMembership.LEAD
    ).exists()


def test_admin_group_edit_refuses_a_taken_name_next_to_the_field(client, officer, group):
    other = CommunityGroupFactory(name="Brookside Bakers", slug="brookside-bakers")
    client.force_login(officer)
    response = client.post(
        reverse("communitygroup:edit", args=[other.pk]),
        {"name": "fernhill friends", "description": "Bread", "website": "", "email": ""},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "A group with this name is already registered" in html
    assert "Bread" in html
    other.refresh_from_db()
    assert other.name == "Brookside Bakers"


def test_admin_group_delete_keeps_its_assets(client, superuser, group, category, ward):
    asset = AssetFactory(group=group, category=category, ward=ward)
    client.force_login(superuser)
    response = client.post(reverse("communitygroup:delete", args=[group.pk]))
    assert response.status_code == 302
    assert not CommunityGroup.objects.filter(pk=group.pk).exists()
    asset.refresh_from_db()
    assert asset.group is None
