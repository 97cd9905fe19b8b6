"""What officers publish back to residents: "what we heard" and who took part.

`HeardSummary` is a plain record (officers' working output, not editorial
content in the page tree): a snapshot, taken when an officer publishes it, of
the closed engagement's figures, charts and officer-approved themes with
masked quotes. The public page shows the snapshot, so residents read exactly
what was approved, and the page reads one row whatever the number of
responses.

`DemographicProfile` is what a resident chose to tell the council about
themselves for reach reports: given once, with explicit consent, deleted when
consent is withdrawn or the account is deleted.
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from commissioning.demographics import PREFER_NOT_TO_SAY, PROFILE_ATTRIBUTES


class HeardSummaryQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)


class HeardSummary(models.Model):
    """The "what we heard" of one engagement, shown on its page once published."""

    engagement = models.OneToOneField(
        "commissioning.EngagementPage", on_delete=models.CASCADE, related_name="heard_summary"
    )
    content = models.JSONField(
        default=dict,
        encoder=DjangoJSONEncoder,
        help_text="Figures, charts and approved themes, as published.",
    )
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    unpublished_at = models.DateTimeField(null=True, blank=True)
    unpublished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = HeardSummaryQuerySet.as_manager()

    class Meta:
        verbose_name = "what we heard"
        verbose_name_plural = "what we heard"

    def __str__(self):
        return f"What we heard: {self.engagement}"

    @property
    def is_published(self):
        return self.published_at is not None


def _choices(attribute):
    return [*PROFILE_ATTRIBUTES[attribute][1], PREFER_NOT_TO_SAY]


class DemographicProfile(models.Model):
    """A resident's own answers about themselves, for reach reports only.

    Never linked to what they said: reach counts people who took part by
    group, and consultation equality monitoring stays separate from answers.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="demographic_profile"
    )
    consented_at = models.DateTimeField(default=timezone.now)
    age_band = models.CharField(max_length=12, blank=True, choices=_choices("age_band"))
    gender = models.CharField(max_length=12, blank=True, choices=_choices("gender"))
    ethnicity = models.CharField(max_length=12, blank=True, choices=_choices("ethnicity"))
    disability = models.CharField(max_length=12, blank=True, choices=_choices("disability"))
    carer = models.CharField(max_length=12, blank=True, choices=_choices("carer"))

    class Meta:
        verbose_name = "demographic profile"

    def __str__(self):
        return f"Demographic profile of {self.user_id}"
