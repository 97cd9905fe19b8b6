"""The asset map's part of "download my data" and account deletion.

Registered with the spine's registry in `apps.py`. Deletion keeps the assets
(they belong to the borough's map and to their groups) but unlinks the person
and clears contact details they typed into assets that were never published.
"""

from .models import Asset, AssetRevision, GroupInvitation, GroupMembership


def _iso(value):
    return value.isoformat() if value else None


def assets_export(user):
    assets = (
        Asset.objects.filter(submitted_by=user)
        .select_related("category", "ward", "group")
        .order_by("created_at", "pk")
    )
    records = [
        {
            "name": a.name,
            "kind": a.get_kind_display(),
            "category": a.category.name,
            "ward": a.ward.name,
            "group": a.group.name if a.group else None,
            "status": a.get_status_display(),
            "moderation_reason": a.moderation_reason,
            "contact_name": a.contact_name,
            "contact_email": a.contact_email,
            "contact_phone": a.contact_phone,
            "created_at": _iso(a.created_at),
        }
        for a in assets
    ]
    records.extend(
        {
            "proposed_changes_to": r.asset.name,
            "status": r.get_status_display(),
            "reason": r.reason,
            "created_at": _iso(r.created_at),
        }
        for r in AssetRevision.objects.filter(submitted_by=user).select_related("asset")
    )
    records.extend(
        {"group": m.group.name, "role": m.get_role_display(), "joined_at": _iso(m.joined_at)}
        for m in GroupMembership.objects.filter(user=user).select_related("group")
    )
    records.extend(
        {
            "invitation_to": i.group.name,
            "email": i.email,
            "role": i.get_role_display(),
            "sent_at": _iso(i.created_at),
            "accepted_at": _iso(i.accepted_at),
        }
        for i in _invitations_to(user).select_related("group").order_by("created_at", "pk")
    )
    return records


def _invitations_to(user):
    from django.db.models import Q

    return GroupInvitation.objects.filter(Q(accepted_by=user) | Q(email__iexact=user.email))


def assets_anonymise(user):
    Asset.objects.filter(submitted_by=user).exclude(status=Asset.PUBLISHED).update(
        contact_name="", contact_email="", contact_phone=""
    )
    Asset.objects.filter(submitted_by=user).update(submitted_by=None)
    AssetRevision.objects.filter(submitted_by=user).update(submitted_by=None)
    GroupMembership.objects.filter(user=user).delete()
    # Invitations to the person are deleted; those they sent stay, unsigned.
    _invitations_to(user).delete()
    GroupInvitation.objects.filter(invited_by=user).update(invited_by=None)
