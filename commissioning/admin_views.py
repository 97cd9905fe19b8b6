"""The officer brief, served inside the Wagtail admin (officers only)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from . import rules
from .brief import programme_brief
from .exports import FORMATS, table_response
from .models import ProgrammePage
from .services import decision_draft_from_brief
from .stages import STAGES


def brief_index(request):
    if not rules.can_view_brief(request.user):
        raise PermissionDenied
    programmes = ProgrammePage.objects.order_by("title").prefetch_related("stages")
    return TemplateResponse(
        request, "commissioning/admin/brief_index.html", {"programmes": programmes}
    )


def _stage(request):
    stage = request.GET.get("stage", "") or request.POST.get("stage", "")
    return stage if stage in dict(STAGES) else ""


def brief(request, pk):
    programme = get_object_or_404(ProgrammePage, pk=pk)
    if not rules.can_view_brief(request.user, programme):
        raise PermissionDenied
    stage = _stage(request)
    result = programme_brief(programme=programme, stage=stage)
    fmt = request.GET.get("format")
    if fmt in FORMATS:
        tables = result.tables()
        key = request.GET.get("table")
        key = key if key in tables else "reach-by-ward"
        name = f"{programme.slug}-{key}" + (f"-{stage}" if stage else "")
        return table_response(tables[key], fmt=fmt, filename=name)
    return TemplateResponse(
        request,
        "commissioning/admin/brief.html",
        {
            "brief": result,
            "reach_table": result.reach_table(),
            "group_reach_table": result.group_reach_table(),
            "stages": STAGES,
            "can_draft_decision": rules.can_draft_decision(request.user, programme),
        },
    )


@require_POST
def brief_draft_decision(request, pk):
    """ "Draft a decision from this brief": one draft per stage, then its editor."""
    programme = get_object_or_404(ProgrammePage, pk=pk)
    if not rules.can_draft_decision(request.user, programme):
        raise PermissionDenied
    stage = _stage(request)
    try:
        page, created = decision_draft_from_brief(
            programme=programme, stage=stage, user=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(reverse("commissioning_brief", args=[programme.pk]))
    if created:
        messages.success(
            request,
            f"Draft decision created with {page.items.count()} “you said” items from the "
            "approved themes. Add what was decided and why, then publish it.",
        )
    else:
        messages.warning(
            request, "A draft decision for this stage already exists: here it is to edit."
        )
    return redirect(reverse("wagtailadmin_pages:edit", args=[page.pk]))


def heard(request, pk):
    """ "What we heard" of one engagement: preview, publish, unpublish (officers)."""
    from .models import EngagementPage, HeardSummary
    from .services import heard_summary_content, heard_summary_publish, heard_summary_unpublish

    engagement = get_object_or_404(EngagementPage, pk=pk)
    if not rules.can_publish_heard(request.user, engagement):
        raise PermissionDenied
    if request.method == "POST":
        action = {"publish": heard_summary_publish, "unpublish": heard_summary_unpublish}.get(
            request.POST.get("action")
        )
        if action is not None:
            try:
                action(engagement=engagement, user=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                done = "published" if action is heard_summary_publish else "taken down"
                messages.success(request, f"What we heard is {done}.")
        return redirect(reverse("commissioning_heard", args=[engagement.pk]))
    record = (
        HeardSummary.objects.filter(engagement=engagement)
        .select_related("published_by", "unpublished_by")
        .first()
    )
    published = record is not None and record.is_published
    return TemplateResponse(
        request,
        "commissioning/admin/heard.html",
        {
            "engagement": engagement,
            "record": record,
            "is_closed": engagement.state() == "closed",
            "heard": record if published else None,
            "preview": None if published else heard_summary_content(engagement=engagement),
            "programme": engagement.get_parent(),
        },
    )
