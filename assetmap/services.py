"""Writes of the asset map: submission, edits and moderation.

Every entry point (public form, asset call, admin, import) goes through these
functions, so the rules hold everywhere: edits to a published asset wait for
an officer, decisions are audit-logged, and a submission through an asset
call is recorded as participation in that engagement.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.log_actions import log

from commissioning.exceptions import Refused
from commissioning.models import AssetCategory, Outcome, Ward
from commissioning.models.snippets import normalise_postcode
from commissioning.rules import is_signed_in
from commissioning.services import engagement_assert_can_respond, participation_record

from . import rules
from .location import borough_name, coordinates_validate, postcode_centre, ward_centre
from .models import Asset, AssetPhoto, AssetRevision, CommunityGroup, GroupMembership

# Fields residents and groups may set; everything else is the moderators'.
FIELDS = [
    "name",
    "kind",
    "category",
    "description",
    "address",
    "postcode",
    "latitude",
    "longitude",
    "ward",
    "contact_name",
    "contact_email",
    "contact_phone",
    "website",
    "opening_times",
    "accessibility",
    "group",
]
FOREIGN_KEYS = {"category": AssetCategory, "ward": Ward, "group": CommunityGroup}


UNKNOWN_POSTCODE_MESSAGE = (
    "We do not know where {postcode} is, so we cannot put it on the map. Check the "
    "postcode, or select the place on the map, or leave the postcode empty and choose the ward."
)
NO_WARD_CENTRE_MESSAGE = (
    "We cannot place {ward} on the map yet. Give the postcode, or select the place on the map."
)


def _postcode_normalise(data):
    postcode = (data.get("postcode") or "").strip()
    if not postcode:
        return ""
    try:
        data["postcode"] = normalise_postcode(postcode)
    except ValidationError as error:
        raise ValidationError({"postcode": error.messages}) from None
    return data["postcode"]


def _ward_resolve(data, postcode):
    if data.get("ward") is not None:
        return
    ward = Ward.objects.for_postcode(postcode) if postcode else None
    if ward is None:
        message = (
            f"We could not find a {borough_name()} ward for that postcode. "
            "Choose the ward instead."
            if postcode
            else "Choose the ward, or enter the postcode so we can find it."
        )
        raise ValidationError({"ward": message}, code="no_ward")
    data["ward"] = ward


def _needs_coordinates(data, previous):
    """No coordinates given, or those of the asset's old postcode or ward when that changed."""
    latitude, longitude = data.get("latitude"), data.get("longitude")
    if latitude is None and longitude is None:
        return True
    if previous is None or (latitude, longitude) != (previous.latitude, previous.longitude):
        return False
    moved_postcode = data.get("postcode", "") != (previous.postcode or "")
    new_ward = data.get("ward") is not None and data["ward"].pk != previous.ward_id
    return moved_postcode or new_ward


def _coordinates_fill(data, postcode):
    if postcode:
        centre = postcode_centre(postcode)
        if centre is None:
            raise ValidationError(
                {"postcode": UNKNOWN_POSTCODE_MESSAGE.format(postcode=postcode)},
                code="unknown_postcode",
            )
    else:
        centre = ward_centre(data["ward"])
        if centre is None:
            raise ValidationError(
                {"ward": NO_WARD_CENTRE_MESSAGE.format(ward=data["ward"].name)},
                code="no_ward_centre",
            )
    data["latitude"], data["longitude"] = centre


def asset_location_resolve(data, *, previous=None):
    """Find the ward and the coordinates, so that every asset can be on the map.

    Coordinates typed or picked on the map are kept (if inside the borough);
    otherwise a postcode gives its centre from the postcode table the council
    loads (`import_postcodes`), and a ward alone gives the centre of its
    postcodes. `previous` is the asset being edited: coordinates left as they
    were follow a changed postcode or ward.
    """
    coordinates_validate(data.get("latitude"), data.get("longitude"))
    postcode = _postcode_normalise(data)
    _ward_resolve(data, postcode)
    if _needs_coordinates(data, previous):
        _coordinates_fill(data, postcode)
    return data


