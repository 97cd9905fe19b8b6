"""The record of every draw: seed, algorithm, quotas, pool and probabilities."""

from django.conf import settings
from django.db import models
from django.utils import timezone

ALGORITHM_NAMES = {"maximin": "Maximin", "legacy": "Legacy"}


class LotteryRunQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=LotteryRun.ACTIVE)

    def draws_started(self):
        """The first draw, once it is queued, running or done: the pool is then frozen."""
        return self.filter(
            kind=LotteryRun.DRAW,
            status__in=[LotteryRun.QUEUED, LotteryRun.RUNNING, LotteryRun.COMPLETED],
        )


class LotteryRun(models.Model):
    """One draw for a panel (the first draw, or replacements for withdrawals).

    The seed is announced (and shown on the panel page) before the draw runs,
    so that anyone can check the draw was not re-run until it gave a chosen
    result. At most one run per panel is announced, queued or running at any
    time; the database enforces it.
    """

    DRAW = "draw"
    REPLACEMENT = "replacement"
    KINDS = [(DRAW, "Draw"), (REPLACEMENT, "Replacements")]

    ANNOUNCED = "announced"
    QUEUED = "queued"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"
    STATUSES = [
        (ANNOUNCED, "Seed announced"),
        (QUEUED, "Queued"),
        (RUNNING, "Running"),
        (COMPLETED, "Completed"),
        (FAILED, "Failed"),
        (CANCELLED, "Cancelled"),
    ]
    ACTIVE = [ANNOUNCED, QUEUED, RUNNING]

    panel = models.ForeignKey(
        "panels.PanelPage", on_delete=models.CASCADE, related_name="lottery_runs"
    )
    kind = models.CharField(max_length=20, choices=KINDS, default=DRAW)
    seats = models.PositiveSmallIntegerField(help_text="How many people this run selects.")
    seed = models.PositiveIntegerField()
    algorithm_requested = models.CharField(max_length=20)
    algorithm_used = models.CharField(max_length=20, blank=True)
    status = models.CharField(max_length=20, choices=STATUSES, default=ANNOUNCED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent.")
    progress_message = models.CharField(max_length=255, blank=True)
    quotas = models.JSONField(
        default=dict,
        blank=True,
        help_text="The quotas the run used: {attribute: {value: [min, max]}}.",
    )
    min_probability = models.FloatField(null=True, blank=True)
    error = models.TextField(blank=True)
    report = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    announced_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    objects = LotteryRunQuerySet.as_manager()

    class Meta:
        ordering = ["-announced_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["panel"],
                condition=models.Q(status__in=["announced", "queued", "running"]),
                name="one_active_lottery_run_per_panel",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for panel {self.panel_id} (seed {self.seed})"

    @property
    def is_active(self):
        return self.status in self.ACTIVE

    @property
    def algorithm_requested_label(self):
        return ALGORITHM_NAMES.get(self.algorithm_requested, self.algorithm_requested)

    @property
    def algorithm_used_label(self):
        return ALGORITHM_NAMES.get(self.algorithm_used, self.algorithm_used)


class LotteryEntry(models.Model):
    """One applicant in a run's pool: their answers then, their chance, and the result."""

    run = models.ForeignKey(LotteryRun, on_delete=models.CASCADE, related_name="entries")
    application = models.ForeignKey(
        "panels.Application", on_delete=models.CASCADE, related_name="lottery_entries"
    )
    attributes = models.JSONField(default=dict)
    probability = models.FloatField(null=True, blank=True)
    selected = models.BooleanField(default=False)

    class Meta:
        ordering = ["run", "application"]
        verbose_name_plural = "lottery entries"
        constraints = [
            models.UniqueConstraint(fields=["run", "application"], name="one_entry_per_run")
        ]

    def __str__(self):
        return f"Application {self.application_id} in run {self.run_id}"
