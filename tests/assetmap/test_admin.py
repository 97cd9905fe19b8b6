"""Officer views in the Wagtail admin: moderation and coverage."""

import pytest
from django.urls import reverse

from assetmap.models import Asset, AssetRevision
from tests.commissioning.factories import OutcomeFactory

from .factories import AssetFactory, asset_call, assets_bulk


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
    assert response.status_code in (302, 403)
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
    assert response.status_code in (302, 403)


def test_officer_browses_and_edits_assets_and_groups_in_the_admin(
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


def test_editors_can_open_the_page_forms(client, officer, programme, map_page):
    client.force_login(officer)
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