def _check_group(*, user, data, current_group_id=None):
    group = data.get("group")
    if (
        group is not None
        and group.pk != current_group_id
        and not rules.can_submit_for_group(user, group)
    ):
        raise ValidationError({"group": "You can only add assets for groups you belong to."})


def _apply(asset, data):
    for field in FIELDS:
        if field in data:
            setattr(asset, field, data[field])


def _set_relations(asset, data):
    if "tags" in data:
        asset.tags.set(list(data["tags"]), clear=True)
    if "outcomes" in data:
        asset.outcomes.set(list(data["outcomes"]))


def _add_photos(*, asset, photos, revision=None):
    for photo in photos:
        record = AssetPhoto(
            asset=asset,
            revision=revision,
            token=photo.token,
            extension=photo.extension,
            width=photo.width,
            height=photo.height,
            alt_text=getattr(photo, "alt_text", "") or f"Photo of {asset.name}",
        )
        record.image.save(photo.content.name, photo.content, save=False)
        record.save()


def _notify(asset, decision, reason=""):
    from .tasks import asset_decision_notify

    transaction.on_commit(
        lambda: asset_decision_notify.enqueue(asset_id=asset.pk, decision=decision, reason=reason)
    )


def asset_submit(*, user, data, photos=(), call=None, draft=False):
    """Create an asset from a resident or group; it waits for moderation.

    `data` holds cleaned values of FIELDS plus `tags` (names) and `outcomes`;
    `photos` are `photos.CleanPhoto`s. With `call`, the asset answers that
    asset call: its dates and audience apply, and it is linked to the call's
    programme and stage.
    """
    if not rules.can_submit_asset(user):
        raise Refused("Sign in to add an asset.", code="sign_in")
    data = asset_location_resolve(dict(data))
    _check_group(user=user, data=data)
    with transaction.atomic():
        asset = Asset(submitted_by=user, status=Asset.DRAFT if draft else Asset.PENDING)
        _apply(asset, data)
        if call is not None:
            engagement_assert_can_respond(engagement=call, user=user)
            asset.call = call
            asset.programme_id = call.get_parent().pk
            asset.stage = call.stage
        asset.full_clean(exclude=["category", "ward", "group", "call", "programme"])
        asset.save()
        _set_relations(asset, data)
        _add_photos(asset=asset, photos=photos)
        if call is not None:
            participation_record(engagement=call, user=user)
        log(asset, "assetmap.draft" if draft else "assetmap.submit", user=user)
    return asset


def _revision_data(data):
    stored = {}
    for field in FIELDS:
        if field in data:
            value = data[field]
            stored[field] = value.pk if field in FOREIGN_KEYS and value is not None else value
    if "tags" in data:
        stored["tags"] = sorted(set(data["tags"]))
    if "outcomes" in data:
        stored["outcomes"] = sorted(o.pk if hasattr(o, "pk") else o for o in data["outcomes"])
    return stored


def revision_values(revision):
    """The proposed values with model instances again (for applying and showing)."""
    data = dict(revision.data)
    for field, model in FOREIGN_KEYS.items():
        if field in data and data[field] is not None:
            data[field] = model.objects.filter(pk=data[field]).first()
    if "outcomes" in data:
        data["outcomes"] = list(Outcome.objects.filter(pk__in=data["outcomes"]))
    return data


def asset_update(*, user, asset, data, photos=(), draft=False):
    """Change an asset. A published asset keeps its public version until an
    officer approves the edit; other states are changed in place and go (back)
    to moderation, or stay a draft.
    """
    if not rules.can_edit_asset(user, asset):
        raise Refused("You cannot edit this asset.")
    data = asset_location_resolve(dict(data), previous=asset)
    _check_group(user=user, data=data, current_group_id=asset.group_id)
    with transaction.atomic():
        if asset.status == Asset.PUBLISHED:
            revision = (
                AssetRevision.objects.select_for_update()
                .filter(asset=asset, status=AssetRevision.PENDING)
                .first()
            )
            if revision is None:
                revision = AssetRevision(asset=asset)
            revision.data = _revision_data(data)
            revision.submitted_by = user
            revision.created_at = timezone.now()
            revision.save()
            _add_photos(asset=asset, photos=photos, revision=revision)
            log(asset, "assetmap.edit_submit", user=user, data={"revision": revision.pk})
            return revision
        _apply(asset, data)
        asset.status = Asset.DRAFT if draft else Asset.PENDING
        asset.moderation_reason = ""
        asset.full_clean(exclude=["category", "ward", "group", "call", "programme"])
        asset.save()
        _set_relations(asset, data)
        _add_photos(asset=asset, photos=photos)
        log(asset, "assetmap.draft" if draft else "assetmap.submit", user=user)
    return None


