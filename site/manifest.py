"""What the site package brings to the platform (see commissioning.manifest)."""

from commissioning.manifest import AppManifest, PersonalDataDeclaration


def manifest():
    from .messaging import messages_anonymise, messages_export, messages_retain
    from .models import OutboundMessage

    # Editorial pages and settings, no engagement; the outbox of messages holds
    # the addresses and phone numbers they went to.
    return AppManifest(
        app_label="coproduce",
        personal_data=(
            PersonalDataDeclaration(
                "messages sent to you",
                export=messages_export,
                anonymise=messages_anonymise,
                models=(OutboundMessage,),
                retain=messages_retain,
                retention="sent_messages",
            ),
        ),
        demo="coproduce.demo",
    )
