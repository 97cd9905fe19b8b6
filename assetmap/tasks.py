"""Background work: telling submitters what happened to their asset."""

from django.core.mail import send_mail
from django.urls import reverse
from django_tasks import task

from coproduce.mail import email_context, email_subject, site_url

MESSAGES = {
    "approved": "Your asset “{name}” has been checked and is now {where}.",
    "rejected": "Your asset “{name}” was not accepted.\n\nThe reason given: {reason}",
    "edit_approved": "Your changes to “{name}” have been checked and are now {where}.",
    "edit_rejected": (
        "Your changes to “{name}” were not accepted; the map still shows the earlier "
        "version.\n\nThe reason given: {reason}"
    ),
}


@task()
def asset_decision_notify(*, asset_id, decision, reason=""):
    from .models import Asset

    asset = Asset.objects.select_related("submitted_by").filter(pk=asset_id).first()
    if asset is None or asset.submitted_by is None or not asset.submitted_by.email:
        return
    context = email_context()
    body = "Hello,\n\n" + MESSAGES[decision].format(
        name=asset.name, reason=reason, where=asset.where_shown
    )
    body += (
        "\n\nSee all your assets and their status under “My assets”: "
        f"{site_url(reverse('assetmap:my_assets'))}\n\n{context['council_name']}\n"
    )
    send_mail(
        subject=email_subject("Your community asset", context),
        message=body,
        from_email=None,
        recipient_list=[asset.submitted_by.email],
    )


@task()
def group_invitation_send(*, invitation_id, token):
    """Email the invitation link; the same message whether or not the address has an account."""
    from .models import GroupInvitation

    invitation = (
        GroupInvitation.objects.open().select_related("group").filter(pk=invitation_id).first()
    )
    if invitation is None:
        return
    context = email_context()
    link = site_url(reverse("assetmap:group_invitation", args=[token]))
    body = (
        f"Hello,\n\nYou are invited to join “{invitation.group.name}” as "
        f"{invitation.get_role_display().lower()} on {context['service_name']}, so you can "
        "keep the group's community assets up to date.\n\n"
        f"To accept, open this link and sign in (or create an account) with this email "
        f"address, {invitation.email}:\n{link}\n\n"
        f"The link works once, until {invitation.expires_at:%-d %B %Y}. If you do not want "
        f"to join, ignore this email: nothing changes.\n\n{context['council_name']}\n"
    )
    send_mail(
        subject=email_subject(f"Join {invitation.group.name}", context),
        message=body,
        from_email=None,
        recipient_list=[invitation.email],
    )
