"""Site-wide editorial pages and settings, and the outbox of messages to people.

Pages here are editorial content with a URL; everything residents submit
lives in plain models in the engagement apps. `OutboundMessage` is the record
every app's emails, text messages and letters share (see `coproduce.messaging`).
"""

from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from .blocks import BodyBlock, LinkBlock
from .shared import SharedForSignedInMixin


class BasePage(Page):
    """Shared by every page: an optional lead paragraph shown under the title."""

    introduction = models.TextField(blank=True, help_text="One or two sentences under the title.")

    search_fields = [*Page.search_fields, index.SearchField("introduction")]

    class Meta:
        abstract = True

    def get_view_restrictions(self):
        # Checked on every request: from the remembered list of restricted sections.
        from .restrictions import page_view_restrictions

        return page_view_restrictions(self, super().get_view_restrictions)


class HomePage(SharedForSignedInMixin, BasePage):
    """The borough's front door: what is open now and the featured programmes.

    The "take part now" slot lists the engagements closing soonest; it is
    filled by the commissioning spine's selectors.
    """

    template = "pages/home_page.html"
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    hero_heading = models.CharField(max_length=120, default="Shape the services you use")
    body = StreamField(BodyBlock(), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("hero_heading"),
        FieldPanel("introduction"),
        InlinePanel("featured", label="Featured pages", max_num=6),
        FieldPanel("body"),
    ]
    search_fields = [*BasePage.search_fields, index.SearchField("body")]

    def route(self, request, path_components):
        # The site's root: every path of the site is routed from here.
        if not path_components:
            return super().route(request, path_components)
        from .cache import route_cached

        return route_cached(self, request, path_components, super().route)

    def get_context(self, request, *args, **kwargs):
        from .selectors import home_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(home_page_context(page=self, request=request))
        return context


class HomePageFeatured(Orderable):
    home = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured")
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    summary = models.CharField(
        max_length=240, blank=True, help_text="Defaults to the page's introduction."
    )

    panels = [FieldPanel("page"), FieldPanel("summary")]


class StandardPage(SharedForSignedInMixin, BasePage):
    """Any editorial page: guidance, the accessibility statement, the privacy notice."""

    template = "pages/standard_page.html"
    body = StreamField(BodyBlock(), blank=True)
    show_contents = models.BooleanField(
        default=False, help_text="List the page's headings at the top (useful for long pages)."
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("introduction"),
        FieldPanel("body"),
        FieldPanel("show_contents"),
    ]
    search_fields = [*BasePage.search_fields, index.SearchField("body")]

    def contents(self):
        """The h2 headings of rich-text blocks, for a contents list."""
        import re

        from django.utils.text import slugify

        headings = []
        for block in self.body:
            if block.block_type == "text":
                for match in re.finditer(r"<h2[^>]*>(.*?)</h2>", str(block.value.source)):
                    text = re.sub(r"<[^>]+>", "", match.group(1))
                    headings.append({"text": text, "anchor": slugify(text)})
        return headings


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """The council's name, the service's name and the phase banner."""

    PHASES = [("", "No banner"), ("alpha", "Alpha"), ("beta", "Beta")]

    council_name = models.CharField(max_length=120, default="Kelderby Borough Council")
    service_name = models.CharField(max_length=80, default="Coproduce Kelderby")
    phase = models.CharField(max_length=10, choices=PHASES, blank=True, default="beta")
    phase_message = models.CharField(max_length=200, blank=True, default="This is a new service.")
    feedback_email = models.EmailField(blank=True)

    panels = [
        FieldPanel("council_name"),
        FieldPanel("service_name"),
        MultiFieldPanel(
            [FieldPanel("phase"), FieldPanel("phase_message"), FieldPanel("feedback_email")],
            heading="Phase banner",
        ),
    ]


@register_setting(icon="list-ul")
class NavigationSettings(BaseSiteSetting):
    """The links in the header's service navigation."""

    links = StreamField([("link", LinkBlock())], blank=True)

    panels = [FieldPanel("links")]


@register_setting(icon="list-ul")
class FooterSettings(BaseSiteSetting):
    """Footer links (accessibility statement, privacy notice) and the contact line."""

    links = StreamField([("link", LinkBlock())], blank=True)
    contact = models.TextField(blank=True)

    panels = [FieldPanel("links"), FieldPanel("contact")]


class OutboundMessageQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=OutboundMessage.PENDING)

    def failed(self):
        return self.filter(status__in=(OutboundMessage.FAILED, OutboundMessage.NO_ROUTE))


class OutboundMessage(models.Model):
    """One email, text message or letter owed to one person, and what became of it.

    A plain record written by `coproduce.messaging`: the apps say what to send
    and to whom, the task worker sends it through GOV.UK Notify or the local
    route and records the outcome, so officers can see what went out and what
    failed, and a failure is retried instead of lost. `key` names what the
    message is about (no personal data: it is Notify's `reference` too) and
    makes queueing the same message twice a no-op. A letter's PDF is dropped
    once it is sent.
    """

    EMAIL = "email"
    SMS = "sms"
    LETTER = "letter"
    CHANNELS = [(EMAIL, "Email"), (SMS, "Text message"), (LETTER, "Letter")]

    NOTIFY = "notify"
    LOCAL = "local"
    ROUTES = [(NOTIFY, "GOV.UK Notify"), (LOCAL, "Council email server")]

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    NO_ROUTE = "no_route"
    STATUSES = [
        (PENDING, "Waiting to be sent"),
        (SENT, "Sent"),
        (FAILED, "Failed"),
        (NO_ROUTE, "Not sent: no service for this channel"),
    ]

    key = models.CharField(max_length=200, unique=True)
    scope = models.CharField(
        max_length=100, db_index=True, help_text="What it belongs to, e.g. “panels.panel:12”."
    )
    channel = models.CharField(max_length=10, choices=CHANNELS)
    route = models.CharField(max_length=10, choices=ROUTES, blank=True)
    recipient = models.CharField(
        max_length=320, help_text="Email address, phone number, or the letter's address."
    )
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    status = models.CharField(max_length=10, choices=STATUSES, default=PENDING, db_index=True)
    provider_reference = models.CharField(max_length=100, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    # Set while a worker sends it: the conditional update that sets it is what
    # stops two workers sending the same message. A stale claim (a worker that
    # died mid-send) expires.
    claimed_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = OutboundMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_channel_display()} {self.key}"