def asset_curate(*, user, asset, data):
    """An officer's correction in the admin: changed in place, its status kept.

    The same rules as a resident's edit: the ward from the postcode, the
    postcode's centre when no coordinates are given (so cleared coordinates are
    filled again), and coordinates only inside the borough.
    """
    if not rules.can_curate_asset(user, asset):
        raise Refused("Only officers change assets in the admin.")
    data = asset_location_resolve(dict(data), previous=asset)
    _check_group(user=user, data=data, current_group_id=asset.group_id)
    with transaction.atomic():
        _apply(asset, data)
        asset.full_clean(exclude=["category", "ward", "group", "call", "programme"])
        asset.save()
        _set_relations(asset, data)
        log(asset, "wagtail.edit", user=user)
    return asset


def asset_delete(*, user, asset):
    """Remove an asset for good (archive it to keep the record), with its photo files."""
    if not rules.can_delete_asset(user, asset):
        raise Refused("Only officers delete assets.")
    with transaction.atomic():
        for photo in asset.photos.all():
            transaction.on_commit(lambda image=photo.image: image.delete(save=False))
        log(asset, "wagtail.delete", user=user)
        asset.delete()


def asset_submit_draft(*, user, asset):
    """Send a draft to moderation unchanged."""
    if not rules.can_edit_asset(user, asset) or asset.status != Asset.DRAFT:
        raise Refused("Only a draft can be sent for checking.")
    with transaction.atomic():
        try:
            _asset_transition(
                asset,
                from_status=Asset.DRAFT,
                message="Only a draft can be sent for checking.",
                status=Asset.PENDING,
            )
        except ValidationError:
            raise Refused("Only a draft can be sent for checking.") from None
        log(asset, "assetmap.submit", user=user)
    return asset


def _assert_moderator(user):
    if not rules.can_moderate_asset(user):
        raise Refused("Only officers moderate assets.")


def _reason_required(reason):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": "Say why it is not accepted: the submitter will see this."}
        )
    return reason


def _asset_transition(asset, *, from_status, message, **values):
    """Change the asset's status only if it is still `from_status`, once under concurrency.

    The conditional update takes the row lock; a second officer's request
    waits for the first and then finds nothing to change.
    """
    values["updated_at"] = timezone.now()
    changed = Asset.objects.filter(pk=asset.pk, status=from_status).update(**values)
    if not changed:
        raise ValidationError(message, code="already_decided")
    for field, value in values.items():
        setattr(asset, field, value)


def asset_approve(*, asset, user):
    _assert_moderator(user)
    with transaction.atomic():
        _asset_transition(
            asset,
            from_status=Asset.PENDING,
            message="Only an asset awaiting moderation can be approved.",
            status=Asset.PUBLISHED,
            moderation_reason="",
            published_at=timezone.now(),
        )
        log(asset, "assetmap.approve", user=user)
        _notify(asset, "approved")
    return asset


def asset_reject(*, asset, user, reason):
    _assert_moderator(user)
    reason = _reason_required(reason)
    with transaction.atomic():
        _asset_transition(
            asset,
            from_status=Asset.PENDING,
            message="Only an asset awaiting moderation can be rejected.",
            status=Asset.REJECTED,
            moderation_reason=reason,
        )
        log(asset, "assetmap.reject", user=user, data={"reason": reason})
        _notify(asset, "rejected", reason)
    return asset


