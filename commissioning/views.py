"""Public views of the spine. Thin: parse the request, read through selectors."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from coproduce.shared import shared_for_signed_in

from . import rules
from .forms import TakePartFilterForm
from .selectors import engagement_items, my_participation, take_part_engagements

PER_PAGE = 10


@require_GET
@shared_for_signed_in
def take_part(request):
    form = TakePartFilterForm(request.GET or None)
    filters = {}
    if form.is_bound and form.is_valid():
        filters = {"ward": form.cleaned_data["ward"], "stage": form.cleaned_data["stage"]}
    paginator = Paginator(take_part_engagements(**filters), PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "commissioning/take_part.html",
        {
            "form": form,
            "page_obj": page_obj,
            "engagements": engagement_items(engagements=page_obj.object_list, request=request),
            "filtered": any(filters.values()),
            "breadcrumbs": [{"title": "Home", "url": "/"}],
        },
    )


@require_GET
@login_required
def participation(request):
    if not rules.can_view_own_participation(request.user):
        raise PermissionDenied
    return TemplateResponse(
        request,
        "commissioning/my_participation.html",
        {
            "rows": my_participation(user=request.user, request=request),
            "breadcrumbs": [{"title": "Home", "url": "/"}],
        },
    )
