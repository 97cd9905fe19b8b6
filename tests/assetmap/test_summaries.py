from assetmap.models import Asset
from commissioning.summaries import engagement_summary

from .factories import AssetFactory, asset_call


def test_asset_call_summary_counts_what_came_in(programme, category, other_category, ward):
    call = asset_call(programme)
    AssetFactory(call=call, category=category, ward=ward)
    AssetFactory(call=call, category=category, ward=ward, status=Asset.PENDING)
    AssetFactory(call=call, category=other_category, ward=ward)
    AssetFactory(call=call, category=other_category, ward=ward, status=Asset.DRAFT)
    AssetFactory(category=category, ward=ward)  # not through the call
    summary = engagement_summary(call)
    figures = {f.label: f.value for f in summary.figures}
    assert figures == {"Assets submitted": "3", "Published": "2", "Awaiting moderation": "1"}
    assert summary.charts[0].table.rows == [["Green spaces", 2], ["Food", 1]]
    assert summary.tables[0].rows == [["Fernhill", 3]]


def test_call_page_shows_its_state(client, programme):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    call = asset_call(
        programme, opens_at=now - timedelta(days=9), closes_at=now - timedelta(days=2)
    )
    html = client.get(call.url).content.decode()
    assert "Closed" in html
    assert "Add an asset" not in html
