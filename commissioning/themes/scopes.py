"""What a theme set covers: one engagement, or every engagement of a programme stage."""

from django.urls import reverse

from commissioning.models import EngagementPage

from .sources import TextItem, engagement_texts, text_source_models


def themed_engagements():
    """Engagement pages whose kind registers a text source."""
    from django.contrib.contenttypes.models import ContentType

    models = text_source_models()
    if not models:
        return EngagementPage.objects.none()
    types = ContentType.objects.get_for_models(*models, for_concrete_models=False).values()
    return EngagementPage.objects.filter(content_type__in=types)


class EngagementScope:
    def __init__(self, theme_set):
        self.engagement = theme_set.engagement

    @property
    def title(self):
        return self.engagement.title

    @property
    def description(self):
        return self.engagement.kind

    @property
    def slug(self):
        return self.engagement.slug

    def url(self):
        return reverse("themes_engagement", args=[self.engagement.pk])

    def items(self):
        return engagement_texts(self.engagement)


class StageScope:
    def __init__(self, theme_set):
        self.programme = theme_set.programme
        self.stage = theme_set.stage
        self.stage_label = theme_set.stage_label

    @property
    def title(self):
        return f"{self.programme.title}: {self.stage_label}"

    @property
    def description(self):
        return "Every engagement of this stage"

    @property
    def slug(self):
        return f"{self.programme.slug}-{self.stage}"

    def url(self):
        return reverse("themes_stage", args=[self.programme.pk, self.stage])

    def engagements(self):
        return (
            themed_engagements()
            .child_of(self.programme)
            .filter(stage=self.stage)
            .order_by("opens_at", "pk")
        )

    def items(self):
        items = []
        for engagement in self.engagements():
            items += [
                TextItem(
                    key=item.key,
                    text=item.text,
                    context=f"{engagement.title}: {item.context}"
                    if item.context
                    else engagement.title,
                )
                for item in engagement_texts(engagement)
            ]
        return sorted(items, key=lambda item: item.key)


def scope_for(theme_set):
    return EngagementScope(theme_set) if theme_set.engagement_id else StageScope(theme_set)
