"""The panel's meetings: members-only, with agendas, papers and minutes."""

from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable


class Meeting(ClusterableModel):
    panel = models.ForeignKey(
        "panels.PanelPage", on_delete=models.CASCADE, related_name="meetings"
    )
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    location = models.CharField(max_length=255, blank=True, help_text="Address of the venue.")
    online_url = models.URLField("Online meeting link", blank=True)
    agenda = models.TextField(blank=True)
    minutes = models.TextField(blank=True)

    panels = [
        FieldPanel("panel"),
        FieldPanel("title"),
        FieldPanel("starts_at"),
        FieldPanel("location"),
        FieldPanel("online_url"),
        FieldPanel("agenda"),
        InlinePanel("papers", label="Papers"),
        FieldPanel("minutes"),
    ]

    class Meta:
        ordering = ["starts_at"]

    def __str__(self):
        return self.title

    def clean(self):
        from django.core.exceptions import ValidationError

        if not self.location and not self.online_url:
            raise ValidationError("Give a place, an online link, or both.")


class MeetingPaper(Orderable):
    meeting = ParentalKey(Meeting, on_delete=models.CASCADE, related_name="papers")
    document = models.ForeignKey(
        "wagtaildocs.Document", on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("document")]

    def clean(self):
        # A paper outside the restricted collection would be public by its
        # direct /documents/ link, whatever the panel route checks.
        from django.core.exceptions import ValidationError

        from panels.services import PAPERS_COLLECTION

        if self.document_id and self.document.collection.name != PAPERS_COLLECTION:
            raise ValidationError(
                {
                    "document": f"Upload panel papers to the “{PAPERS_COLLECTION}” collection, "
                    "which only officers can open directly; members get them from the "
                    "panel space."
                }
            )
