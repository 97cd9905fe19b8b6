"""Results of a closed engagement, computed once and kept.

Counting 100,000 responses again on every visit to a closed engagement's
results is wasted work: once it has closed, its responses hardly change.
Hardly: an officer may still key in a late paper form or remove a response.
So the figures are kept with a fingerprint of the responses they were
computed from (given by the app: how many, the last change) and the version
of the code that computed them, and a read that finds either different
computes them again (`commissioning.stored.stored_result`).
"""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone


class StoredResult(models.Model):
    """One engagement's computed figures of one kind (e.g. "budget.tallies")."""

    engagement = models.ForeignKey(
        "commissioning.EngagementPage", on_delete=models.CASCADE, related_name="stored_results"
    )
    name = models.CharField(max_length=60)
    version = models.PositiveIntegerField(help_text="Version of the code that computed it.")
    fingerprint = models.CharField(
        max_length=200, help_text="The state of the responses it was computed from."
    )
    payload = models.JSONField(encoder=DjangoJSONEncoder)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "name"], name="commissioning_one_stored_result_per_name"
            )
        ]
        verbose_name = "stored result"

    def __str__(self):
        return f"{self.name} of {self.engagement_id}"
