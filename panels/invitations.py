"""Writes for the civic lottery's first stage: address import, invitation draw, codes, purge.

Re-exported by `panels.services`, so every entry point (admin, demo, command,
task) goes through the same rules.
"""

import csv
import io
import random
import re
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.log_actions import log

from commissioning.exceptions import Refused
from commissioning.models import Ward

from . import rules
from .models import (
    Invitation,
    InvitationAddress,
    InvitationDraw,
    LotteryRun,
    PanelPage,
    PrintBatch,
)

# ---------------------------------------------------------------- address import

REQUIRED_COLUMNS = ("uprn", "line_1", "postcode")
OPTIONAL_COLUMNS = ("line_2", "town")
UPRN_RE = re.compile(r"^[0-9]{1,12}$")
POSTCODE_RE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


def max_import_bytes():
    return getattr(settings, "PANELS_ADDRESS_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


@dataclass
class ImportReport:
    imported: int = 0
    refused: list = field(default_factory=list)  # [(row number, uprn, reason)]

    @property
    def refused_count(self):
        return len(self.refused)

    def reasons(self):
        """{reason: count}, for the summary above the list of refused rows."""
        counts = {}
        for _, _, reason in self.refused:
            counts[reason] = counts.get(reason, 0) + 1
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


class WardMatcher:
    """The ward of a postcode by the wards' longest matching prefix, with one query."""

    def __init__(self):
        self.prefixes = sorted(
            ((prefix, ward) for ward in Ward.objects.all() for prefix in ward.prefixes),
            key=lambda pw: (-len(pw[0]), pw[0]),
        )

    def ward_for(self, postcode):
        for prefix, ward in self.prefixes:
            if postcode.startswith(prefix) and (
                len(postcode) == len(prefix) or postcode[len(prefix)] == " " or " " in prefix
            ):
                return ward
        return None


def _rows(data):
    """The CSV's header and rows, or a ValidationError that refuses the whole file."""
    if len(data) > max_import_bytes():
        raise ValidationError(
            f"The file is larger than {max_import_bytes() // (1024 * 1024)} MB. Split it into "
            "smaller files and import them one after another.",
            code="too_large",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            "This is not a CSV file in UTF-8 text. Save the spreadsheet as “CSV UTF-8” and try again.",
            code="not_csv",
        ) from None
    if "\x00" in text:
        raise ValidationError("This is not a CSV file (it holds binary data).", code="not_csv")
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise ValidationError(f"The CSV file cannot be read: {error}.", code="not_csv") from None
    if not rows:
        raise ValidationError("The file is empty.", code="empty")
    header = [cell.strip().lower() for cell in rows[0]]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ValidationError(
            "The first row must name the columns uprn, line_1, line_2, town and postcode "
            f"(line_2 and town may be left empty). Missing: {', '.join(missing)}.",
            code="columns",
        )
    unknown = [c for c in header if c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if unknown:
        raise ValidationError(
            f"Unexpected columns: {', '.join(unknown)}. Use only uprn, line_1, line_2, town "
            "and postcode.",
            code="columns",
        )
    return header, rows[1:]


def _check_row(values, *, seen, existing, matcher):
    """(fields, None) for a good row, (None, reason) for a refused one."""
    uprn = values.get("uprn", "").strip()
    if not UPRN_RE.match(uprn):
        return None, "The UPRN is not a number of up to 12 digits"
    uprn = uprn.lstrip("0") or "0"
    if uprn in seen:
        return None, "The same UPRN appears earlier in the file"
    if uprn in existing:
        return None, "This UPRN is already in the panel's address list"
    line_1 = values.get("line_1", "").strip()
    if not line_1:
        return None, "The first address line is empty"
    compact = re.sub(r"\s+", "", values.get("postcode", "").upper())
    match = POSTCODE_RE.match(compact)
    if not match:
        return None, "The postcode is not a UK postcode"
    postcode = f"{match.group(1)} {match.group(2)}"
    ward = matcher.ward_for(postcode)
    if ward is None:
        return None, "The postcode is not in any of the borough's wards"
    return {
        "uprn": uprn,
        "line_1": line_1[:200],
        "line_2": values.get("line_2", "").strip()[:200],
        "town": values.get("town", "").strip()[:100],
        "postcode": postcode,
        "ward": ward,
    }, None


def addresses_import(*, panel, user, data):
    """Import a CSV of addresses (bytes) into the panel's list; report the rows refused.

    A malformed file (not CSV, wrong columns, too large) imports nothing; a
    good file imports every good row and lists the others with the reason.
    """
    if not rules.is_panel_officer(user, panel):
        raise Refused("Only this panel's officers can import its addresses.")
    if InvitationDraw.objects.filter(panel=panel).exists():
        raise ValidationError(
            "The invitations have been drawn, so the address list can no longer change.",
            code="drawn",
        )
    header, rows = _rows(data)
    matcher = WardMatcher()
    existing = set(
        InvitationAddress.objects.filter(panel=panel).values_list("uprn", flat=True).iterator()
    )
    report, seen, good = ImportReport(), set(), []
    for number, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            report.refused.append((number, "", f"The row has {len(row)} cells, not {len(header)}"))
            continue
        values = dict(zip(header, row, strict=True))
        fields, reason = _check_row(values, seen=seen, existing=existing, matcher=matcher)
        if reason:
            report.refused.append((number, values.get("uprn", "").strip()[:20], reason))
            continue
        seen.add(fields["uprn"])
        good.append(InvitationAddress(panel=panel, **fields))
    with transaction.atomic():
        PanelPage.objects.select_for_update().filter(pk=panel.pk).first()
        if InvitationDraw.objects.filter(panel=panel).exists():
            raise ValidationError(
                "The invitations have been drawn, so the address list can no longer change.",
                code="drawn",
            )
        try:
            InvitationAddress.objects.bulk_create(good, batch_size=2000)
        except IntegrityError:
            raise ValidationError(
                "Another import of this list ran at the same time. Import the file again: "
                "addresses already imported are then listed as refused.",
                code="concurrent",
            ) from None
        log(
            instance=panel,
            action="panels.addresses_import",
            user=user,
            data={"imported": len(good), "refused": report.refused_count},
        )
    report.imported = len(good)
    return report


def addresses_clear(*, panel, user):
    """Remove the whole address list before the draw (to import a corrected one)."""
    if not rules.is_panel_officer(user, panel):
        raise Refused("Only this panel's officers can change its addresses.")
    with transaction.atomic():
        PanelPage.objects.select_for_update().filter(pk=panel.pk).first()
        if InvitationDraw.objects.filter(panel=panel).exists():
            raise ValidationError(
                "The invitations have been drawn, so the address list can no longer change.",
                code="drawn",
            )
        deleted, _ = InvitationAddress.objects.filter(panel=panel).delete()
        log(instance=panel, action="panels.addresses_clear", user=user, data={"deleted": deleted})
    return deleted


# ---------------------------------------------------------------- the invitation draw

# Short, unambiguous codes: no 0/O, 1/I/L. 8 symbols of 31 ≈ 39.6 bits.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8


def new_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(value):
    """What a person typed to the stored form: capitals, no spaces or hyphens."""
    return re.sub(r"[\s\-]", "", (value or "").upper())


def _largest_remainder(total, weights):
    """Split `total` in proportion to `weights` ({key: weight}) into whole numbers."""
    weight_sum = sum(weights.values())
    if not weight_sum or total <= 0:
        return dict.fromkeys(weights, 0)
    exact = {key: total * w / weight_sum for key, w in weights.items()}
    shares = {key: int(value) for key, value in exact.items()}
    left = total - sum(shares.values())
    order = sorted(weights, key=lambda key: (-(exact[key] - shares[key]), key))
    for key in order[:left]:
        shares[key] += 1
    return shares


def invitation_targets(*, size, populations, available, factors=None):
    """{ward: addresses to invite}: in proportion to population × factor, within what exists.

    A ward with fewer addresses than its share gets all of them, and the rest
    is shared among the other wards the same way.
    """
    factors = factors or {}
    size = min(size, sum(available.values()))
    targets, capped = {}, {}
    open_wards = {w for w, n in available.items() if n > 0 and populations.get(w, 0) > 0}
    while True:
        remaining = size - sum(capped.values())
        weights = {w: populations[w] * float(factors.get(w, 1.0)) for w in sorted(open_wards)}
        targets = _largest_remainder(remaining, weights)
        over = {w for w, n in targets.items() if n > available[w]}
        if not over:
            break
        for ward in over:
            capped[ward] = available[ward]
            open_wards.discard(ward)
    return {**dict.fromkeys(available, 0), **targets, **capped}


def invitation_sample(*, addresses_by_ward, targets, seed):
    """The sampled address ids: per ward in slug order, from ids in UPRN order. Reproducible."""
    rng = random.Random(seed)
    chosen = {}
    for ward in sorted(targets):
        pool = addresses_by_ward.get(ward, [])
        chosen[ward] = sorted(rng.sample(pool, targets[ward])) if targets[ward] else []
    return chosen


def _addresses_by_ward(panel):
    by_ward = {}
    rows = (
        InvitationAddress.objects.filter(panel=panel)
        .order_by("uprn", "pk")
        .values_list("pk", "ward__slug")
    )
    for pk, slug in rows.iterator(chunk_size=5000):
        by_ward.setdefault(slug, []).append(pk)
    return by_ward


def _check_factors(factors, wards):
    clean = {}
    for slug, value in (factors or {}).items():
        if slug not in wards:
            raise ValidationError({"oversampling": f"“{slug}” is not one of the wards."})
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValidationError(
                {"oversampling": f"The factor for {wards[slug].name} must be a number."}
            ) from None
        if not 0.1 <= number <= 5:
            raise ValidationError(
                {"oversampling": f"The factor for {wards[slug].name} must be from 0.1 to 5."}
            )
        if number != 1:
            clean[slug] = number
    return clean


def _unique_codes(count):
    codes = set()
    while len(codes) < count:
        batch = {new_code() for _ in range(count - len(codes))} - codes
        taken = set(Invitation.objects.filter(code__in=batch).values_list("code", flat=True))
        codes |= batch - taken
    return list(codes)


def _check_draw_request(*, panel, user, size, seed):
    if not rules.is_panel_officer(user, panel):
        raise Refused("Only this panel's officers can draw its invitations.")
    if not isinstance(size, int) or size < 1:
        raise ValidationError({"size": "Enter how many addresses to invite, 1 or more."})
    if seed is not None and not 0 < seed < 2**31:
        raise ValidationError(
            {"seed": "The seed must be a whole number between 1 and 2,147,483,647."}
        )


def _check_addresses(size, available):
    if not available:
        raise ValidationError("Import the addresses to invite before drawing.")
    if size > sum(available.values()):
        raise ValidationError(
            {"size": f"There are only {sum(available.values()):,} addresses in the list."}
        )


def _invitations_create(*, record, chosen, wards):
    """One invitation with its own code for each chosen address, in ward then UPRN order."""
    ids = [pk for slug in sorted(chosen) for pk in chosen[slug]]
    codes = _unique_codes(len(ids))
    ward_ids = {slug: wards[slug].pk for slug in wards}
    slug_of = {pk: slug for slug, pks in chosen.items() for pk in pks}
    Invitation.objects.bulk_create(
        (
            Invitation(
                draw=record,
                panel=record.panel,
                address_id=pk,
                ward_id=ward_ids[slug_of[pk]],
                code=code,
            )
            for pk, code in zip(ids, codes, strict=True)
        ),
        batch_size=2000,
    )


def invitations_draw(*, panel, user, size, factors=None, seed=None):
    """Draw the addresses to invite, once per panel, and give each its code."""
    _check_draw_request(panel=panel, user=user, size=size, seed=seed)
    wards = {w.slug: w for w in Ward.objects.all()}
    factors = _check_factors(factors, wards)
    seed = seed or secrets.randbelow(2**31 - 2) + 1
    with transaction.atomic():
        # One draw per panel: the panel's row lock orders two officers pressing at once.
        PanelPage.objects.select_for_update().filter(pk=panel.pk).first()
        if InvitationDraw.objects.filter(panel=panel).exists():
            raise ValidationError("The invitations for this panel have already been drawn.")
        by_ward = _addresses_by_ward(panel)
        available = {slug: len(ids) for slug, ids in by_ward.items()}
        _check_addresses(size, available)
        targets = invitation_targets(
            size=size,
            populations={slug: wards[slug].population for slug in available},
            available=available,
            factors=factors,
        )
        chosen = invitation_sample(addresses_by_ward=by_ward, targets=targets, seed=seed)
        record = InvitationDraw.objects.create(
            panel=panel,
            seed=seed,
            size=size,
            oversampling=factors,
            targets=targets,
            counts={slug: len(ids) for slug, ids in chosen.items()},
            address_count=sum(available.values()),
            created_by=user,
        )
        _invitations_create(record=record, chosen=chosen, wards=wards)
        log(
            instance=panel,
            action="panels.invitations_draw",
            user=user,
            data={"seed": seed, "size": size, "counts": record.counts},
        )
    return record


def invitations_reproduce(draw):
    """Whether re-running the draw from its seed gives the invitations on record."""
    if draw.addresses_purged_at is not None:
        return None
    by_ward = _addresses_by_ward(draw.panel)
    chosen = invitation_sample(addresses_by_ward=by_ward, targets=draw.targets, seed=draw.seed)
    again = {pk for pks in chosen.values() for pk in pks}
    recorded = set(draw.invitations.values_list("address_id", flat=True))
    return again == recorded


# ---------------------------------------------------------------- letters


def letters_request(*, panel, user, kind=PrintBatch.INVITATIONS, run=None):
    """Queue the letters, made by `letters_task` in the background: one print-ready PDF, or,
    when GOV.UK Notify is set up, invitation letters sent to it one PDF each (once)."""
    from .tasks import letters_task

    if not rules.is_panel_officer(user, panel):
        raise Refused("Only this panel's officers can make its letters.")
    if kind == PrintBatch.INVITATIONS and not InvitationDraw.objects.filter(panel=panel).exists():
        raise ValidationError("Draw the invitations before making the letters.")
    with transaction.atomic():
        PanelPage.objects.select_for_update().filter(pk=panel.pk).first()
        if PrintBatch.objects.filter(panel=panel, kind=kind, status=PrintBatch.QUEUED).exists():
            raise ValidationError("These letters are already being made. Wait a moment.")
        delivery = _letters_delivery(kind)
        if (
            delivery == PrintBatch.NOTIFY
            and PrintBatch.objects.filter(
                panel=panel, kind=kind, delivery=delivery, status=PrintBatch.READY
            ).exists()
        ):
            raise ValidationError("These letters have already been sent through GOV.UK Notify.")
        batch = PrintBatch.objects.create(
            panel=panel, kind=kind, run=run, created_by=user, delivery=delivery
        )
        transaction.on_commit(lambda: letters_task.enqueue(batch.pk))
    return batch


def _letters_delivery(kind):
    """Invitations go to Notify when it is set up (draw results, see `panels.notifications`)."""
    from coproduce.messaging import LETTER, can_send

    if kind == PrintBatch.INVITATIONS and can_send(LETTER):
        return PrintBatch.NOTIFY
    return PrintBatch.PRINT


def _letters_render(batch):
    """(pdf or None, letters): the print room's PDF, or each letter queued to GOV.UK Notify."""
    from .letters import invitation_letters_pdf, result_letters_pdf
    from .notifications import invitation_letters_send

    if batch.delivery == PrintBatch.NOTIFY:
        return None, invitation_letters_send(batch.panel)
    if batch.kind == PrintBatch.INVITATIONS:
        return invitation_letters_pdf(batch.panel)
    return result_letters_pdf(batch.run)


def letters_make(*, batch_id):
    """Make the PDF of a queued batch, or queue its letters to Notify (called by the task)."""
    batch = PrintBatch.objects.select_related("panel", "run").filter(pk=batch_id).first()
    if batch is None or batch.status != PrintBatch.QUEUED:
        return None
    try:
        pdf, letters = _letters_render(batch)
    except Exception as error:  # noqa: BLE001 - recorded on the batch, where officers see it
        PrintBatch.objects.filter(pk=batch.pk).update(
            status=PrintBatch.FAILED,
            error=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
        )
        batch.refresh_from_db()
        return batch
    PrintBatch.objects.filter(pk=batch.pk, status=PrintBatch.QUEUED).update(
        status=PrintBatch.READY, pdf=pdf, letters=letters, finished_at=timezone.now()
    )
    batch.refresh_from_db()
    return batch


# ---------------------------------------------------------------- retention


def retention_days():
    return getattr(settings, "PANELS_ADDRESS_RETENTION_DAYS", 90)


def panels_due_for_address_purge(now=None):
    """Panels drawn more than the retention period ago that still hold addresses."""
    cutoff = (now or timezone.now()) - timedelta(days=retention_days())
    drawn_before = LotteryRun.objects.filter(
        kind=LotteryRun.DRAW, status=LotteryRun.COMPLETED, finished_at__lt=cutoff
    ).values("panel_id")
    return PanelPage.objects.filter(pk__in=drawn_before).filter(
        pk__in=InvitationAddress.objects.values("panel_id")
    ) | PanelPage.objects.filter(pk__in=drawn_before).filter(
        pk__in=PrintBatch.objects.values("panel_id")
    )


@transaction.atomic
def addresses_purge(*, panel, now=None):
    """Delete a panel's addresses, its letter PDFs and the record of each letter sent (which
    names the address); keep the draw's record and counts."""
    from coproduce.messaging import LETTER
    from coproduce.models import OutboundMessage

    from .notifications import panel_scope

    deleted, _ = InvitationAddress.objects.filter(panel=panel).delete()
    PrintBatch.objects.filter(panel=panel).delete()
    OutboundMessage.objects.filter(scope=panel_scope(panel), channel=LETTER).delete()
    InvitationDraw.objects.filter(panel=panel, addresses_purged_at__isnull=True).update(
        addresses_purged_at=now or timezone.now()
    )
    log(instance=panel, action="panels.addresses_purge", data={"deleted": deleted})
    return deleted


def addresses_purge_due(now=None):
    """Purge every panel whose reserve period has ended; {panel title: addresses deleted}."""
    return {
        panel.title: addresses_purge(panel=panel, now=now)
        for panel in panels_due_for_address_purge(now).distinct().order_by("pk")
    }
