"""Budget conversations.

The conversation is a page (editorial content with a URL, under a programme).
Its proposals and simulator lines are the conversation's editorial
configuration, so they are Orderables edited with the page (InlinePanel) and
kept in its revisions. What residents say — responses, answers, allocations,
comments and flags — is citizen data: plain models, never in the page tree.

All amounts are whole pounds.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable

from commissioning.models import EngagementPage, EngagementResponse

from .admin_forms import BudgetConversationAdminForm
from .masking import mask_contact_details


class HttpsURLField(models.URLField):
    """A URL field whose form assumes https:// when the scheme is left out."""

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})


def pounds(value):
    """£1,250,000; −£300,000 for negatives."""
    if value is None:
        return ""
    value = int(value)
    sign = "−" if value < 0 else ""
    return f"{sign}£{abs(value):,}"


class BudgetConversationPage(RoutablePageMixin, EngagementPage):
    """A budget conversation: the financial context, proposals and a simulator.

    Once a response exists, the simulator's lines, bounds and target are
    locked (see `BudgetConversationAdminForm`): changing them would make the
    responses already given incomparable with the new ones.
    """

    SAVINGS = "savings"
    CEILING = "ceiling"
    TARGET_KINDS = [
        (SAVINGS, "Savings to find: choices must save at least the target"),
        (CEILING, "A total not to exceed: spending less extra income at most the target"),
    ]

    kind_label = "Budget conversation"
    template = "budget/budget_conversation_page.html"
    base_form_class = BudgetConversationAdminForm

    financial_context = RichTextField(
        blank=True,
        features=["h2", "h3", "bold", "italic", "link", "ol", "ul", "document-link"],
        help_text="Where the money comes from and why there is a gap, in plain words.",
    )
    net_budget = models.PositiveBigIntegerField(
        "net revenue budget (£)", default=0, help_text="This year's net budget, in whole pounds."
    )
    gap = models.PositiveBigIntegerField(
        "gap to close (£)", default=0, help_text="The savings needed next year, in whole pounds."
    )
    simulator_introduction = models.TextField(
        blank=True, help_text="What residents are asked to do in the simulator."
    )
    target_kind = models.CharField(max_length=10, choices=TARGET_KINDS, default=SAVINGS)
    target_amount = models.BigIntegerField(
        "target (£)",
        default=0,
        help_text="The savings to find, or the total not to exceed, in whole pounds.",
    )

    content_panels = [
        *EngagementPage.content_panels,
        MultiFieldPanel(
            [FieldPanel("net_budget"), FieldPanel("gap"), FieldPanel("financial_context")],
            heading="Financial context",
        ),
        InlinePanel("proposals", heading="Proposals", label="Proposal"),
        MultiFieldPanel(
            [
                FieldPanel("simulator_introduction"),
                FieldPanel("target_kind"),
                FieldPanel("target_amount"),
            ],
            heading="Simulator target",
            help_text="Locked once anyone has responded.",
        ),
        InlinePanel("lines", heading="Simulator lines", label="Line"),
    ]

    class Meta:
        verbose_name = "budget conversation"

    # Routes: the page itself (GET shows, POST responds), results, flags,
    # and the officer-only paper entry and downloads.
    @path("")
    def index_route(self, request):
        from . import views

        return views.conversation(request, self)

    @path("results/")
    def results_route(self, request):
        from . import views

        return views.results(request, self)

    @path("comments/<int:comment_id>/flag/")
    def flag_route(self, request, comment_id):
        from . import views

        return views.flag(request, self, comment_id)

    @path("paper/")
    def paper_route(self, request):
        from . import views

        return views.paper(request, self)

    @path("export/<str:dataset>/<str:fmt>/")
    def export_route(self, request, dataset, fmt):
        from . import views

        return views.export(request, self, dataset, fmt)

    @property
    def is_savings_target(self):
        return self.target_kind == self.SAVINGS


class Proposal(Orderable):
    """One of the council's own savings or growth proposals."""

    page = ParentalKey(BudgetConversationPage, on_delete=models.CASCADE, related_name="proposals")
    reference = models.CharField(
        max_length=20, help_text="The council's reference, e.g. “ASC-03”."
    )
    title = models.CharField(max_length=200)
    service_area = models.CharField(max_length=100, help_text="e.g. “Adult social care”.")
    current_budget = models.BigIntegerField("current budget (£)", default=0)
    change = models.BigIntegerField(
        "proposed change (£)",
        help_text="Negative for a saving, positive for growth, in whole pounds.",
    )
    rationale = models.TextField()
    who_is_affected = models.TextField(blank=True)
    equality_impact = models.TextField(
        blank=True, help_text="The summary of the equality impact assessment."
    )
    document = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="e.g. the full equality impact assessment.",
    )
    link_url = HttpsURLField("link to further documents", blank=True)
    link_text = models.CharField(max_length=120, blank=True)

    panels = [
        FieldPanel("reference"),
        FieldPanel("title"),
        FieldPanel("service_area"),
        FieldPanel("current_budget"),
        FieldPanel("change"),
        FieldPanel("rationale"),
        FieldPanel("who_is_affected"),
        FieldPanel("equality_impact"),
        FieldPanel("document"),
        FieldPanel("link_url"),
        FieldPanel("link_text"),
    ]

    class Meta(Orderable.Meta):
        # The pk breaks ties: proposals added in code have no sort order.
        ordering = ["sort_order", "pk"]
        verbose_name = "proposal"

    def __str__(self):
        return f"{self.reference} {self.title}"

    @property
    def change_display(self):
        if self.change < 0:
            return f"Saving of {pounds(-self.change)}"
        if self.change > 0:
            return f"Growth of {pounds(self.change)}"
        return "No change"


