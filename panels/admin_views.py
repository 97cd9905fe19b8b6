"""Officers' lottery pages in the Wagtail admin: quotas, feasibility, seed, draw, results.

Registered by `viewsets.LotteryViewSet`; every view checks `rules`
(only the panel's own officers) and calls services.
"""

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from commissioning import audit

from . import rules, selectors, services
from .attributes import labelled_answers
from .models import Application, LotteryRun, PanelPage
from .reach import quota_prefill


def index(request, target="lottery"):
    panels = (
        rules.panels_officered_by(request.user)
        .annotate(
            applicant_count=Count("applications", distinct=True),
            member_count=Count(
                "applications", filter=Q(applications__status=Application.SELECTED), distinct=True
            ),
        )
        .order_by("title")
    )
    return TemplateResponse(
        request,
        "panels/admin/index.html",
        {"panels": panels, "target": f"panels_{target}:panel"},
    )


def _panel_for(request, panel_id):
    panel = get_object_or_404(PanelPage, pk=panel_id)
    if not rules.can_run_lottery(request.user, panel):
        raise PermissionDenied
    return panel


def _save_quotas(request, panel, table):
    """Save the whole quota table at once, or nothing (errors listed by value)."""
    errors = []
    try:
        with transaction.atomic():
            for group in table:
                for row in group["rows"]:
                    prefix = f"q-{group['attribute']}-{row['value']}"
                    low, high = (
                        request.POST.get(f"{prefix}-min", ""),
                        request.POST.get(f"{prefix}-max", ""),
                    )
                    if low.strip() == "" and high.strip() == "":
                        continue
                    try:
                        services.quota_set(
                            panel=panel,
                            user=request.user,
                            attribute=group["attribute"],
                            value=row["value"],
                            minimum=int(low or 0),
                            maximum=int(high if high.strip() != "" else panel.seats),
                        )
                    except ValueError:
                        errors.append(f"{group['label']} “{row['label']}”: enter whole numbers.")
                    except ValidationError as error:
                        errors.append(
                            f"{group['label']} “{row['label']}”: {' '.join(error.messages)}"
                        )
            if errors:
                raise ValidationError(errors)
    except ValidationError:
        return errors
    return []


def _reach_prefill(request, panel, table):
    """Fill in the quota a reach gap in the officer brief asks for (from its link).

    Only shown in the form: nothing is saved until the officer saves the quotas.
    A link that does not fit this panel fills nothing in and says why.
    """
    if "attribute" not in request.GET:
        return None
    try:
        prefill = quota_prefill(panel=panel, params=request.GET)
    except ValidationError as error:
        messages.warning(
            request,
            f"The quota from the officer brief was not filled in: {' '.join(error.messages)}.",
        )
        return None
    for group in table:
        for row in group["rows"]:
            if group["attribute"] == prefill.attribute and row["value"] == prefill.value:
                row["prefilled"] = True
                if prefill.minimum is not None:
                    row["minimum"], row["maximum"] = prefill.minimum, prefill.maximum
    return prefill


def _lottery_propose(request, panel):
    services.quotas_apply_proposals(panel=panel, user=request.user)
    messages.success(
        request, "Quotas proposed from the borough's population. Check and adjust them."
    )


def _lottery_save_quotas(request, panel):
    errors = _save_quotas(request, panel, selectors.quota_table(panel=panel))
    if not errors:
        messages.success(request, "Quotas saved.")
    return errors


def _lottery_announce(request, panel, *, kind):
    run = services.lottery_announce(panel=panel, user=request.user, kind=kind)
    messages.success(request, f"Seed {run.seed} announced. It is shown on the panel's page.")


def _lottery_start(request, panel):
    run = get_object_or_404(LotteryRun, pk=request.POST.get("run"), panel=panel)
    run = services.lottery_start(run=run, user=request.user)
    return redirect("panels_lottery:run", run.pk)


def _lottery_withdraw(request, panel):
    member = get_object_or_404(
        Application.objects.members(), pk=request.POST.get("application"), panel=panel
    )
    services.member_withdraw(application=member, user=request.user)
    messages.success(
        request, f"{member.name}'s withdrawal is recorded. Draw a replacement when ready."
    )


def _lottery_cancel(request, panel):
    run = get_object_or_404(LotteryRun, pk=request.POST.get("run"), panel=panel)
    services.lottery_cancel(run=run, user=request.user)
    messages.success(request, "The announced draw was cancelled.")


def _lottery_close_applications(request, panel):
    services.applications_close(panel=panel, user=request.user)
    messages.success(request, "Applications are closed. You can now announce the seed and draw.")


