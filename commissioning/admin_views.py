"""The officer brief, served inside the Wagtail admin (officers only)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from . import rules
from .brief import programme_brief
from .exports import FORMATS, table_response
from .models import ProgrammePage
from .stages import STAGES


def brief_index(request):
    if not rules.can_view_brief(request.user):
        raise PermissionDenied
    programmes = ProgrammePage.objects.order_by("title").prefetch_related("stages")
    return TemplateResponse(
        request, "commissioning/admin/brief_index.html", {"programmes": programmes}
    )


def brief(request, pk):
    programme = get_object_or_404(ProgrammePage, pk=pk)
    if not rules.can_view_brief(request.user, programme):
        raise PermissionDenied
    stage = request.GET.get("stage", "")
    if stage not in dict(STAGES):
        stage = ""
    result = programme_brief(programme=programme, stage=stage)
    fmt = request.GET.get("format")
    if fmt in FORMATS:
        name = f"{programme.slug}-reach-by-ward" + (f"-{stage}" if stage else "")
        return table_response(result.reach_table(), fmt=fmt, filename=name)
    return TemplateResponse(
        request,
        "commissioning/admin/brief.html",
        {"brief": result, "reach_table": result.reach_table(), "stages": STAGES},
    )