class SimulatorLine(Orderable):
    """A line of the budget residents can move between a minimum and a maximum.

    Spending lines save money when lowered; revenue lines (fees, council tax)
    save money when raised.
    """

    SPENDING = "spending"
    REVENUE = "revenue"
    KINDS = [(SPENDING, "Spending"), (REVENUE, "Income (fees, council tax)")]
    # The fields residents' answers depend on: locked once anyone responded.
    RULE_FIELDS = ("kind", "current", "minimum", "maximum", "step")

    page = ParentalKey(BudgetConversationPage, on_delete=models.CASCADE, related_name="lines")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=KINDS, default=SPENDING)
    unit = models.CharField(
        "what it means",
        max_length=200,
        blank=True,
        help_text="In plain words, e.g. “£50,000 = one mobile library day a week”.",
    )
    current = models.BigIntegerField("current amount (£)")
    minimum = models.BigIntegerField("minimum (£)")
    maximum = models.BigIntegerField("maximum (£)")
    step = models.PositiveIntegerField("step (£)", default=10_000)
    proposed = models.BigIntegerField(
        "council's proposal (£)", help_text="What the council proposes for this line."
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("kind"),
        FieldPanel("unit"),
        FieldPanel("current"),
        FieldPanel("minimum"),
        FieldPanel("maximum"),
        FieldPanel("step"),
        FieldPanel("proposed"),
    ]

    class Meta(Orderable.Meta):
        ordering = ["sort_order", "pk"]
        verbose_name = "simulator line"

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        errors = {}
        if None in (self.minimum, self.maximum, self.current, self.proposed, self.step):
            return
        if self.step <= 0:
            errors["step"] = "The step must be at least £1."
        if self.minimum < 0:
            errors["minimum"] = "The minimum cannot be negative."
        if self.maximum < self.minimum:
            errors["maximum"] = "The maximum must be at least the minimum."
        if not errors:
            for field in ("current", "proposed"):
                problem = self.problem_with(getattr(self, field))
                if problem:
                    errors[field] = problem
        if errors:
            raise ValidationError(errors)

    def problem_with(self, amount):
        """Why `amount` is not a valid choice for this line, or None."""
        if amount < self.minimum:
            return (
                f"{self.name}: {pounds(amount)} is below the minimum of {pounds(self.minimum)} "
                f"(by {pounds(self.minimum - amount)})."
            )
        if amount > self.maximum:
            return (
                f"{self.name}: {pounds(amount)} is above the maximum of {pounds(self.maximum)} "
                f"(by {pounds(amount - self.maximum)})."
            )
        offset = (amount - self.minimum) % self.step
        if offset:
            lower = amount - offset
            upper = min(lower + self.step, self.maximum)
            return (
                f"{self.name}: {pounds(amount)} is not one of the steps of {pounds(self.step)} "
                f"from {pounds(self.minimum)}. Choose {pounds(lower)} or {pounds(upper)}."
            )
        return None

    def saving(self, amount):
        """What choosing `amount` saves against the current amount (negative: costs)."""
        if self.kind == self.REVENUE:
            return amount - self.current
        return self.current - amount

    def rule_values(self):
        return tuple(getattr(self, f) for f in self.RULE_FIELDS)


class BudgetResponseQuerySet(models.QuerySet):
    def online(self):
        return self.filter(channel="web")


class BudgetResponse(EngagementResponse):
    """One person's response set to a conversation: stances and allocations.

    Comments, including the resident's alternative suggestion, are `Comment`s
    (moderated before anyone else sees them).

    One per signed-in person per conversation (a service rule and the
    constraint below). Paper responses are entered by an officer and have no
    user; their paper reference, when given, is unique in the conversation so
    a form cannot be keyed in twice.
    """

    engagement_field = "conversation"

    conversation = models.ForeignKey(
        BudgetConversationPage, on_delete=models.CASCADE, related_name="responses"
    )
    paper_reference = models.CharField(max_length=40, blank=True)
    wants_feedback = models.BooleanField("wants to hear the decision", default=False)

    objects = BudgetResponseQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "user"],
                condition=Q(user__isnull=False),
                name="budget_one_response_per_user",
            ),
            models.UniqueConstraint(
                fields=["conversation", "paper_reference"],
                condition=~Q(paper_reference=""),
                name="budget_unique_paper_reference",
            ),
        ]
        permissions = [
            ("export_budgetresponse", "Can download budget responses"),
            ("enter_paper_budgetresponse", "Can enter paper budget responses"),
        ]
        verbose_name = "budget response"

    def __str__(self):
        return f"Response {self.pk} to {self.conversation_id}"

    def get_wants_feedback_display(self):
        return "Yes" if self.wants_feedback else "No"

    @property
    def respondent_id(self):
        from .selectors import respondent_id

        return respondent_id(self.conversation_id, self.user_id, self.pk)


