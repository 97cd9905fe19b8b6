"""Citizen panels' part of "download my data" and account deletion.

Registered with the spine's registry in `apps.py`.

Deletion removes what identifies the person from their applications (name,
email, phone, postcode, ward, their answers and access needs) and takes them
out of the panel: an applicant leaves the pool, a member leaves the panel. An
application no draw has used is deleted outright. One a draw used stays as a
pseudonymous row, because the lottery record (each entry's answers at the
time, its chance, whether it was selected) must still reproduce the draw for
audit. Scores stay, for the panel's results, on the anonymised account.
"""

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from wagtail.log_actions import log

from .attributes import ATTRIBUTE_LABELS
from .models import Application, LotteryEntry, Recommendation, Score
from .selectors import panel_has_ended


def _iso(value):
    return value.isoformat() if value else None


def _answers(application):
    answers = {}
    for key in application.panel.attributes:
        label = ATTRIBUTE_LABELS.get(key, key)
        if key == "ward":
            answers[label] = application.get_ward_display()
        else:
            answers[label] = getattr(application, f"get_{key}_display")()
    return answers


def panels_export(user):
    applications = (
        Application.objects.filter(user=user)
        .select_related("panel", "ward")
        .prefetch_related("lottery_entries__run")
        .order_by("created_at", "pk")
    )
    records = [
        {
            "panel": a.panel.title,
            "name": a.name,
            "email": a.email,
            "phone": a.phone,
            "postcode": a.postcode,
            "answers": _answers(a),
            "availability": a.get_availability_display(),
            "access_needs": a.access_needs,
            "consent": a.get_consent_display(),
            "status": a.get_status_display(),
            "applied_at": _iso(a.created_at),
            "confirmed_at": _iso(a.confirmed_at),
            "withdrawn_at": _iso(a.withdrawn_at),
            "draws": [
                {
                    "draw": e.run.get_kind_display(),
                    "seed": e.run.seed,
                    "chance_of_selection": e.probability,
                    "selected": "Yes" if e.selected else "No",
                }
                for e in a.lottery_entries.all()
            ],
        }
        for a in applications
    ]
    scores = (
        Score.objects.filter(member=user)
        .select_related("option__panel", "criterion")
        .order_by("option__panel__title", "option__sort_order", "criterion__sort_order", "pk")
    )
    records.extend(
        {
            "panel": s.option.panel.title,
            "option": s.option.title,
            "criterion": s.criterion.title,
            "score": s.value,
            "reason": s.rationale,
            "updated_at": _iso(s.updated_at),
        }
        for s in scores
    )
    records.extend(
        {"panel": r.panel.title, "recommendation_you_last_edited": r.text}
        for r in Recommendation.objects.filter(updated_by=user).select_related("panel")
    )
    return records


PSEUDONYMISED = {
    "name": "Deleted applicant",
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


@transaction.atomic
def panels_anonymise(user):
    applications = Application.objects.filter(user=user)
    in_a_draw = Exists(LotteryEntry.objects.filter(application=OuterRef("pk")))
    applications.annotate(in_a_draw=in_a_draw).filter(in_a_draw=False).delete()
    now = timezone.now()
    for application in applications.select_related("panel").select_for_update(of=("self",)):
        fields = {**PSEUDONYMISED, "email": f"deleted-{application.pk}@invalid.example"}
        leaves = application.status in (Application.APPLIED, Application.NOT_SELECTED) or (
            application.status == Application.SELECTED
            and not panel_has_ended(panel=application.panel)
        )
        if leaves:
            # Out of the pool (no replacement draw picks them) or off the panel.
            fields.update(status=Application.WITHDRAWN, withdrawn_at=now)
        Application.objects.filter(pk=application.pk).update(**fields)
        if leaves and application.status == Application.SELECTED:
            log(
                instance=application,
                action="panels.member_withdraw",
                data={"reason": "The member deleted their account."},
            )


# Invitation addresses are held for a panel, not for an account: no user links to
# them, so "download my data" and account deletion find nothing there. They are
# deleted as a whole by `purge_invitation_addresses` once the retention period ends.


def invitation_addresses_export(user):
    return []


def invitation_addresses_anonymise(user):
    return None
