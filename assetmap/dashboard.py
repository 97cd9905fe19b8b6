"""The asset map's panel on the admin dashboard: what moderators must act on."""

from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.timezone import localtime

from commissioning.dashboard import ActionPanel, ActionRow

from . import rules, selectors


class AssetModerationPanel(ActionPanel):
    """New assets and proposed edits waiting for an officer, oldest first."""

    name = "assetmap-moderation"
    heading = "Assets waiting for moderation"
    order = 20
    empty_text = "No new assets or changes are waiting."
    all_label = "See the moderation queue"

    URL_NAMES = {"asset": "assetmap_moderate_asset", "edit": "assetmap_moderate_revision"}
    ITEM_LABELS = {"asset": "New asset", "edit": "Changes to a published asset"}

    def is_shown(self, user):
        return rules.can_moderate_asset(user)

    def get_queryset(self, user):
        return selectors.moderation_items()

    def row(self, obj):
        sent = date_format(localtime(obj["sent_at"]), "j M Y")
        return ActionRow(
            label=obj["name"],
            url=reverse(self.URL_NAMES[obj["item"]], args=[obj["pk"]]),
            detail=f"{self.ITEM_LABELS[obj['item']]} in {obj['ward_name']}, sent {sent}",
        )

    def all_url(self):
        return reverse("assetmap_moderation")
