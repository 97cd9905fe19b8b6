"""Consultations: the questionnaire is a page; what people answer is not.

`ConsultationPage` is editorial content with a URL, so it is a page (an
engagement under a programme). Responses, answers and equality monitoring
are citizen data, kept in plain models and shown in the admin through
viewsets, never in the page tree.
"""

import uuid
from functools import cached_property

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.blocks import StreamBlockValidationError
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from commissioning.models import EngagementPage, EngagementResponse

from .blocks import QuestionsBlock
from .questions import Questionnaire


class ConsultationPage(RoutablePageMixin, EngagementPage):
    """A questionnaire for any stage of the cycle.

    Questions are blocks of one StreamField; their block ids are the keys
    answers are stored under, which is why only safe edits (wording, hints,
    new questions or choices) are allowed once responses exist.
    """

    kind_label = "Consultation"
    template = "consultations/consultation_page.html"
    parent_page_types = ["commissioning.ProgrammePage"]
    subpage_types = []

    about = RichTextField(
        blank=True,
        features=["h2", "h3", "bold", "italic", "link", "ol", "ul"],
        help_text="What is being consulted on and how the answers will be used.",
    )
    questions = StreamField(QuestionsBlock(), blank=True)
    equality_monitoring = models.BooleanField(
        default=False,
        help_text="Ask optional equality monitoring questions (age, gender, ethnicity, "
        "disability, ward). They are stored apart from answers and only shown in aggregate.",
    )
    results_public = models.BooleanField(
        "Publish results after it closes",
        default=False,
        help_text="Show counts and charts to everyone once the consultation has closed.",
    )

    content_panels = [
        *EngagementPage.content_panels,
        FieldPanel("about"),
        FieldPanel("questions"),
        MultiFieldPanel(
            [FieldPanel("equality_monitoring"), FieldPanel("results_public")],
            heading="Equality monitoring and results",
        ),
    ]
    search_fields = [*EngagementPage.search_fields, index.SearchField("about")]

    class Meta:
        verbose_name = "consultation"

    @cached_property
    def questionnaire(self):
        return Questionnaire(self.questions)

    def clean(self):
        super().clean()
        self.__dict__.pop("questionnaire", None)
        if not self.pk:
            return
        if not Response.objects.filter(
            consultation_id=self.pk, status=Response.SUBMITTED
        ).exists():
            return
        # Answers refer to the live questionnaire (the one respondents saw).
        live = ConsultationPage.objects.filter(pk=self.pk).only("questions").first()
        if live is None:
            return
        problems = live.questionnaire.refused_changes(Questionnaire(self.questions))
        if problems:
            raise ValidationError(
                {"questions": StreamBlockValidationError(non_block_errors=problems)}
            )

    def results_visible_to_public(self, now=None):
        return self.results_public and self.state(now) == "closed"

    # Each route hands over to a thin view in views.py.

    @path("", name="start")
    def start_route(self, request):
        from . import views

        return views.start(request, self)

    @path("section/<int:number>/", name="section")
    def section_route(self, request, number):
        from . import views

        return views.section(request, self, number)

    @path("about-you/", name="equality")
    def equality_route(self, request):
        from . import views

        return views.equality(request, self)

    @path("check-your-answers/", name="check")
    def check_route(self, request):
        from . import views

        return views.check(request, self)

    @path("sent/", name="done")
    def done_route(self, request):
        from . import views

        return views.done(request, self)

    @path("results/", name="results")
    def results_route(self, request):
        from . import views

        return views.results(request, self)

    @path("results/answers/<str:question_id>/", name="text_answers")
    def text_answers_route(self, request, question_id):
        from . import views

        return views.text_answers(request, self, question_id)

    @path("results/download/<str:fmt>/", name="export")
    def export_route(self, request, fmt):
        from . import views

        return views.export(request, self, fmt)

    @path("paper/", name="paper")
    def paper_route(self, request):
        from . import views

        return views.paper(request, self)


class ResponseQuerySet(models.QuerySet):
    def submitted(self):
        return self.filter(status=Response.SUBMITTED)

    def drafts(self):
        return self.filter(status=Response.DRAFT)


