"""The admin dashboard's panel of assets and edits waiting for moderation."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from assetmap.models import Asset, AssetRevision

from .factories import AssetFactory, assets_bulk

HEADING = "Assets waiting for moderation"


def _dashboard(client, user):
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return response.content.decode()


def test_officer_sees_new_assets_and_edits_linked_to_their_moderation(
    client, officer, category, ward, group, member
):
    now = timezone.now()
    new = AssetFactory(
        name="New hall",
        status=Asset.PENDING,
        category=category,
        ward=ward,
        created_at=now - timedelta(days=2),
    )
    published = AssetFactory(name="Orchard", group=group, category=category, ward=ward)
    edit = AssetRevision.objects.create(
        asset=published,
        data={"name": "Orchard"},
        submitted_by=member,
        created_at=now - timedelta(days=1),
    )
    AssetFactory(name="Already public", category=category, ward=ward)
    html = _dashboard(client, officer)
    assert HEADING in html
    assert reverse("assetmap_moderate_asset", args=[new.pk]) in html
    assert reverse("assetmap_moderate_revision", args=[edit.pk]) in html
    assert "New asset in Fernhill" in html
    assert "Changes to a published asset in Fernhill" in html
    assert "Already public" not in html
    assert reverse("assetmap_moderation") in html
    # Oldest first.
    assert html.index("New hall") < html.index("Orchard")


def test_panel_is_hidden_from_those_who_cannot_moderate(client, editor, category, ward):
    AssetFactory(name="New hall", status=Asset.PENDING, category=category, ward=ward)
    html = _dashboard(client, editor)
    assert HEADING not in html
    assert "New hall" not in html


def test_panel_says_so_when_nothing_waits(client, officer):
    html = _dashboard(client, officer)
    assert HEADING in html
    assert "No new assets or changes are waiting." in html


def test_panel_counts_the_whole_queue_in_fixed_queries(
    client, officer, category, ward, django_assert_max_num_queries
):
    from assetmap.dashboard import AssetModerationPanel
    from assetmap.selectors import moderation_items

    assets_bulk(30, category=category, ward=ward, status=Asset.PENDING)
    panel = AssetModerationPanel()
    request = type("Request", (), {"user": officer})()
    with django_assert_max_num_queries(2):
        context = panel.get_context_data({"request": request})
    assert context["count"] == 30 == moderation_items().count()
    assert len(context["rows"]) == panel.max_rows
