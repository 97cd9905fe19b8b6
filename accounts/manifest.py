"""What accounts bring to the platform (see commissioning.manifest)."""

from commissioning.manifest import AppManifest, PersonalDataDeclaration


def manifest():
    from .models import EngagementDigestEntry
    from .selectors import engagement_digest_export
    from .services import engagement_digest_anonymise, unverified_accounts_retain

    return AppManifest(
        app_label="accounts",
        personal_data=(
            PersonalDataDeclaration(
                "engagement_digests",
                export=engagement_digest_export,
                anonymise=engagement_digest_anonymise,
                models=(EngagementDigestEntry,),
            ),
            PersonalDataDeclaration(
                "unverified_accounts",
                retain=unverified_accounts_retain,
                retention="unverified_accounts",
            ),
        ),
        demo="accounts.demo",
    )
