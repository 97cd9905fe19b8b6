"""Decisions: how a stage of a programme ends, answering what people said.

A decision is a page (it is published, has a URL and is linked from the
programme). Its "you said, we did" items are an orderable list on the page,
with a real foreign key to the engagement each answers, so "my participation"
and the programme page can find them in one query.

`DecisionNotification` is a plain record: one address told of one decision.
The unique constraint is what makes "never twice" hold; the email itself is
its message in the outbox (`coproduce.messaging`), which sends it once,
retries it and records what happened.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable
from wagtail.search import index

from commissioning.admin_forms import DecisionPageAdminForm
from commissioning.stages import STAGE_LABELS, STAGES
from coproduce.messaging import MessageLink
from coproduce.models import BasePage
from coproduce.shared import SharedForSignedInMixin


class DecisionPage(SharedForSignedInMixin, BasePage):
    """The formal decision that closes a stage of a programme."""

    template = "commissioning/decision_page.html"
    base_form_class = DecisionPageAdminForm
    parent_page_types = ["commissioning.ProgrammePage"]
    subpage_types = []

    stage = models.CharField(
        max_length=10, choices=STAGES, help_text="The stage of the cycle this decision closes."
    )
    decision_maker = models.CharField(
        max_length=200, help_text="Who decided, e.g. “Cabinet Member for Adult Social Care”."
    )
    decided_on = models.DateField("date of the decision")
    record_url = models.URLField(
        "formal decision record",
        blank=True,
        help_text="The address of the decision notice or minutes on the council's website.",
    )
    summary = RichTextField(features=["bold", "italic", "link", "ol", "ul"], blank=True)

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("introduction"),
        MultiFieldPanel(
            [
                FieldPanel("stage"),
                FieldPanel("decision_maker"),
                FieldPanel("decided_on"),
                FieldPanel("record_url"),
            ],
            heading="The formal decision",
        ),
        FieldPanel("summary"),
        InlinePanel("items", label="You said, we did", heading="You said, we did"),
    ]
    search_fields = [*BasePage.search_fields, index.SearchField("summary")]

    class Meta:
        verbose_name = "decision"

    @property
    def stage_label(self):
        return STAGE_LABELS.get(self.stage, self.stage)

    def get_context(self, request, *args, **kwargs):
        from commissioning.selectors import decision_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(decision_page_context(decision=self, request=request))
        return context


class DecisionItem(Orderable):
    """One "you said, we did": a theme or proposal, what people said, what was decided, why."""

    decision = ParentalKey(DecisionPage, on_delete=models.CASCADE, related_name="items")
    theme = models.CharField("theme or proposal", max_length=200)
    people_said = models.TextField("what people said")
    engagement = models.ForeignKey(
        "commissioning.EngagementPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The engagement where people said it.",
    )
    decided = models.TextField("what was decided")
    reason = models.TextField("why")

    panels = [
        FieldPanel("theme"),
        FieldPanel("people_said"),
        FieldPanel("engagement"),
        FieldPanel("decided"),
        FieldPanel("reason"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "you said, we did"
        verbose_name_plural = "you said, we did"

    def __str__(self):
        return self.theme


class DecisionNotification(MessageLink):
    """One address told of one decision: who it was (for their data), and the email.

    The email itself, and whether it has gone, is its `message` in the outbox
    (`coproduce.messaging`), which sends it once and records failures. An
    address has one of these per decision, so it is told once.
    """

    decision = models.ForeignKey(
        DecisionPage, on_delete=models.CASCADE, related_name="notifications"
    )
    email = models.EmailField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decision_notifications",
    )
    created_at = models.DateTimeField(default=timezone.now)

    message_key_prefix = "commissioning.decision-notification"

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "email"], name="one_notification_per_address_per_decision"
            )
        ]

    def __str__(self):
        return f"{self.email} about {self.decision_id}"
