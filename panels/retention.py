"""How long panel applications are kept (`settings.RETENTION["panel_applications"]`).

The period counts from the day the panel stopped taking applications
(`closes_at`). Past it, an application no draw used is deleted; one a draw
used is pseudonymised, because the lottery record (each entry's answers at the
time, its chance, whether it was selected) must still reproduce the draw.

Civic lottery invitation addresses will register their own retention
(`RETENTION["invitation_addresses"]`) here when panels holds them.
"""

from django.db.models import Exists, OuterRef

from .models import Application, LotteryEntry

PSEUDONYMOUS_NAME = "Deleted applicant"
PSEUDONYMISED = {
    "name": PSEUDONYMOUS_NAME,
    "phone": "",
    "postcode": "",
    "ward": None,
    "age_band": "",
    "gender": "",
    "ethnicity": "",
    "disability": "",
    "service_user": "",
    "availability": [],
    "access_needs": "",
    "user": None,
}


def panel_applications_retain(before):
    """Delete or pseudonymise applications to panels that closed before `before`."""
    expired = Application.objects.filter(panel__closes_at__lt=before)
    in_a_draw = Exists(LotteryEntry.objects.filter(application=OuterRef("pk")))
    _, deleted = expired.filter(~in_a_draw).delete()
    changed = deleted.get(Application._meta.label, 0)
    for pk in (
        expired.filter(in_a_draw).exclude(name=PSEUDONYMOUS_NAME).values_list("pk", flat=True)
    ):
        changed += Application.objects.filter(pk=pk).update(
            **PSEUDONYMISED, email=f"deleted-{pk}@invalid.example"
        )
    return changed
