"""The civic lottery's first stage: addresses, the invitation sample, letters.

Plain models, not pages or snippets: addresses are personal data imported by
officers, the draw is a record like `LotteryRun`, and an invitation is what a
household receives by post (its code is how it registers, without an account).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class InvitationAddress(models.Model):
    """One address a panel may invite, from the officer's import.

    Personal data (an address identifies a household): purged by
    `purge_invitation_addresses` once the panel is drawn and its reserve
    period has ended. The ward comes from the wards' postcode prefixes.
    """

    panel = models.ForeignKey(
        "panels.PanelPage", on_delete=models.CASCADE, related_name="invitation_addresses"
    )
    uprn = models.CharField("UPRN", max_length=12)
    line_1 = models.CharField(max_length=200)
    line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=8)
    ward = models.ForeignKey(
        "commissioning.Ward", on_delete=models.PROTECT, related_name="+", db_index=True
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["panel", "uprn", "pk"]
        verbose_name_plural = "invitation addresses"
        constraints = [
            models.UniqueConstraint(fields=["panel", "uprn"], name="one_address_per_uprn")
        ]

    def __str__(self):
        return f"{self.line_1}, {self.postcode}"

    @property
    def lines(self):
        return [line for line in (self.line_1, self.line_2, self.town, self.postcode) if line]


class InvitationDraw(models.Model):
    """The stratified random sample of addresses a panel invites: once per panel.

    Recorded like the panel lottery (seed, size, per-ward weights, targets
    and counts, who ran it and when) so that anyone can re-run it from the
    seed and the address list and get the same sample.
    """

    panel = models.OneToOneField(
        "panels.PanelPage", on_delete=models.CASCADE, related_name="invitation_draw"
    )
    seed = models.PositiveIntegerField()
    size = models.PositiveIntegerField(help_text="How many addresses were to be invited.")
    oversampling = models.JSONField(
        default=dict, blank=True, help_text="{ward slug: factor} for under-represented wards."
    )
    targets = models.JSONField(default=dict, help_text="{ward slug: addresses to invite}.")
    counts = models.JSONField(default=dict, help_text="{ward slug: addresses invited}.")
    address_count = models.PositiveIntegerField(help_text="Addresses in the list at the time.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Set when the addresses are purged: the draw's record stays, the sample cannot be re-run.
    addresses_purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Invitations for panel {self.panel_id} (seed {self.seed})"

    @property
    def invited(self):
        return sum(self.counts.values())


class Invitation(models.Model):
    """A letter to one household, with the code it registers with (one registration per code)."""

    draw = models.ForeignKey(InvitationDraw, on_delete=models.CASCADE, related_name="invitations")
    panel = models.ForeignKey("panels.PanelPage", on_delete=models.CASCADE, related_name="+")
    # Kept when the address is purged, for the response figures by ward.
    address = models.OneToOneField(
        InvitationAddress,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitation",
    )
    ward = models.ForeignKey("commissioning.Ward", on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=8, unique=True)

    class Meta:
        ordering = ["draw", "pk"]

    def __str__(self):
        return f"Invitation {self.display_code}"

    @property
    def display_code(self):
        return f"{self.code[:4]}-{self.code[4:]}"


class PrintBatch(models.Model):
    """A print-ready PDF of letters (invitations, or draw results), made in the background.

    Kept in the database rather than media storage: the letters hold names,
    addresses and codes, and media files are served publicly. Downloaded by
    the panel's officers only, and purged with the addresses.

    When the council uses GOV.UK Notify (`delivery` NOTIFY), the batch makes
    a PDF per letter and queues each to Notify instead (`coproduce.messaging`
    records each one); the batch then holds no PDF.
    """

    INVITATIONS = "invitations"
    RESULTS = "results"
    KINDS = [(INVITATIONS, "Invitation letters"), (RESULTS, "Draw result letters")]

    QUEUED = "queued"
    READY = "ready"
    FAILED = "failed"
    STATUSES = [(QUEUED, "Being made"), (READY, "Ready"), (FAILED, "Failed")]

    PRINT = "print"
    NOTIFY = "notify"
    DELIVERIES = [(PRINT, "One PDF for the print room"), (NOTIFY, "Each letter to GOV.UK Notify")]

    panel = models.ForeignKey(
        "panels.PanelPage", on_delete=models.CASCADE, related_name="print_batches"
    )
    kind = models.CharField(max_length=20, choices=KINDS)
    run = models.ForeignKey(
        "panels.LotteryRun", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(max_length=10, choices=STATUSES, default=QUEUED)
    delivery = models.CharField(max_length=10, choices=DELIVERIES, default=PRINT)
    letters = models.PositiveIntegerField(default=0)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "print batches"

    def __str__(self):
        return f"{self.get_kind_display()} for panel {self.panel_id}"

    @property
    def filename(self):
        return f"panel-{self.panel_id}-{self.kind}-{self.pk}.pdf"