class ProposalAnswer(models.Model):
    SUPPORT = "support"
    OPPOSE = "oppose"
    UNSURE = "unsure"
    STANCES = [(SUPPORT, "Support"), (OPPOSE, "Oppose"), (UNSURE, "Unsure")]

    response = models.ForeignKey(BudgetResponse, on_delete=models.CASCADE, related_name="answers")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="answers")
    stance = models.CharField(max_length=10, choices=STANCES)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "proposal"], name="budget_one_answer_per_proposal"
            )
        ]
        indexes = [models.Index(fields=["proposal", "stance"])]

    def __str__(self):
        return f"{self.get_stance_display()} {self.proposal_id}"


class Allocation(models.Model):
    """The amount a resident chose for one simulator line."""

    response = models.ForeignKey(
        BudgetResponse, on_delete=models.CASCADE, related_name="allocations"
    )
    line = models.ForeignKey(SimulatorLine, on_delete=models.CASCADE, related_name="allocations")
    amount = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "line"], name="budget_one_amount_per_line")
        ]
        # Quantiles read each line's amounts in order.
        indexes = [models.Index(fields=["line", "amount"])]

    def __str__(self):
        return f"{pounds(self.amount)} on line {self.line_id}"


class CommentQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(status=Comment.APPROVED, hidden_by_flags=False)

    def awaiting_moderation(self):
        return self.filter(Q(status=Comment.PENDING) | Q(hidden_by_flags=True))

    def pending(self):
        return self.filter(status=Comment.PENDING)

    def hidden_by_reports(self):
        return self.filter(hidden_by_flags=True)

    def moderation_queue(self):
        """Comments needing a decision first (oldest waiting first), then the rest, newest first.

        Totally ordered, so pages of the listing never repeat or skip a comment.
        """
        waiting = Q(status=Comment.PENDING) | Q(hidden_by_flags=True)
        return self.annotate(
            needs_decision=Case(When(waiting, then=Value(0)), default=Value(1)),
            waiting_since=Case(When(waiting, then=F("created_at")), default=Value(None)),
            waiting_order=Case(When(waiting, then=F("pk")), default=Value(None)),
        ).order_by("needs_decision", "waiting_since", "waiting_order", "-created_at", "-pk")


class Comment(models.Model):
    """A resident's comment on a proposal, or (no proposal) their alternative suggestion.

    Shown publicly only once approved; hidden again when enough residents
    flag it, until an officer reviews it.
    """

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    STATUSES = [
        (PENDING, "Waiting for moderation"),
        (APPROVED, "Published"),
        (REJECTED, "Rejected"),
    ]
    # A resident's words, not content an editor places: untracked by
    # Wagtail's reference index, like the response it belongs to.
    wagtail_reference_index_ignore = True

    response = models.ForeignKey(BudgetResponse, on_delete=models.CASCADE, related_name="comments")
    conversation = models.ForeignKey(
        BudgetConversationPage, on_delete=models.CASCADE, related_name="comments"
    )
    proposal = models.ForeignKey(
        Proposal,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comments",
        help_text="Empty for a general comment or alternative suggestion.",
    )
    text = models.TextField()
    status = models.CharField(max_length=10, choices=STATUSES, default=PENDING, db_index=True)
    rejection_reason = models.TextField(
        blank=True, help_text="Shown to the author with their response."
    )
    hidden_by_flags = models.BooleanField(
        "hidden after residents' reports",
        default=False,
        help_text="Hidden after residents flagged it, until an officer reviews it.",
    )
    flags_reviewed_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "proposal"], name="budget_one_comment_per_proposal"
            ),
            models.UniqueConstraint(
                fields=["response"],
                condition=Q(proposal__isnull=True),
                name="budget_one_general_comment",
            ),
        ]
        indexes = [models.Index(fields=["conversation", "status", "hidden_by_flags"])]
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.text if len(self.text) <= 60 else self.text[:59].rstrip() + "…"

    @property
    def public_text(self):
        """The text as shown to the public and in exports: contact details masked."""
        return mask_contact_details(self.text)

    @property
    def about_label(self):
        return str(self.proposal) if self.proposal_id else "Alternative suggestion"

    def get_hidden_by_flags_display(self):
        return "Yes, until a moderator reviews it" if self.hidden_by_flags else "No"

    @property
    def state_label(self):
        """Where the comment stands, in the words officers chose from."""
        if self.hidden_by_flags:
            return "Hidden after residents reported it"
        return self.get_status_display()

    @property
    def author_name(self):
        user = self.response.user if self.response_id else None
        return user.public_name if user else "Resident"


class CommentFlag(models.Model):
    """A resident's report that a published comment breaks the house rules."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="flags")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="budget_one_flag_per_user")
        ]

    def __str__(self):
        return f"Flag on comment {self.comment_id}"
