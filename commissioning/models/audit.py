"""The audit trail: Wagtail's own model log, read through a proxy that cannot write.

Entries are written once, by `commissioning.audit.audit_record` and the apps'
`wagtail.log_actions.log` calls, into Wagtail's `ModelLogEntry`. The trail is
that table without Wagtail's content actions (`wagtail.*`: page and snippet
edits, which Wagtail's own history reports show). Through this proxy nobody
can change or delete an entry; only the retention run removes entries past
their period, on the base model (`commissioning.audit.audit_entries_retain`).
"""

from django.db import models
from wagtail.models import ModelLogEntry
from wagtail.models.audit_log import LogEntryQuerySet

CONTENT_ACTIONS_PREFIX = "wagtail."


def _label(key):
    return str(key).replace("_", " ").capitalize()


def _words(value):
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dict):
        return ", ".join(f"{_label(k)} {_words(v)}" for k, v in sorted(value.items())) or "none"
    if isinstance(value, (list, tuple)):
        return ", ".join(_words(v) for v in value)
    return str(value)


class ReadOnlyError(Exception):
    """The audit trail is append-only: nothing may change or delete an entry."""


class AuditEntryQuerySet(LogEntryQuerySet):
    def update(self, **kwargs):
        raise ReadOnlyError("Audit entries cannot be changed.")

    def delete(self):
        raise ReadOnlyError("Audit entries cannot be deleted.")


class AuditEntryManager(models.Manager.from_queryset(AuditEntryQuerySet)):
    def get_queryset(self):
        return super().get_queryset().exclude(action__startswith=CONTENT_ACTIONS_PREFIX)


class AuditEntry(ModelLogEntry):
    """Who viewed, downloaded, moderated, drew a lottery or changed a role, and when."""

    objects = AuditEntryManager()

    class Meta:
        proxy = True
        default_permissions = ()
        permissions = [("view_audit_trail", "Can read and download the audit trail")]
        ordering = ["-timestamp", "-id"]
        verbose_name = "audit entry"
        verbose_name_plural = "audit entries"

    def save(self, *args, **kwargs):
        raise ReadOnlyError("Audit entries are written by audit_record, never edited.")

    @property
    def details(self):
        """What the entry's data says, in words: "Format: csv; Reason: duplicate".

        Keys in alphabetical order: PostgreSQL's jsonb does not keep the order written.
        """
        return "; ".join(
            f"{_label(key)}: {_words(value)}"
            for key, value in sorted((self.data or {}).items())
            if value not in (None, "", [], {})
        )

    def delete(self, *args, **kwargs):
        raise ReadOnlyError("Audit entries cannot be deleted.")