def _revision_decide(revision, *, user, message, **values):
    """Record the decision on a pending edit only once, however many officers send it."""
    values.update(decided_at=timezone.now(), decided_by=user)
    changed = AssetRevision.objects.filter(pk=revision.pk, status=AssetRevision.PENDING).update(
        **values
    )
    if not changed:
        raise ValidationError(message, code="already_decided")
    for field, value in values.items():
        setattr(revision, field, value)


def revision_approve(*, revision, user):
    """Replace the published version with the proposed one."""
    _assert_moderator(user)
    with transaction.atomic():
        _revision_decide(
            revision,
            user=user,
            message="Only an edit awaiting moderation can be approved.",
            status=AssetRevision.APPROVED,
        )
        asset = revision.asset
        values = revision_values(revision)
        _apply(asset, values)
        asset.save()
        _set_relations(asset, values)
        revision.photos.update(revision=None)
        log(asset, "assetmap.edit_approve", user=user, data={"revision": revision.pk})
        _notify(asset, "edit_approved")
    return revision


def revision_reject(*, revision, user, reason):
    """Refuse an edit; the published version stays as it was."""
    _assert_moderator(user)
    reason = _reason_required(reason)
    with transaction.atomic():
        _revision_decide(
            revision,
            user=user,
            message="Only an edit awaiting moderation can be rejected.",
            status=AssetRevision.REJECTED,
            reason=reason,
        )
        # Photos proposed with a refused edit are never shown.
        for photo in revision.photos.all():
            photo.image.delete(save=False)
        revision.photos.all().delete()
        log(revision.asset, "assetmap.edit_reject", user=user, data={"reason": reason})
        _notify(revision.asset, "edit_rejected", reason)
    return revision


# Community groups ------------------------------------------------------------

LAST_LEAD_MESSAGE = (
    "A group needs at least one lead. Make another member a lead first, then try again."
)
DUPLICATE_GROUP_MESSAGE = (
    "A group with this name is already registered. Ask its lead to add you, "
    "or use a different name."
)


def _group_slug(name):
    from django.utils.text import slugify

    base = (slugify(name) or "group")[:140]
    slug, n = base, 1
    while CommunityGroup.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _assert_can_manage(user, group):
    if not rules.can_manage_group(user, group):
        raise Refused("Only a lead of the group can change its members.")


def group_register(*, user, name, description="", website="", email=""):
    """Create a community group with `user` as its lead, all or nothing.

    Groups need no approval: a group shows publicly only as the owner of its
    assets, and every asset is checked by an officer before it is published.
    """
    if not rules.can_register_group(user):
        raise Refused("Sign in to register a group.", code="sign_in")
    name = _group_name_clean(name)
    duplicate = ValidationError({"name": DUPLICATE_GROUP_MESSAGE}, code="duplicate")
    try:
        with transaction.atomic():
            group = CommunityGroup.objects.create(
                name=name,
                slug=_group_slug(name),
                description=description or "",
                website=website or "",
                email=email or "",
            )
            GroupMembership.objects.create(group=group, user=user, role=GroupMembership.LEAD)
    except IntegrityError:
        # Someone registered the same name a moment ago.
        raise duplicate from None
    log(group, "wagtail.create", user=user)
    return group


def _group_name_clean(name, *, exclude_pk=None):
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": "Enter the name of the group."})
    taken = CommunityGroup.objects.filter(name__iexact=name).exclude(pk=exclude_pk).exists()
    if taken:
        raise ValidationError({"name": DUPLICATE_GROUP_MESSAGE}, code="duplicate")
    return name


def group_update(*, user, group, name, description="", website="", email=""):
    """Change a group's name and details (a lead or an officer); its address stays."""
    _assert_can_manage(user, group)
    group.name = _group_name_clean(name, exclude_pk=group.pk)
    group.description = description or ""
    group.website = website or ""
    group.email = email or ""
    try:
        with transaction.atomic():
            group.save(update_fields=["name", "description", "website", "email"])
    except IntegrityError:
        raise ValidationError({"name": DUPLICATE_GROUP_MESSAGE}, code="duplicate") from None
    log(group, "wagtail.edit", user=user)
    return group


