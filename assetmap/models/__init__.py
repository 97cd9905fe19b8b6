"""The asset map's models.

Assets, groups and photos are citizen data, so they are plain models shown in
the admin through viewsets; only the public map and the asset calls are pages.
"""

from .assets import Asset, AssetPhoto, AssetQuerySet, AssetRevision
from .groups import CommunityGroup, GroupInvitation, GroupMembership
from .pages import AssetCallPage, AssetMapPage
from .postcodes import Postcode, PostcodeQuerySet

__all__ = [
    "Asset",
    "AssetCallPage",
    "AssetMapPage",
    "AssetPhoto",
    "AssetQuerySet",
    "AssetRevision",
    "CommunityGroup",
    "GroupInvitation",
    "GroupMembership",
    "Postcode",
    "PostcodeQuerySet",
]
