"""What the asset map brings to the platform (see commissioning.manifest)."""

from commissioning.manifest import AppManifest, PersonalDataDeclaration


def manifest():
    from .models import (
        Asset,
        AssetCallPage,
        AssetRevision,
        CommunityGroup,
        GroupInvitation,
        GroupMembership,
        Postcode,
    )
    from .personal_data import assets_anonymise, assets_export
    from .selectors import site_search_section
    from .summaries import asset_call_summary
    from .themes import asset_call_texts

    return AppManifest(
        app_label="assetmap",
        summaries={AssetCallPage: asset_call_summary},
        personal_data=(
            PersonalDataDeclaration(
                "community assets",
                export=assets_export,
                anonymise=assets_anonymise,
                models=(Asset, AssetRevision, CommunityGroup, GroupInvitation, GroupMembership),
            ),
        ),
        roles={
            "officer": [
                "assetmap.moderate_asset",
                "assetmap.view_asset",
                "assetmap.change_asset",
                "assetmap.view_assetrevision",
                "assetmap.add_communitygroup",
                "assetmap.change_communitygroup",
                "assetmap.view_communitygroup",
                "assetmap.add_groupmembership",
                "assetmap.change_groupmembership",
                "assetmap.delete_groupmembership",
                "assetmap.view_groupmembership",
            ],
        },
        search=(site_search_section,),
        text_sources={AssetCallPage: asset_call_texts},
        not_personal={Postcode: "postcode centroids the council loads, no person's address"},
        demo="assetmap.demo",
    )
