"""The delivery arrangement a decision commissions: who delivers, how, for how much."""

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import RevisionMixin


class DeliveryArrangement(RevisionMixin, models.Model):
    """One service commissioned by a decision, with the social value promised for it.

    The option chosen in the panel's appraisal is kept as text (and a link to
    the recommendation), and the provider's asset-map entry as a URL, so
    delivery depends on neither panels nor the asset map.
    """

    IN_HOUSE = "in_house"
    CONTRACTED = "contracted"
    GRANT = "grant"
    MUTUAL = "mutual"
    COOPERATIVE = "cooperative"
    COMPANY = "company"
    DELIVERY_MODELS = [
        (IN_HOUSE, "In-house: run by the council"),
        (CONTRACTED, "Contracted to a provider"),
        (GRANT, "Grant to a voluntary or community organisation"),
        (MUTUAL, "Staff-led public service mutual"),
        (COOPERATIVE, "Co-operative or community benefit society"),
        (COMPANY, "Council-owned company"),
    ]
    CONTRACT = "contract"
    GRANT_AGREEMENT = "grant"
    SERVICE_AGREEMENT = "service"
    NO_AGREEMENT = "none"
    AGREEMENTS = [
        (CONTRACT, "Contract"),
        (GRANT_AGREEMENT, "Grant agreement"),
        (SERVICE_AGREEMENT, "Service agreement within the council"),
        (NO_AGREEMENT, "No formal agreement"),
    ]

    programme = models.ForeignKey(
        "commissioning.ProgrammePage", on_delete=models.CASCADE, related_name="+", editable=False
    )
    decision = models.ForeignKey(
        "commissioning.DecisionPage",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The published decision that commissions this service.",
    )
    service = models.CharField(
        "service commissioned", max_length=200, help_text="E.g. “Home library service”."
    )
    chosen_option = models.CharField(
        "option chosen",
        max_length=200,
        help_text="The option chosen in the appraisal, as the panel named it.",
    )
    appraisal_url = models.URLField(
        "appraisal or recommendation",
        blank=True,
        help_text="The address of the panel's recommendation or the options appraisal.",
    )
    delivery_model = models.CharField(max_length=20, choices=DELIVERY_MODELS)
    provider_name = models.CharField("provider", max_length=200)
    provider_url = models.URLField(
        "provider's entry on the asset map",
        blank=True,
        help_text="Optional: the address of the provider's page on the community asset map.",
    )
    agreement = models.CharField(max_length=10, choices=AGREEMENTS, default=CONTRACT)
    starts_on = models.DateField("agreement starts", null=True, blank=True)
    ends_on = models.DateField("agreement ends", null=True, blank=True)
    annual_value = models.PositiveBigIntegerField(
        "value (£ a year)", null=True, blank=True, help_text="In whole pounds a year."
    )
    social_value_promised = models.TextField(
        "social value promised",
        blank=True,
        help_text="What the provider promised beyond the service, in plain words.",
    )
    social_value_criteria = models.ManyToManyField(
        "commissioning.SocialValueCriterion", blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("decision"),
        FieldPanel("service"),
        MultiFieldPanel(
            [FieldPanel("chosen_option"), FieldPanel("appraisal_url")],
            heading="From the appraisal",
        ),
        MultiFieldPanel(
            [
                FieldPanel("delivery_model"),
                FieldPanel("provider_name"),
                FieldPanel("provider_url"),
            ],
            heading="Who delivers it",
        ),
        MultiFieldPanel(
            [
                FieldPanel("agreement"),
                FieldPanel("starts_on"),
                FieldPanel("ends_on"),
                FieldPanel("annual_value"),
            ],
            heading="Agreement",
        ),
        MultiFieldPanel(
            [FieldPanel("social_value_promised"), FieldPanel("social_value_criteria")],
            heading="Social value",
        ),
    ]

    class Meta:
        ordering = ["service", "pk"]
        verbose_name = "delivery arrangement"

    def __str__(self):
        return f"{self.service} ({self.provider_name})"

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The end date must be on or after the start date."})
