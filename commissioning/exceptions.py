from django.core.exceptions import ValidationError


class EngagementNotOpen(ValidationError):
    """A response was offered to an engagement that is not open."""


class NotEligible(ValidationError):
    """The person may not take part in this engagement (audience rules)."""
