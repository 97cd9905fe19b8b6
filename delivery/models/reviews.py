"""Residents review a delivered service; an officer's review decision starts the next cycle.

The review is an engagement page under the programme (Review stage). Each
response scores the service against the programme's outcomes (1–5) and says
why: citizen data, so plain models. `ReviewDecision` is the officer's
answer — continue, change, re-commission or decommission — and the record of
the stages it added to the programme.
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField

from commissioning.models import EngagementPage
from commissioning.stages import REVIEW


class ServiceReviewPage(RoutablePageMixin, EngagementPage):
    """People who use a service (or anyone) score it against the programme's outcomes."""

    kind_label = "Service review"
    template = "delivery/service_review_page.html"

    arrangement = models.ForeignKey(
        "delivery.DeliveryArrangement",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="service reviewed",
        help_text="The delivered service people are asked about.",
    )
    users_only = models.BooleanField(
        "only people who use the service",
        default=True,
        help_text="Untick to let anyone review it, not only people who use it or care for "
        "someone who does.",
    )
    about = RichTextField(
        features=["bold", "italic", "link", "ol", "ul"],
        blank=True,
        help_text="What is being reviewed, and what happens with the answers.",
    )

    content_panels = [
        *EngagementPage.content_panels,
        MultiFieldPanel(
            [FieldPanel("arrangement"), FieldPanel("users_only"), FieldPanel("about")],
            heading="The service reviewed",
        ),
    ]

    class Meta:
        verbose_name = "service review"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.stage:
            self.stage = REVIEW

    @path("", name="start")
    def start_route(self, request):
        from delivery.views import review_page

        return review_page(request, self)


class ReviewResponse(models.Model):
    USES = "uses"
    CARER = "carer"
    WORKS = "works"
    OTHER = "other"
    RELATIONSHIPS = [
        (USES, "I use it"),
        (CARER, "I care for someone who uses it"),
        (WORKS, "I work or volunteer for it"),
        (OTHER, "None of these: I live in the borough"),
    ]
    USER_RELATIONSHIPS = {USES, CARER}

    review = models.ForeignKey(
        ServiceReviewPage, on_delete=models.CASCADE, related_name="review_responses"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    participation = models.ForeignKey(
        "commissioning.Participation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    relationship = models.CharField(max_length=10, choices=RELATIONSHIPS)
    comment = models.TextField("anything else", blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["review", "user"],
                condition=models.Q(user__isnull=False),
                name="one_review_response_per_user",
            )
        ]
        ordering = ["-created_at", "-pk"]
        verbose_name = "review response"

    def __str__(self):
        return f"Response {self.pk} to {self.review_id}"


class ReviewScore(models.Model):
    response = models.ForeignKey(ReviewResponse, on_delete=models.CASCADE, related_name="scores")
    review = models.ForeignKey(ServiceReviewPage, on_delete=models.CASCADE, related_name="+")
    outcome = models.ForeignKey(
        "commissioning.Outcome", on_delete=models.CASCADE, related_name="+"
    )
    score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    reason = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "outcome"], name="one_score_per_outcome_per_response"
            )
        ]

    def __str__(self):
        return f"{self.score} for {self.outcome_id}"


class ReviewDecision(models.Model):
    """What the council decided after reviewing a service; starts the next cycle."""

    CONTINUE = "continue"
    CHANGE = "change"
    RECOMMISSION = "recommission"
    DECOMMISSION = "decommission"
    OUTCOMES = [
        (CONTINUE, "Continue as it is"),
        (CHANGE, "Change it"),
        (RECOMMISSION, "Re-commission it"),
        (DECOMMISSION, "Decommission it"),
    ]

    programme = models.ForeignKey(
        "commissioning.ProgrammePage", on_delete=models.CASCADE, related_name="+", editable=False
    )
    review = models.OneToOneField(
        ServiceReviewPage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decision",
        help_text="The review engagement this decision answers.",
    )
    arrangement = models.ForeignKey(
        "delivery.DeliveryArrangement",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="review_decisions",
        verbose_name="service",
    )
    outcome = models.CharField("decision", max_length=15, choices=OUTCOMES)
    reason = models.TextField("why", help_text="Published on the programme page.")
    decided_on = models.DateField()
    next_cycle_starts_on = models.DateField(
        help_text="The first new stage starts on this date; the others follow it."
    )
    stages_added = models.JSONField(default=list, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = "review decision"

    def __str__(self):
        return f"{self.get_outcome_display()} ({self.decided_on:%-d %B %Y})"

    @property
    def next_stages(self):
        """The stages this decision added, with their dates as dates."""
        return [
            {
                "label": stage["label"],
                "starts_on": datetime.date.fromisoformat(stage["starts_on"]),
                "ends_on": datetime.date.fromisoformat(stage["ends_on"]),
            }
            for stage in self.stages_added
        ]
