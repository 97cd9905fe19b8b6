"""Applications to a panel and the quotas the lottery must respect."""

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format

from commissioning.models import EngagementResponse
from panels.attributes import ATTRIBUTE_CHOICES, WARD, value_label

# Long enough for real needs, short enough that the field cannot be used to
# store documents (or fill the database).
ACCESS_NEEDS_MAX_LENGTH = 1000


def _when(moment, otherwise):
    return date_format(timezone.localtime(moment), "j F Y, H:i") if moment else otherwise


class ApplicationQuerySet(models.QuerySet):
    def members(self):
        """Selected and not withdrawn: the current panel."""
        return self.filter(status=Application.SELECTED)

    def in_pool(self):
        """Who a draw (first or replacement) can still pick."""
        return self.filter(status__in=[Application.APPLIED, Application.NOT_SELECTED])


class Application(EngagementResponse):
    """A resident's application to sit on a panel, with their answers for the lottery.

    Private: only the panel's officers see it (see `panels.rules`). One per
    email address per panel; web applications also carry the account.
    """

    engagement_field = "panel"

    ONLINE = "online"
    LETTER = "letter"
    PHONE = "phone"
    PAPER = "paper"
    CHANNELS = [
        (ONLINE, "Online application"),
        (LETTER, "Invitation letter, registered online"),
        (PHONE, "Invitation letter, registered by phone"),
        (PAPER, "Invitation letter, paper reply slip"),
    ]
    # Channels entered by an officer for the person.
    ASSISTED = (PHONE, PAPER)

    APPLIED = "applied"
    SELECTED = "selected"
    NOT_SELECTED = "not_selected"
    WITHDRAWN = "withdrawn"
    STATUSES = [
        (APPLIED, "Applied"),
        (SELECTED, "Selected"),
        (NOT_SELECTED, "Not selected"),
        (WITHDRAWN, "Withdrawn"),
    ]
    AVAILABILITY = [
        ("weekday_daytime", "Weekday daytime"),
        ("weekday_evening", "Weekday evenings"),
        ("weekend", "Weekends"),
    ]

    panel = models.ForeignKey(
        "panels.PanelPage", on_delete=models.CASCADE, related_name="applications"
    )
    name = models.CharField(max_length=120)
    # Optional for people invited by letter, who may register by phone or on paper.
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    # The lottery draws by ward, so a ward with applications cannot be deleted.
    ward = models.ForeignKey(
        "commissioning.Ward", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    age_band = models.CharField(max_length=20, blank=True)
    gender = models.CharField(max_length=20, blank=True)
    ethnicity = models.CharField(max_length=20, blank=True)
    disability = models.CharField(max_length=20, blank=True)
    service_user = models.CharField("Service user or carer", max_length=20, blank=True)
    availability = models.JSONField(default=list, blank=True)
    access_needs = models.TextField(blank=True, max_length=ACCESS_NEEDS_MAX_LENGTH)
    consent = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=STATUSES, default=APPLIED, db_index=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # How the application came in, finer than the spine's web and paper: the
    # lottery tells open applicants from invited households.
    channel = models.CharField(max_length=10, choices=CHANNELS, default=ONLINE, db_index=True)
    invitation = models.OneToOneField(
        "panels.Invitation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="application",
        help_text="The invitation letter this registration came from (one per household).",
    )

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "email"],
                condition=~models.Q(email=""),
                name="one_application_per_email",
            ),
            models.CheckConstraint(
                condition=models.Q(consent=True), name="application_needs_consent"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_status_display()})"

    # Labels for people (officers' admin views, exports): never the stored codes.
    def _answer_label(self, key):
        value = getattr(self, key)
        return value_label(key, value) if value else "Not asked"

    def get_age_band_display(self):
        return self._answer_label("age_band")

    def get_gender_display(self):
        return self._answer_label("gender")

    def get_ethnicity_display(self):
        return self._answer_label("ethnicity")

    def get_disability_display(self):
        return self._answer_label("disability")

    def get_service_user_display(self):
        return self._answer_label("service_user")

    def get_availability_display(self):
        chosen = set(self.availability or [])
        return ", ".join(label for value, label in self.AVAILABILITY if value in chosen) or (
            "Not given"
        )

    def get_confirmed_at_display(self):
        return _when(self.confirmed_at, "Not confirmed")

    def get_withdrawn_at_display(self):
        return _when(self.withdrawn_at, "Not withdrawn")

    def get_email_display(self):
        return self.email or "Not given"

    def get_entered_by_display(self):
        if self.entered_by_id is None:
            return "The applicant"
        return self.entered_by.get_full_name() or self.entered_by.email

    def get_consent_display(self):
        return "Yes" if self.consent else "No"

    def get_ward_display(self):
        return self.ward.name if self.ward_id else "Outside the borough or not given"

    def attribute_value(self, key):
        """The applicant's value for a stratification attribute, as the lottery sees it."""
        if key == WARD:
            return self.ward.slug if self.ward_id else "outside"
        return getattr(self, key) or "prefer-not"


class Quota(models.Model):
    """How many of the panel's seats one value of an attribute must have (min) or may have (max)."""

    panel = models.ForeignKey("panels.PanelPage", on_delete=models.CASCADE, related_name="quotas")
    attribute = models.CharField(max_length=20, choices=ATTRIBUTE_CHOICES)
    value = models.CharField(max_length=100)
    minimum = models.PositiveSmallIntegerField(default=0)
    maximum = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["attribute", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "attribute", "value"], name="one_quota_per_value"
            ),
            models.CheckConstraint(
                condition=models.Q(minimum__lte=models.F("maximum")), name="quota_min_le_max"
            ),
        ]

    def __str__(self):
        return f"{self.attribute}={self.value}: {self.minimum}–{self.maximum}"
