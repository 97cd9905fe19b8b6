"""Community assets, their photos and proposed edits awaiting moderation.

A published asset is never changed by its owners directly: an edit is held
as an `AssetRevision` until an officer approves it, so a rejected edit leaves
the public version untouched.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from taggit.managers import TaggableManager


class AssetQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Asset.PUBLISHED)

    def awaiting_moderation(self):
        return self.filter(status=Asset.PENDING)

    def mapped(self):
        return self.filter(latitude__isnull=False, longitude__isnull=False)

    def managed_by(self, user):
        """Assets the user submitted or that belong to one of the user's groups."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(submitted_by=user) | Q(group__memberships__user=user)).distinct()


class Asset(models.Model):
    """A strength of the borough: a space, group, organisation, service, skill or event."""

    SPACE = "space"
    GROUP = "group"
    ORGANISATION = "organisation"
    SERVICE = "service"
    SKILL = "skill"
    EVENT = "event"
    KINDS = [
        (SPACE, "Space or place"),
        (GROUP, "Community group"),
        (ORGANISATION, "Organisation"),
        (SERVICE, "Service"),
        (SKILL, "Skill or person"),
        (EVENT, "Event"),
    ]

    DRAFT = "draft"
    PENDING = "pending"
    PUBLISHED = "published"
    REJECTED = "rejected"
    ARCHIVED = "archived"
    STATUSES = [
        (DRAFT, "Draft"),
        (PENDING, "Awaiting moderation"),
        (PUBLISHED, "Published"),
        (REJECTED, "Not accepted"),
        (ARCHIVED, "Archived"),
    ]

    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=20, choices=KINDS)
    category = models.ForeignKey(
        "commissioning.AssetCategory", on_delete=models.PROTECT, related_name="assets"
    )
    description = models.TextField()
    address = models.CharField(max_length=255, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    ward = models.ForeignKey("commissioning.Ward", on_delete=models.PROTECT, related_name="assets")
    contact_name = models.CharField(max_length=120, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    website = models.URLField(blank=True)
    opening_times = models.TextField(blank=True)
    accessibility = models.TextField("accessibility notes", blank=True)
    tags = TaggableManager(blank=True, help_text="Words people might search for.")
    outcomes = models.ManyToManyField("commissioning.Outcome", blank=True, related_name="assets")
    group = models.ForeignKey(
        "assetmap.CommunityGroup",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assets",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submitted_assets",
    )
    # Which asset call (and so which programme and stage) it answered, if any.
    call = models.ForeignKey(
        "assetmap.AssetCallPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assets",
    )
    programme = models.ForeignKey(
        "commissioning.ProgrammePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    stage = models.CharField(max_length=10, blank=True)
    status = models.CharField(max_length=10, choices=STATUSES, default=PENDING, db_index=True)
    moderation_reason = models.TextField(
        blank=True, help_text="Shown to the submitter when the asset is not accepted."
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = AssetQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        permissions = [("moderate_asset", "Can approve or reject assets and edits")]
        indexes = [
            models.Index(fields=["status", "kind"]),
            models.Index(fields=["status", "ward", "category"]),
            models.Index(fields=["latitude", "longitude"]),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("assetmap:asset_detail", args=[self.pk])

    @property
    def is_published(self):
        return self.status == self.PUBLISHED

    @property
    def has_location(self):
        return self.latitude is not None and self.longitude is not None

    @property
    def is_on_map(self):
        return self.is_published and self.has_location

    @property
    def where_shown(self):
        """Where people will find it once published: only "the map" if it has coordinates."""
        return "on the map" if self.has_location else "in the list of community assets"


def photo_upload_to(instance, filename):
    # The name is ours, never the uploader's: it may carry personal data.
    return f"assets/photos/{timezone.now():%Y/%m}/{instance.token}.{instance.extension}"


class AssetPhoto(models.Model):
    """A photo, decoded, stripped of metadata and re-encoded on upload.

    A photo added with a pending edit belongs to that revision and is shown
    only once the edit is approved.
    """

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="photos")
    revision = models.ForeignKey(
        "assetmap.AssetRevision",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="photos",
    )
    image = models.FileField(upload_to=photo_upload_to)
    token = models.CharField(max_length=32, editable=False)
    extension = models.CharField(max_length=5, editable=False)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    alt_text = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.alt_text or f"Photo of {self.asset}"


class AssetRevisionQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=AssetRevision.PENDING)


class AssetRevision(models.Model):
    """Proposed changes to a published asset, waiting for an officer.

    `data` holds the proposed values of the editable fields (tags as a list of
    names, outcomes as a list of ids); approving copies them onto the asset.
    """

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    STATUSES = [
        (PENDING, "Awaiting moderation"),
        (APPROVED, "Approved"),
        (REJECTED, "Not accepted"),
    ]

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="revisions")
    data = models.JSONField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=STATUSES, default=PENDING, db_index=True)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = AssetRevisionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["asset"],
                condition=models.Q(status="pending"),
                name="one_pending_revision_per_asset",
            )
        ]

    def __str__(self):
        return f"Edit to {self.asset} ({self.get_status_display()})"
