"""The panel page: what the panel is for, who may apply, and what it recommends."""

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField

from commissioning.models import EngagementPage
from panels.admin_forms import PanelPageAdminForm
from panels.attributes import default_attributes


class PanelPage(RoutablePageMixin, EngagementPage):
    """A citizen commissioner panel. Its opening dates are the recruitment window.

    A page because it is public editorial content with a URL; applications,
    the draw and the scores are plain models pointing at it. The page's own
    sub-routes (apply, panel space, scoring) are served by `panels.views`.
    """

    MAXIMIN = "maximin"
    LEGACY = "legacy"
    ALGORITHMS = [
        (MAXIMIN, "Maximin: everyone's chance of selection as equal as the quotas allow"),
        (LEGACY, "Legacy: the Sortition Foundation's original greedy method (faster, less fair)"),
    ]

    kind_label = "Citizen commissioner panel"
    template = "panels/panel_page.html"
    base_form_class = PanelPageAdminForm
    parent_page_types = ["commissioning.ProgrammePage"]
    subpage_types = []

    purpose = RichTextField(
        features=["bold", "italic", "link", "ol", "ul"],
        help_text="What the panel is for and what it will decide or recommend.",
    )
    commitment = models.TextField(
        "What members commit to",
        help_text="Time, number of meetings, payment for time and expenses, support offered.",
    )
    meeting_schedule = models.TextField(
        blank=True, help_text="Planned meeting dates, before the meetings are set up."
    )
    eligibility = models.TextField(help_text="Who can apply.")
    payment = models.TextField(
        "Payment and expenses",
        blank=True,
        help_text="What members are paid for their time and which expenses are covered "
        "(printed on invitation letters).",
    )
    registration_phone = models.CharField(
        "Phone number for registering",
        max_length=30,
        blank=True,
        help_text="Printed on invitation letters, for people who register by phone.",
    )
    reply_address = models.TextField(
        "Address for paper reply slips",
        blank=True,
        help_text="Printed on invitation letters (a freepost address, for example).",
    )
    include_open_applicants = models.BooleanField(
        "Include open applications in the draw",
        default=True,
        help_text="When the panel recruits by letter, whether people who applied on the "
        "website without an invitation are also in the pool.",
    )
    seats = models.PositiveSmallIntegerField(
        default=12, validators=[MinValueValidator(2), MaxValueValidator(200)]
    )
    attributes = models.JSONField(
        "Stratify on",
        default=default_attributes,
        help_text="Applicants are asked these, and the lottery balances the panel on them.",
    )
    algorithm = models.CharField(max_length=10, choices=ALGORITHMS, default=MAXIMIN)
    # Set when an officer closes applications before `closes_at` (which then
    # moves to that moment): kept across revisions, see `with_content_json`.
    applications_closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    officers = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="officer_panels",
        limit_choices_to={"is_staff": True},
        help_text="Only these officers see the applications and run the lottery. "
        "Only people with the officer role can be chosen.",
    )

    content_panels = [
        *EngagementPage.content_panels,
        FieldPanel("purpose"),
        FieldPanel("commitment"),
        FieldPanel("meeting_schedule"),
        FieldPanel("eligibility"),
        MultiFieldPanel(
            [
                FieldPanel("payment"),
                FieldPanel("registration_phone"),
                FieldPanel("reply_address"),
                FieldPanel("include_open_applicants"),
            ],
            heading="Invitations by post",
        ),
        MultiFieldPanel(
            [
                FieldPanel("seats"),
                FieldPanel("attributes"),
                FieldPanel("algorithm"),
                FieldPanel("officers", widget=forms.CheckboxSelectMultiple),
            ],
            heading="Selection",
        ),
    ]

    class Meta:
        verbose_name = "citizen commissioner panel"

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        if not self.attributes:
            raise ValidationError({"attributes": "Choose at least one attribute to stratify on."})

    def with_content_json(self, content):
        """Publishing an older draft must not reopen applications an officer closed early."""
        page = super().with_content_json(content)
        page.applications_closed_at = self.applications_closed_at
        if self.applications_closed_at and page.closes_at > self.applications_closed_at:
            page.closes_at = self.applications_closed_at
        return page

    def get_context(self, request, *args, **kwargs):
        from panels.selectors import panel_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(panel_page_context(panel=self, user=request.user))
        return context

    @path("apply/", name="apply")
    def apply_view(self, request):
        from panels import views

        return views.apply(request, self)

    @path("space/", name="space")
    def space_view(self, request):
        from panels import views

        return views.space(request, self)

    @path("space/membership/", name="membership")
    def membership_view(self, request):
        from panels import views

        return views.membership(request, self)

    @path("space/meetings/<int:meeting_id>/", name="meeting")
    def meeting_view(self, request, meeting_id):
        from panels import views

        return views.meeting(request, self, meeting_id)

    @path("space/meetings/<int:meeting_id>/papers/<int:document_id>/", name="paper")
    def paper_view(self, request, meeting_id, document_id):
        from panels import views

        return views.paper(request, self, meeting_id, document_id)

    @path("space/score/<int:option_id>/", name="score")
    def score_view(self, request, option_id):
        from panels import views

        return views.score(request, self, option_id)

    @path("space/results/", name="results")
    def results_view(self, request):
        from panels import views

        return views.results(request, self)

    @path("space/recommendation/", name="recommendation")
    def recommendation_view(self, request):
        from panels import views

        return views.recommendation(request, self)
