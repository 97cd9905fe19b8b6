"""Community groups: the people who keep a set of assets up to date."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class CommunityGroup(models.Model):
    """A residents' group, charity or club that owns assets on the map.

    A plain model, not a page: groups are created by officers (or, later, by
    residents) and their members edit the group's assets.
    """

    name = models.CharField(max_length=150, unique=True)
    slug = models.SlugField(max_length=150, unique=True)
    description = models.TextField(blank=True)
    website = models.URLField(blank=True)
    email = models.EmailField(blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="GroupMembership", related_name="community_groups"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class GroupMembership(models.Model):
    LEAD = "lead"
    MEMBER = "member"
    ROLES = [(LEAD, "Group lead"), (MEMBER, "Member")]

    group = models.ForeignKey(CommunityGroup, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_memberships"
    )
    role = models.CharField(max_length=10, choices=ROLES, default=MEMBER)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="one_membership_per_group")
        ]

    def __str__(self):
        return f"{self.user} in {self.group} ({self.get_role_display()})"
