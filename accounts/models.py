"""Users: email is the login; a resident's ward and notification choices."""

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone

from coproduce.cache import PERMISSIONS_GENERATION_KEY, remembered


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

    # Permissions are asked on every page (the admin's user bar decides whether
    # to show itself), which costs two queries a request. They are remembered per
    # person until a permission, group or membership changes (a write to those
    # tables starts a new generation: coproduce.cache). Every authentication
    # backend here is Django's ModelBackend or allauth's subclass of it, whose
    # `has_perm` is "active, and the permission is among all permissions" — what
    # these methods answer from the remembered set (tests/coproduce/test_remembered.py
    # holds that every backend is one).
    def _permissions_remembered(self):
        return bool(settings.PAGE_CACHE_SECONDS) and self.pk is not None

    def get_all_permissions(self, obj=None):
        if obj is not None or not self._permissions_remembered():
            return super().get_all_permissions(obj)
        if not hasattr(self, "_remembered_permissions"):
            key = f"permissions:{self.pk}:{self.is_active:d}:{self.is_superuser:d}"
            read = super().get_all_permissions
            self._remembered_permissions = remembered(PERMISSIONS_GENERATION_KEY, key, read)
        return self._remembered_permissions

    def has_perm(self, perm, obj=None):
        if obj is not None or not self._permissions_remembered():
            return super().has_perm(perm, obj)
        return self.is_active and (self.is_superuser or perm in self.get_all_permissions())

    def has_module_perms(self, app_label):
        if not self._permissions_remembered():
            return super().has_module_perms(app_label)
        labels = {perm.split(".", 1)[0] for perm in self.get_all_permissions()}
        return self.is_active and (self.is_superuser or app_label in labels)

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
