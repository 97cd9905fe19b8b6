"""The options appraisal: options, weighted criteria, members' scores, the recommendation."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

MIN_SCORE = 0
MAX_SCORE = 5
RATIONALE_MAX_LENGTH = 2000
# About ten pages of plain text: room for a full recommendation with its reasons.
RECOMMENDATION_MAX_LENGTH = 20000


class Option(models.Model):
    """A way of running the service (in-house, outsource, staff mutual …)."""

    panel = models.ForeignKey("panels.PanelPage", on_delete=models.CASCADE, related_name="options")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "title"], name="unique_option_title_per_panel"
            )
        ]

    def __str__(self):
        return self.title


class Criterion(models.Model):
    """What options are judged on, with how much it counts."""

    panel = models.ForeignKey(
        "panels.PanelPage", on_delete=models.CASCADE, related_name="criteria"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    weight = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="How much this criterion counts relative to the others.",
    )
    social_value = models.ForeignKey(
        "commissioning.SocialValueCriterion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The social value criterion this stands for, if any.",
    )
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name_plural = "criteria"
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "title"], name="unique_criterion_title_per_panel"
            ),
            models.CheckConstraint(
                condition=models.Q(weight__gt=0), name="criterion_weight_positive"
            ),
        ]

    def __str__(self):
        return self.title


class Score(models.Model):
    """One member's score for one option on one criterion."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="panel_scores"
    )
    option = models.ForeignKey(Option, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(MIN_SCORE), MaxValueValidator(MAX_SCORE)]
    )
    rationale = models.TextField(blank=True, max_length=RATIONALE_MAX_LENGTH)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "option", "criterion"],
                name="one_score_per_member_option_criterion",
            ),
            models.CheckConstraint(
                condition=models.Q(value__gte=MIN_SCORE, value__lte=MAX_SCORE),
                name="score_between_0_and_5",
            ),
        ]

    def __str__(self):
        return f"{self.value} for option {self.option_id} on criterion {self.criterion_id}"


class Recommendation(models.Model):
    """What the panel recommends, written by members and published on the panel page."""

    panel = models.OneToOneField(
        "panels.PanelPage", on_delete=models.CASCADE, related_name="recommendation"
    )
    text = models.TextField(max_length=RECOMMENDATION_MAX_LENGTH)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    def __str__(self):
        return f"Recommendation of panel {self.panel_id}"