# The lottery page's POST actions (the button's `action`). Each returns a
# response to send, a list of errors to show on the page, or nothing when done.
LOTTERY_ACTIONS = {
    "propose": _lottery_propose,
    "save_quotas": _lottery_save_quotas,
    "announce": partial(_lottery_announce, kind=LotteryRun.DRAW),
    "announce_replacement": partial(_lottery_announce, kind=LotteryRun.REPLACEMENT),
    "start": _lottery_start,
    "withdraw": _lottery_withdraw,
    "cancel": _lottery_cancel,
    "close_applications": _lottery_close_applications,
}


def _lottery_post(request, panel):
    """(response, errors): run the posted action; an unknown action does nothing."""
    action = LOTTERY_ACTIONS.get(request.POST.get("action"))
    try:
        outcome = action(request, panel) if action else None
    except ValidationError as error:
        outcome = error.messages
    if isinstance(outcome, HttpResponse):
        return outcome, []
    if outcome:
        return None, outcome
    return redirect("panels_lottery:panel", panel.pk), []


def _lottery_seats(panel, active, drawn):
    """The seats the next draw fills: the active run's, else all, else the vacancies."""
    if active:
        return active.seats
    if drawn:
        return panel.seats - Application.objects.members().filter(panel=panel).count()
    return panel.seats


def _lottery_check(panel, drawn, seats):
    kind = LotteryRun.REPLACEMENT if drawn else LotteryRun.DRAW
    return selectors.feasibility(panel=panel, kind=kind, seats=seats)


def _lottery_runs(request, panel):
    """The runs, the active one, and the next draw's seats and feasibility check."""
    runs = list(panel.lottery_runs.all())
    active = next((r for r in runs if r.is_active), None)
    drawn = any(r.kind == LotteryRun.DRAW and r.status == LotteryRun.COMPLETED for r in runs)
    seats = _lottery_seats(panel, active, drawn)
    check = None
    if request.GET.get("check") or (active and active.status == LotteryRun.ANNOUNCED):
        check = _lottery_check(panel, drawn, seats)
    return {
        "runs": runs,
        "active": active,
        "drawn": drawn,
        "vacancies": seats if drawn else 0,
        "check": check,
        "stuck": active is not None and services.lottery_is_stuck(active),
    }


def _lottery_context(request, panel, errors):
    runs = _lottery_runs(request, panel)
    ended = selectors.panel_has_ended(panel=panel)
    table = selectors.quota_table(panel=panel)
    prefill = _reach_prefill(request, panel, table) if request.method == "GET" else None
    return {
        "panel": panel,
        "table": table,
        "prefill": prefill,
        **runs,
        "members": Application.objects.members().filter(panel=panel).order_by("name", "pk"),
        "recruitment_state": panel.state(),
        "ended": ended,
        "errors": errors,
        "post": request.POST if errors else {},
        "pool_channels": selectors.pool_by_channel(panel=panel),
        "invitations_url": reverse("panels_invitations:panel", args=[panel.pk]),
        "applications_url": reverse("panels_application:index") + f"?panel={panel.pk}",
    }


def lottery(request, panel_id):
    panel = _panel_for(request, panel_id)
    errors = []
    if request.method == "POST":
        response, errors = _lottery_post(request, panel)
        if response is not None:
            return response
    return TemplateResponse(
        request, "panels/admin/lottery.html", _lottery_context(request, panel, errors)
    )


def run_detail(request, run_id):
    run = get_object_or_404(LotteryRun.objects.select_related("panel"), pk=run_id)
    if not rules.can_run_lottery(request.user, run.panel):
        raise PermissionDenied
    entries = list(
        run.entries.select_related("application").order_by(
            "-selected", "probability", "application__name", "pk"
        )
    )
    wards = selectors.panel_wards()
    for entry in entries:
        entry.answers = labelled_answers(entry.attributes, wards)
    totals = run.entries.aggregate(total=Sum("probability"), count=Count("pk"))
    share = None
    if run.min_probability is not None and totals["count"]:
        share = run.min_probability / (run.seats / totals["count"])
    if request.GET.get("verify") and run.status == LotteryRun.COMPLETED:
        audit.audit_record(
            user=request.user, action=audit.VERIFY, instance=run, data={"seed": run.seed}
        )
    return TemplateResponse(
        request,
        "panels/admin/run.html",
        {
            "run": run,
            "panel": run.panel,
            "entries": entries,
            "totals": totals,
            "fair_share": share,
            "quotas_used": selectors.labelled_quotas(quotas=run.quotas, wards=wards),
            "refresh": run.is_active and run.status != LotteryRun.ANNOUNCED,
            "reproduces": selectors.run_reproduces(run=run)
            if request.GET.get("verify") and run.status == LotteryRun.COMPLETED
            else None,
        },
    )
