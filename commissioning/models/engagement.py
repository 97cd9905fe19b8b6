"""The engagement base page and the participation record.

Every kind of engagement (budget conversation, asset call, consultation,
panel) is a page under a programme that inherits `EngagementPage`. The base is
a concrete (multi-table) page so that "what is open now", a programme's
timeline and "my participation" are one query across every kind.

`Participation` is the spine's record that a person took part in an
engagement: the engagement apps keep their own response data and record a
participation through `commissioning.services.participation_record`, which is
what decisions notify and what reach reports count.

`EngagementResponse` is the abstract base of what a person submits to an
engagement (a budget response, a consultation response, a panel
application): who, through which channel, from which ward, entered by which
officer, and the participation it was recorded as.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet

from commissioning.stages import STAGES
from coproduce.models import BasePage


class EngagementQuerySet(PageQuerySet):
    def open(self, now=None):
        now = now or timezone.now()
        return self.filter(opens_at__lte=now, closes_at__gt=now)

    def upcoming(self, now=None):
        return self.filter(opens_at__gt=now or timezone.now())

    def closed(self, now=None):
        return self.filter(closes_at__lte=now or timezone.now())

    def closing_within(self, days, now=None):
        now = now or timezone.now()
        return self.open(now).filter(closes_at__lte=now + timedelta(days=days))


class EngagementPage(BasePage):
    """Base of every engagement page; never created on its own.

    Open and closed follow `opens_at`/`closes_at`, and the services that
    record responses enforce them (see `engagement_assert_open`).
    """

    ANYONE = "anyone"
    SIGNED_IN = "signed_in"
    BOROUGH = "borough"
    AUDIENCES = [
        (ANYONE, "Anyone"),
        (SIGNED_IN, "Signed-in residents"),
        (BOROUGH, "Signed-in residents of the borough's wards"),
    ]
    # Shown to residents ("Budget conversation", "Consultation", …).
    kind_label = "Engagement"

    stage = models.CharField(
        max_length=10, choices=STAGES, help_text="The stage of the cycle this serves."
    )
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    audience = models.CharField(max_length=10, choices=AUDIENCES, default=ANYONE)

    objects = PageManager.from_queryset(EngagementQuerySet)()

    is_creatable = False
    parent_page_types = ["commissioning.ProgrammePage"]
    subpage_types = []

    engagement_panels = [
        MultiFieldPanel(
            [
                FieldPanel("stage"),
                FieldPanel("opens_at"),
                FieldPanel("closes_at"),
                FieldPanel("audience"),
            ],
            heading="Stage, dates and who may take part",
        )
    ]
    content_panels = [*Page.content_panels, FieldPanel("introduction"), *engagement_panels]

    class Meta:
        verbose_name = "engagement"

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError(
                {"closes_at": "The closing date must be after the opening date."}
            )

    def state(self, now=None):
        now = now or timezone.now()
        if now < self.opens_at:
            return "upcoming"
        if now >= self.closes_at:
            return "closed"
        return "open"

    def is_open(self, now=None):
        return self.state(now) == "open"

    def subpage_url(self, name, *args, request=None, **kwargs):
        """The URL of one of the page's routes (`RoutablePageMixin` pages: results, apply, …).

        The page's own URL is worked out once per request: a budget page links
        to its routes twenty times.
        """
        return self.url_for(request) + self.reverse_subpage(name, args=args, kwargs=kwargs)

    def url_for(self, request):
        if request is None:
            return self.get_url()
        known = request.__dict__.setdefault("_coproduce_page_urls", {})
        if self.pk not in known:
            known[self.pk] = self.get_url(request=request)
        return known[self.pk]

    @property
    def kind(self):
        """The label of the specific kind, without loading the specific page."""
        model = self.specific_class or type(self)
        return getattr(model, "kind_label", "Engagement")


class ParticipationQuerySet(models.QuerySet):
    def wanting_feedback(self):
        return self.filter(wants_feedback=True)

    def for_stage(self, programme, stage):
        return self.filter(engagement__path__startswith=programme.path, engagement__stage=stage)


class Participation(models.Model):
    """That a person took part in an engagement (not what they said).

    One per person per engagement for signed-in people; anonymous responses
    have no user and may leave an email to hear back.
    """

    WEB = "web"
    PAPER = "paper"
    CHANNELS = [(WEB, "Online"), (PAPER, "Paper, entered by an officer")]

    engagement = models.ForeignKey(
        EngagementPage, on_delete=models.CASCADE, related_name="participations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participations",
    )
    email = models.EmailField(
        blank=True, help_text="For anonymous participants who asked to hear back."
    )
    ward = models.ForeignKey(
        "commissioning.Ward", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(max_length=10, choices=CHANNELS, default=WEB)
    wants_feedback = models.BooleanField(
        "Tell me what happens",
        default=False,
        help_text="Email this person when a decision answers this stage.",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ParticipationQuerySet.as_manager()

    # A record of taking part, written on every response: nothing in it is
    # content whose uses an editor needs to see, so Wagtail's reference index
    # (two queries and a task on every save) does not track it.
    wagtail_reference_index_ignore = True

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "user"],
                condition=models.Q(user__isnull=False),
                name="one_participation_per_user_per_engagement",
            )
        ]
        indexes = [models.Index(fields=["engagement", "created_at"])]

    def __str__(self):
        return f"{self.user or 'Anonymous'} in “{self.engagement.title}”"


class EngagementResponse(models.Model):
    """What one person submitted to an engagement; each app adds its own answers.

    Subclasses name their engagement foreign key in `engagement_field` (it is
    `conversation`, `consultation`, `panel`, …), declare "one per signed-in
    person" as a unique constraint on that field and `user`, and create rows
    through `commissioning.services.response_for_person`. Paper (and phone)
    responses have no user and name the officer who entered them.
    """

    WEB = Participation.WEB
    PAPER = Participation.PAPER
    CHANNELS = Participation.CHANNELS

    # What residents said, not content an editor places: untracked by
    # Wagtail's reference index, like Participation.
    wagtail_reference_index_ignore = True

    # The name of the subclass's foreign key to its engagement page.
    engagement_field = "engagement"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="%(app_label)s_%(class)ss",
    )
    participation = models.ForeignKey(
        Participation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The spine's record that this person took part.",
    )
    channel = models.CharField(max_length=10, choices=CHANNELS, default=WEB)
    ward = models.ForeignKey(
        "commissioning.Ward", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The officer who entered it for the person (paper or phone).",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    @property
    def engagement(self):
        return getattr(self, self.engagement_field)
