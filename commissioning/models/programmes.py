"""Programmes: one outcome area being commissioned, with its cycle of stages."""

from django.db import models
from wagtail.admin.panels import FieldPanel

from coproduce.models import BasePage


class ProgrammeIndexPage(BasePage):
    """Lists the borough's commissioning programmes."""

    template = "commissioning/programme_index_page.html"
    parent_page_types = ["coproduce.HomePage"]
    subpage_types = ["commissioning.ProgrammePage"]
    max_count = 1

    content_panels = [*BasePage.content_panels, FieldPanel("introduction")]


class ProgrammePage(BasePage):
    """A commissioning programme: one outcome area, its stages and engagements."""

    template = "commissioning/programme_page.html"
    parent_page_types = ["commissioning.ProgrammeIndexPage"]
    # Engagement kinds add themselves by naming this page as their parent.
    subpage_types = None

    summary = models.TextField(blank=True)

    content_panels = [*BasePage.content_panels, FieldPanel("introduction"), FieldPanel("summary")]