class Response(EngagementResponse):
    """One person's response to a consultation (or a draft of it).

    Signed-in residents have at most one per consultation: the draft becomes
    the response on submission. A draft keeps its answers as JSON; answer
    rows exist only for submitted responses, so results never count drafts.
    """

    DRAFT = "draft"
    SUBMITTED = "submitted"
    STATUSES = [(DRAFT, "Draft"), (SUBMITTED, "Submitted")]

    engagement_field = "consultation"

    consultation = models.ForeignKey(
        ConsultationPage, on_delete=models.CASCADE, related_name="responses"
    )
    status = models.CharField(max_length=10, choices=STATUSES, default=DRAFT)
    draft = models.JSONField(default=dict, blank=True, help_text="Answers so far, while a draft.")
    structure_hash = models.CharField(max_length=40, blank=True)
    received_on = models.DateField(null=True, blank=True, help_text="For paper responses.")
    submitted_at = models.DateTimeField(null=True, blank=True, db_index=True)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "user"],
                condition=models.Q(user__isnull=False),
                name="one_consultation_response_per_user",
            )
        ]
        indexes = [models.Index(fields=["consultation", "status"])]
        permissions = [
            ("export_responses", "Can export consultation responses"),
            ("enter_paper_responses", "Can enter paper consultation responses"),
        ]

    def __str__(self):
        return f"Response {self.pk} to {self.consultation_id}"

    def answers_display(self):
        """Each question and this response's answer, for the admin's inspect view."""
        from django.utils.html import format_html, format_html_join

        rows = list(self.answers.values("question_id", "choice", "number", "text"))
        pairs = []
        for question in self.consultation.questionnaire.questions:
            mine = [r for r in rows if r["question_id"] == question.id]
            pairs.append(
                (
                    question.label,
                    question.display(question.value_from_rows(mine)) or "Not answered",
                )
            )
        return format_html(
            "<dl>{}</dl>", format_html_join("", "<dt><strong>{}</strong></dt><dd>{}</dd>", pairs)
        )

    answers_display.short_description = "Answers"


class Answer(models.Model):
    """One row per question answered (one per option for multiple choice and
    ranking), so counts and shares are a GROUP BY on (question_id, choice)."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    # Repeated from the response so results need no join.
    consultation = models.ForeignKey(ConsultationPage, on_delete=models.CASCADE, related_name="+")
    question_id = models.CharField(max_length=40)
    choice = models.CharField(max_length=40, blank=True)
    number = models.SmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["consultation", "question_id", "choice"])]

    def __str__(self):
        return f"{self.question_id}: {self.choice or self.text[:30]}"


EQUALITY_FIELDS = ("age_band", "gender", "ethnicity", "disability", "ward")


class EqualityAnswers(models.Model):
    """One person's equality monitoring answers: what both tables below hold.

    `month` is the first day of the month the response was made, never a
    finer date or time.
    """

    NOT_ANSWERED = ""
    PREFER_NOT = "prefer-not"
    OUTSIDE = "outside"

    age_band = models.CharField(max_length=20, blank=True)
    gender = models.CharField(max_length=20, blank=True)
    ethnicity = models.CharField(max_length=20, blank=True)
    disability = models.CharField(max_length=20, blank=True)
    ward = models.CharField(max_length=100, blank=True, help_text="A ward's slug.")
    month = models.DateField(
        null=True,
        blank=True,
        help_text="The first day of the month the response was made (empty for records "
        "kept before months were recorded).",
    )

    class Meta:
        abstract = True

    def answers(self):
        return {name: getattr(self, name) for name in (*EQUALITY_FIELDS, "month")}


class PendingEqualityAnswers(EqualityAnswers):
    """Equality answers waiting for their batch to be moved into `EqualityRecord`.

    A response and its equality answers are saved in one transaction (all or
    nothing), so until its batch is moved a pending row CAN be linked to the
    response that came with it: by its id and its place in the table, which
    follow the responses', and on PostgreSQL by the transaction that wrote
    both. `consultations.services.equality_records_release` moves pending rows
    in shuffled batches of at least `EQUALITY_BATCH` (the remainder when the
    consultation closes) and deletes them. Nothing but that service and the
    counts in `selectors` reads this table; the admin does not show it.
    """

    consultation = models.ForeignKey(ConsultationPage, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = "pending equality monitoring answers"
        verbose_name_plural = "pending equality monitoring answers"

    def __str__(self):
        return "Pending equality monitoring answers"


class EqualityRecord(EqualityAnswers):
    """Equality monitoring answers that cannot be tied back to a response.

    Nothing links a record to a response: no foreign key, a random primary
    key, only the month as a date, no default ordering, and records are
    written in shuffled batches of at least `EQUALITY_BATCH` in a transaction
    of their own (see `PendingEqualityAnswers`), so neither their ids, their
    order in the table, their dates nor the transaction that wrote them
    follow the order of the responses. They can only ever be counted (see
    selectors).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    consultation = models.ForeignKey(
        ConsultationPage, on_delete=models.CASCADE, related_name="equality_records"
    )

    class Meta:
        verbose_name = "equality monitoring record"

    def __str__(self):
        return "Equality monitoring record"