def group_delete(*, user, group):
    """Remove a group (an officer); its assets stay on the map without a group."""
    if not rules.can_delete_group(user, group):
        raise Refused("Only officers delete groups.")
    with transaction.atomic():
        log(group, "wagtail.delete", user=user)
        group.delete()


INVITATION_DAYS = 14
INVITATION_INVALID_MESSAGE = (
    "This invitation cannot be used: it has expired, has already been accepted, or the "
    "link is incomplete. Ask the group's lead to invite you again."
)
INVITATION_OTHER_ACCOUNT_MESSAGE = (
    "This invitation was sent to a different email address. Sign out, then sign in with "
    "the account for the address the invitation was sent to."
)


def _token_digest(token):
    import hashlib

    return hashlib.sha256((token or "").encode()).hexdigest()


def group_member_invite(*, user, group, email, role=GroupMembership.MEMBER):
    """Invite someone by email to join `group`; they join only if they accept.

    Whether or not the address has an account, the same thing happens (an
    email with a link), so the page says nothing about who has an account.
    A new invitation to the same address replaces the open one. Returns the
    invitation and the token for the link (only its digest is stored).
    """
    import secrets
    from datetime import timedelta

    from .models import GroupInvitation

    _assert_can_manage(user, group)
    if role not in dict(GroupMembership.ROLES):
        raise ValidationError({"role": "Choose a role."})
    email = (email or "").strip().lower()
    if not email:
        raise ValidationError({"email": "Enter their email address."})
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        GroupInvitation.objects.open().filter(group=group, email__iexact=email).delete()
        invitation = GroupInvitation.objects.create(
            group=group,
            email=email,
            role=role,
            token_digest=_token_digest(token),
            invited_by=user,
            created_at=now,
            expires_at=now + timedelta(days=INVITATION_DAYS),
        )
        log(group, "assetmap.invite", user=user, data={"role": role})
        from .tasks import group_invitation_send

        transaction.on_commit(
            lambda: group_invitation_send.enqueue(invitation_id=invitation.pk, token=token)
        )
    return invitation, token


def group_invitation_for_token(token):
    """The open invitation the link's token belongs to, or None."""
    from .models import GroupInvitation

    return (
        GroupInvitation.objects.open()
        .select_related("group", "invited_by")
        .filter(token_digest=_token_digest(token))
        .first()
    )


def group_invitation_accept(*, user, token):
    """Join the group: once, by a signed-in account with the invited address, before expiry."""
    from .models import GroupInvitation

    if not is_signed_in(user):
        raise Refused("Sign in to accept the invitation.", code="sign_in")
    invitation = group_invitation_for_token(token)
    if invitation is None:
        raise ValidationError(INVITATION_INVALID_MESSAGE, code="invalid")
    if (user.email or "").strip().lower() != invitation.email.lower():
        raise ValidationError(INVITATION_OTHER_ACCOUNT_MESSAGE, code="other_account")
    now = timezone.now()
    with transaction.atomic():
        # Conditional update: of two requests at once, only one finds it still open.
        accepted = (
            GroupInvitation.objects.open()
            .filter(pk=invitation.pk)
            .update(accepted_at=now, accepted_by=user)
        )
        if not accepted:
            raise ValidationError(INVITATION_INVALID_MESSAGE, code="invalid")
        membership, _ = GroupMembership.objects.get_or_create(
            group=invitation.group, user=user, defaults={"role": invitation.role}
        )
        log(invitation.group, "assetmap.join", user=user)
    return membership


def _other_leads(membership):
    return (
        GroupMembership.objects.filter(group_id=membership.group_id, role=GroupMembership.LEAD)
        .exclude(pk=membership.pk)
        .exists()
    )


def group_member_role_change(*, user, membership, role):
    _assert_can_manage(user, membership.group)
    if role not in dict(GroupMembership.ROLES):
        raise ValidationError({"role": "Choose a role."})
    with transaction.atomic():
        # Lock the group's leads so two demotions at once cannot leave none.
        list(
            GroupMembership.objects.select_for_update().filter(
                group_id=membership.group_id, role=GroupMembership.LEAD
            )
        )
        membership.refresh_from_db()
        demoting = membership.role == GroupMembership.LEAD and role != GroupMembership.LEAD
        if demoting and not _other_leads(membership):
            raise ValidationError({"role": LAST_LEAD_MESSAGE}, code="last_lead")
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


