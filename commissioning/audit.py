"""The audit trail's one way in: `audit_record(*, user, action, instance, data=None)`.

It writes to Wagtail's own action log (`ModelLogEntry`), where the apps'
moderation and lottery actions (`wagtail.log_actions.log`) already go, so one
report (`commissioning.admin_views.AuditTrailView`, "Reports → Audit trail")
reads them all. What it records, beyond those:

- `audit.view`: someone opened a list or a record of personal data
  (panel applications in the admin);
- `audit.export`: someone downloaded personal data (responses, the audit
  trail itself);
- `audit.moderate`: a moderation decision that has no action of its own
  (budget comments);
- `audit.verify`: someone re-ran a lottery draw to check it reproduces;
- `audit.role_add`, `audit.role_remove`: someone joined or left a role group
  (Officers, Editors, any group), from any screen: see `accounts.signals`;
- `audit.superuser`: an administrator gave or took away full access.

A list is not one record: its entry names the model, with `LIST_OBJECT_ID`
as the object, and the filters used in `data`.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.text import capfirst
from wagtail.log_actions import get_active_log_context
from wagtail.models import ModelLogEntry, Page

from .models.audit import CONTENT_ACTIONS_PREFIX

VIEW = "audit.view"
EXPORT = "audit.export"
MODERATE = "audit.moderate"
VERIFY = "audit.verify"
ROLE_ADD = "audit.role_add"
ROLE_REMOVE = "audit.role_remove"
SUPERUSER = "audit.superuser"

# action: (label in filters, message in the trail)
ACTIONS = {
    VIEW: ("View personal data", "Viewed"),
    EXPORT: ("Download personal data", "Downloaded"),
    MODERATE: ("Moderate", "Moderated"),
    VERIFY: ("Verify a lottery draw", "Checked the draw reproduces"),
    ROLE_ADD: ("Give a role", "Role given"),
    ROLE_REMOVE: ("Take a role away", "Role taken away"),
    SUPERUSER: ("Change full access", "Full administrator access changed"),
}

LIST_OBJECT_ID = "list"
# Query parameters of a listing that say nothing about what was looked at.
_NOT_FILTERS = {"p", "_"}


def audit_label(instance):
    """How an entry names its object: a page by title, a person by sign-in, else type and id.

    Records of residents (applications, comments) are named by id, not by
    what they hold, so the trail does not copy a name the record may lose.
    """
    if isinstance(instance, type):
        return f"{capfirst(instance._meta.verbose_name_plural)} (list)"
    if isinstance(instance, Page):
        return instance.title
    if isinstance(instance, AbstractBaseUser):
        return instance.get_username()
    return f"{capfirst(instance._meta.verbose_name)} {instance.pk}"


def audit_record(*, user, action, instance, data=None):
    """Append one entry to the audit trail. `instance` is a record, a page or a model (a list).

    `user` None means the person in Wagtail's log context (the admin sets it
    for each request), or the system.
    """
    context = get_active_log_context()
    is_list = isinstance(instance, type)
    return ModelLogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        object_id=LIST_OBJECT_ID if is_list else str(instance.pk),
        label=audit_label(instance),
        action=action,
        user=user or context.user,
        uuid=context.uuid,
        data=data or {},
        timestamp=timezone.now(),
    )


def listing_filters(request):
    """The filters and search of a listing request, as {name: value or [values]}."""
    filters = {}
    for key, values in request.GET.lists():
        values = [v for v in values if v]
        if key in _NOT_FILTERS or not values:
            continue
        filters[key] = values[0] if len(values) == 1 else values
    return filters


class AuditedViewMixin:
    """For a Wagtail viewset's index or inspect view of personal data.

    Each successful GET is one entry: the record opened, or the list (with
    its filters) looked at or downloaded as a spreadsheet.
    """

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if response.status_code == 200:
            self.audit(request)
        return response

    def audit(self, request):
        record = getattr(self, "object", None)
        if record is not None:
            audit_record(user=request.user, action=VIEW, instance=record)
            return
        data = {"filters": listing_filters(request)}
        action = VIEW
        if getattr(self, "is_export", False):
            action = EXPORT
            data["format"] = request.GET.get("export", "")
        audit_record(user=request.user, action=action, instance=self.model, data=data)


def audit_entries_retain(before):
    """Delete audit entries older than `before` (the base model: the proxy refuses)."""
    deleted, _ = (
        ModelLogEntry.objects.filter(timestamp__lt=before)
        .exclude(action__startswith=CONTENT_ACTIONS_PREFIX)
        .delete()
    )
    return deleted


def audit_entries_export(user):
    """A person's own actions in the trail (officers and editors: their part of a request)."""
    from .models import AuditEntry

    entries = AuditEntry.objects.filter(user=user).order_by("timestamp", "pk")
    return [
        {
            "action": entry.message,
            "about": entry.label,
            "at": entry.timestamp.isoformat(),
        }
        for entry in entries
    ]


def register_log_actions(actions):
    for action, (label, message) in ACTIONS.items():
        actions.register_action(action, label, message)
