"""The one way a service says no.

Every service refuses with `Refused` (or one of its kinds below) when a
person may not do something, or may not do it now. It is a
`ValidationError`, so a view adds it to its form with
`coproduce.forms.add_service_errors` (beside the field it names, else at the
top) and the Wagtail admin shows it the same way: a refusal is never a 403
page or a 500.
"""

from django.core.exceptions import ValidationError


class Refused(ValidationError):
    """This person may not do this (permissions, membership, ownership, state)."""

    def __init__(self, message, code="forbidden", params=None):
        super().__init__(message, code=code, params=params)


class EngagementNotOpen(Refused):
    """A response was offered to an engagement that is not open."""


class NotEligible(Refused):
    """The person may not take part in this engagement (audience rules)."""