def group_member_remove(*, user, membership):
    _assert_can_manage(user, membership.group)
    with transaction.atomic():
        list(
            GroupMembership.objects.select_for_update().filter(
                group_id=membership.group_id, role=GroupMembership.LEAD
            )
        )
        membership.refresh_from_db()
        if membership.role == GroupMembership.LEAD and not _other_leads(membership):
            raise ValidationError(LAST_LEAD_MESSAGE, code="last_lead")
        membership.delete()


# Postcodes -------------------------------------------------------------------

POSTCODE_COLUMNS = {
    "postcode": ("postcode", "pcds", "pcd", "pcd7", "pcd8"),
    "latitude": ("latitude", "lat"),
    "longitude": ("longitude", "long", "lon", "lng"),
}


class PostcodeImportResult:
    def __init__(self):
        self.loaded = 0
        self.skipped = []  # (line number, why)

    def __repr__(self):
        return f"<PostcodeImportResult loaded={self.loaded} skipped={len(self.skipped)}>"


def _postcode_columns(header):
    names = [(name or "").strip().lower() for name in header]
    columns = {}
    for key, aliases in POSTCODE_COLUMNS.items():
        found = next((names.index(a) for a in aliases if a in names), None)
        if found is None:
            raise ValidationError(
                f"The file needs a “{key}” column (or one of: {', '.join(aliases[1:])})."
            )
        columns[key] = found
    return columns


def _postcode_row(row, columns):
    """A Postcode from one CSV row, or a ValidationError saying what is wrong with it."""
    import math

    from .location import borough_bounds
    from .models import Postcode

    try:
        values = {key: row[index].strip() for key, index in columns.items()}
    except IndexError:
        raise ValidationError("The row has too few columns.") from None
    postcode = normalise_postcode(values["postcode"])
    try:
        latitude, longitude = float(values["latitude"]), float(values["longitude"])
    except ValueError:
        raise ValidationError("The latitude and longitude must be numbers.") from None
    if not (math.isfinite(latitude) and math.isfinite(longitude)):
        raise ValidationError("The latitude and longitude must be numbers.")
    box = borough_bounds()
    if not (box["south"] <= latitude <= box["north"] and box["west"] <= longitude <= box["east"]):
        raise ValidationError(f"{postcode} lies outside the borough.")
    return Postcode(postcode=postcode, latitude=latitude, longitude=longitude)


def _postcodes_save(batch):
    from .models import Postcode

    by_postcode = {p.postcode: p for p in batch}  # the last row for a postcode wins
    Postcode.objects.bulk_create(
        by_postcode.values(),
        update_conflicts=True,
        unique_fields=["postcode"],
        update_fields=["latitude", "longitude"],
    )
    return len(by_postcode)


def postcodes_import(*, file, batch_size=2000):
    """Load postcode centroids from a CSV file (text), adding new ones and moving changed ones.

    The header names the columns: `postcode`, `latitude`, `longitude` (or the
    ONS Postcode Directory's `pcds`, `lat`, `long`). Rows that are not a UK
    postcode inside the borough are skipped and reported, never half-saved.
    """
    import csv

    reader = csv.reader(file)
    header = next(reader, None)
    if header is None:
        raise ValidationError("The file is empty.")
    columns = _postcode_columns(header)
    result = PostcodeImportResult()
    batch = []
    with transaction.atomic():
        for line, row in enumerate(reader, start=2):
            if not any(cell.strip() for cell in row):
                continue
            try:
                batch.append(_postcode_row(row, columns))
            except ValidationError as error:
                result.skipped.append((line, " ".join(error.messages)))
                continue
            if len(batch) >= batch_size:
                result.loaded += _postcodes_save(batch)
                batch = []
        if batch:
            result.loaded += _postcodes_save(batch)
    return result
