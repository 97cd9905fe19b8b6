"""Themes officers keep, the machine's suggestions, and where each response went.

Plain models: these are working records of officers, not editorial content.
A `ThemeSet` belongs to one engagement or to one stage of a programme. Its
`Theme`s are the officers' own (named, merged, split, added by them); the
machine's `Suggestion`s are replaced by every proposal run, the officers'
themes and `Correction`s never are. `Assignment`s are rebuilt by every
mapping; each holds a masked copy of the text so quotes and exports need no
call to the engagement apps.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from commissioning.stages import STAGE_LABELS, STAGES


class ThemeSet(models.Model):
    IDLE = "idle"
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    STATUSES = [
        (IDLE, "Not run yet"),
        (QUEUED, "Waiting to start"),
        (RUNNING, "Suggesting themes"),
        (DONE, "Suggestions ready"),
        (FAILED, "Failed"),
    ]
    ACTIVE = (QUEUED, RUNNING)

    engagement = models.OneToOneField(
        "commissioning.EngagementPage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="theme_set",
    )
    programme = models.ForeignKey(
        "commissioning.ProgrammePage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="theme_sets",
    )
    stage = models.CharField(max_length=10, choices=STAGES, blank=True)
    seed = models.PositiveIntegerField(
        default=1, help_text="Proposals from the same responses and seed are the same."
    )
    requested_count = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=STATUSES, default=IDLE)
    progress = models.PositiveSmallIntegerField(default=0)
    progress_message = models.CharField(max_length=120, blank=True)
    error = models.TextField(blank=True)
    proposed_at = models.DateTimeField(null=True, blank=True)
    mapped_at = models.DateTimeField(null=True, blank=True)
    method = models.CharField(max_length=60, blank=True, help_text="How responses were compared.")
    source_fingerprint = models.CharField(max_length=64, blank=True)
    themes_changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "stage"],
                condition=models.Q(programme__isnull=False),
                name="themes_one_set_per_programme_stage",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(engagement__isnull=False, programme__isnull=True, stage="")
                    | models.Q(engagement__isnull=True, programme__isnull=False)
                    & ~models.Q(stage="")
                ),
                name="themes_set_is_engagement_or_stage",
            ),
        ]
        verbose_name = "theme set"

    def __str__(self):
        if self.engagement_id:
            return f"Themes of {self.engagement}"
        return f"Themes of {self.programme} · {self.stage_label}"

    @property
    def stage_label(self):
        return STAGE_LABELS.get(self.stage, "")

    @property
    def is_running(self):
        return self.status in self.ACTIVE

    @property
    def mapping_is_current(self):
        return self.mapped_at is not None and self.mapped_at >= self.themes_changed_at


class Theme(models.Model):
    """An officer's theme: what is shown, exported and kept."""

    theme_set = models.ForeignKey(ThemeSet, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(max_length=80)
    words = models.CharField(
        "describing words",
        max_length=400,
        blank=True,
        help_text="A few words residents might use about it, separated by commas.",
    )
    key_terms = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                "theme_set", Lower("name"), name="themes_unique_theme_name_per_set"
            )
        ]

    def __str__(self):
        return self.name


class Suggestion(models.Model):
    """A candidate theme from the latest proposal run."""

    theme_set = models.ForeignKey(ThemeSet, on_delete=models.CASCADE, related_name="suggestions")
    position = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=200)
    key_terms = models.JSONField(default=list)
    quotes = models.JSONField(default=list, help_text="Representative responses, masked.")
    size = models.PositiveIntegerField(help_text="Responses like these, campaigns in full.")
    used = models.BooleanField(default=False)
    dismissed = models.BooleanField(default=False)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.label


class Campaign(models.Model):
    """One text sent many times with small changes: counted in full, shown once."""

    theme_set = models.ForeignKey(ThemeSet, on_delete=models.CASCADE, related_name="campaigns")
    text = models.TextField(help_text="The most common wording, masked.")
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["-size", "pk"]

    def __str__(self):
        return f"{self.size} × {self.text[:60]}"


class AssignmentQuerySet(models.QuerySet):
    def low_confidence(self):
        return self.filter(low_confidence=True, corrected=False)

    def other(self):
        return self.filter(theme__isnull=True)


class Assignment(models.Model):
    """Where the latest mapping put one response."""

    theme_set = models.ForeignKey(ThemeSet, on_delete=models.CASCADE, related_name="assignments")
    source_key = models.CharField(max_length=120)
    context = models.CharField(max_length=255, blank=True)
    text = models.TextField(help_text="Masked: no email addresses or phone numbers.")
    theme = models.ForeignKey(
        Theme, null=True, blank=True, on_delete=models.SET_NULL, related_name="assignments"
    )
    similarity = models.FloatField(default=0.0)
    confidence = models.FloatField(default=0.0)
    low_confidence = models.BooleanField(default=False)
    corrected = models.BooleanField(default=False)
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="assignments"
    )

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["theme_set", "source_key"], name="themes_one_assignment_per_response"
            )
        ]
        indexes = [
            models.Index(fields=["theme_set", "theme"]),
            models.Index(fields=["theme_set", "low_confidence", "corrected"]),
        ]

    def __str__(self):
        return f"{self.source_key} → {self.theme or 'Other'}"

    @property
    def theme_label(self):
        return self.theme.name if self.theme_id else "Other"


class Correction(models.Model):
    """An officer put a response in a theme (or in "other"): kept across every run."""

    theme_set = models.ForeignKey(ThemeSet, on_delete=models.CASCADE, related_name="corrections")
    source_key = models.CharField(max_length=120)
    theme = models.ForeignKey(
        Theme, null=True, blank=True, on_delete=models.CASCADE, related_name="corrections"
    )
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["theme_set", "source_key"], name="themes_one_correction_per_response"
            )
        ]

    def __str__(self):
        return f"{self.source_key} → {self.theme or 'Other'}"
