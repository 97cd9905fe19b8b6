"""Commitments: what the council said it would do, and what became of it.

A commitment comes from one "we did" item of a published decision. Its
status, progress and reasons change over time; every change is a
`CommitmentUpdate` (the public timeline) and a revision in Wagtail's history
(the record of who changed what). Both are written only by
`delivery.services`.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from wagtail.models import RevisionMixin

PLANNED = "planned"
IN_PROGRESS = "in_progress"
DONE = "done"
CHANGED = "changed"
DROPPED = "dropped"
STATUSES = [
    (PLANNED, "Planned"),
    (IN_PROGRESS, "In progress"),
    (DONE, "Done"),
    (CHANGED, "Changed"),
    (DROPPED, "Dropped"),
]
STATUS_LABELS = dict(STATUSES)
# A change or a drop must say why, in public.
NEEDS_REASON = {CHANGED, DROPPED}
STATUS_TAGS = {
    PLANNED: "govuk-tag--grey",
    IN_PROGRESS: "govuk-tag--blue",
    DONE: "govuk-tag--green",
    CHANGED: "govuk-tag--yellow",
    DROPPED: "govuk-tag--red",
}


class CommitmentQuerySet(models.QuerySet):
    def for_ward(self, ward):
        """Commitments reaching `ward`: named for it, or for a programme covering it
        (a commitment with no wards covers its programme's; a programme with no
        wards covers the whole borough)."""
        unnamed = models.Q(wards__isnull=True)
        return self.filter(
            models.Q(wards=ward)
            | (unnamed & models.Q(programme__wards=ward))
            | (unnamed & models.Q(programme__wards__isnull=True))
        ).distinct()

    def public(self):
        return self.filter(programme__live=True)


class Commitment(RevisionMixin, models.Model):
    programme = models.ForeignKey(
        "commissioning.ProgrammePage",
        on_delete=models.CASCADE,
        related_name="+",
        editable=False,
    )
    decision = models.ForeignKey(
        "commissioning.DecisionPage",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    decision_item = models.ForeignKey(
        "commissioning.DecisionItem",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="“we did” item",
        help_text="The item of a published decision this commitment delivers.",
    )
    arrangement = models.ForeignKey(
        "delivery.DeliveryArrangement",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="commitments",
        verbose_name="delivered through",
    )
    title = models.CharField("what we will do", max_length=250)
    description = models.TextField(blank=True)
    responsible = models.CharField(
        "who is responsible", max_length=200, help_text="A team, a role or a provider."
    )
    due_on = models.DateField("due by")
    status = models.CharField(max_length=12, choices=STATUSES, default=PLANNED)
    status_reason = models.TextField(
        "reason for the change",
        blank=True,
        help_text="Published. Needed when the commitment is changed or dropped.",
    )
    progress = models.PositiveSmallIntegerField(
        "progress (%)", default=0, validators=[MaxValueValidator(100)]
    )
    outcomes = models.ManyToManyField("commissioning.Outcome", blank=True, related_name="+")
    social_value_criteria = models.ManyToManyField(
        "commissioning.SocialValueCriterion", blank=True, related_name="+"
    )
    wards = models.ManyToManyField(
        "commissioning.Ward",
        blank=True,
        related_name="+",
        help_text="Leave empty when it covers the programme's whole area.",
    )
    status_changed_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self):
        return self.title

    @property
    def status_label(self):
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def status_tag(self):
        return STATUS_TAGS.get(self.status, "")

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        return self.status in (PLANNED, IN_PROGRESS) and self.due_on < today


class CommitmentUpdate(models.Model):
    """One dated entry on a commitment's public timeline."""

    CREATED = "created"
    STATUS = "status"
    PROGRESS = "progress"
    EDITED = "edited"
    KINDS = [
        (CREATED, "Committed"),
        (STATUS, "Status changed"),
        (PROGRESS, "Progress update"),
        (EDITED, "Details corrected"),
    ]

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="updates")
    happened_on = models.DateField("date")
    kind = models.CharField(max_length=10, choices=KINDS)
    status = models.CharField(max_length=12, choices=STATUSES)
    previous_status = models.CharField(max_length=12, choices=STATUSES, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)
    text = models.TextField("note or reason", blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["happened_on", "pk"]
        verbose_name = "commitment update"

    def __str__(self):
        return f"{self.get_kind_display()} on {self.happened_on:%-d %B %Y}"

    @property
    def status_label(self):
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def previous_status_label(self):
        return STATUS_LABELS.get(self.previous_status, "")

    @property
    def status_tag(self):
        return STATUS_TAGS.get(self.status, "")
