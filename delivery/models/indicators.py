"""Indicators: how an outcome or a social value promise is measured, and its readings."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from wagtail.models import RevisionMixin


class Indicator(RevisionMixin, models.Model):
    """A measure of one outcome or one social value criterion of a commitment."""

    commitment = models.ForeignKey(
        "delivery.Commitment", on_delete=models.CASCADE, related_name="indicators"
    )
    reference = models.SlugField(
        max_length=60,
        unique=True,
        help_text="A short code officers use in reading imports, e.g. “home-library-visits”.",
    )
    outcome = models.ForeignKey(
        "commissioning.Outcome",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    social_value_criterion = models.ForeignKey(
        "commissioning.SocialValueCriterion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="social value criterion",
    )
    measure = models.CharField(max_length=200, help_text="What is counted, in plain words.")
    unit = models.CharField(
        max_length=40, help_text="E.g. “people”, “hours”, “%”, “£”.", default="people"
    )
    baseline = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    baseline_on = models.DateField("baseline date", null=True, blank=True)
    target = models.DecimalField(max_digits=14, decimal_places=2)
    target_on = models.DateField("target date", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["commitment", "measure", "pk"]

    def __str__(self):
        return self.measure

    def clean(self):
        super().clean()
        if not self.outcome_id and not self.social_value_criterion_id:
            raise ValidationError(
                "Say which outcome or social value criterion this indicator measures."
            )

    @property
    def measures(self):
        """What it measures: the outcome or the social value criterion (loaded)."""
        return self.outcome or self.social_value_criterion


class Reading(models.Model):
    """One dated value of an indicator, entered by an officer or imported."""

    OFFICER = "officer"
    IMPORT = "import"
    SOURCES = [(OFFICER, "Entered by an officer"), (IMPORT, "Imported from a file")]

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="readings")
    measured_on = models.DateField("date")
    value = models.DecimalField(max_digits=14, decimal_places=2)
    note = models.CharField(max_length=300, blank=True)
    source = models.CharField(max_length=10, choices=SOURCES, default=OFFICER)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["indicator", "measured_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "measured_on"], name="one_reading_per_indicator_per_date"
            )
        ]

    def __str__(self):
        return f"{self.indicator}: {self.value} on {self.measured_on:%-d %B %Y}"
