"""Users: email is the login; a resident's ward and notification choices."""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account: resident, group member, officer or editor.

    Roles are Django groups (see accounts.roles); nothing here says which.
    """

    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(
        max_length=80,
        blank=True,
        help_text="The name shown beside anything you post. Leave empty to post as “Resident”.",
    )
    # Wagtail's user admin expects these two.
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    ward = models.ForeignKey(
        "commissioning.Ward",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="residents",
    )
    notify_decisions = models.BooleanField(
        "Tell me about decisions on things I took part in", default=True
    )
    notify_new_engagements = models.BooleanField(
        "Tell me when something new opens in my ward", default=False
    )
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        ordering = ["email"]

    def __str__(self):
        return self.public_name

    @property
    def public_name(self):
        return self.display_name or "Resident"

    def get_full_name(self):
        return self.display_name or " ".join(filter(None, [self.first_name, self.last_name]))

    def get_short_name(self):
        return self.display_name or self.first_name or self.email


class EngagementDigestEntry(models.Model):
    """That a person was told about an engagement in the weekly digest.

    One row per person per engagement, ever (the unique constraint): the
    digest lists only engagements without a row, so nobody hears about the
    same one twice, even when two digest runs overlap.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="engagement_digest_entries"
    )
    engagement = models.ForeignKey(
        "commissioning.EngagementPage", on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "engagement"], name="one_digest_entry_per_user_per_engagement"
            )
        ]
        verbose_name_plural = "engagement digest entries"

    def __str__(self):
        return f"{self.engagement_id} to {self.user_id}"
