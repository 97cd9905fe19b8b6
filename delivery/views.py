"""Public views of delivery. Thin: parse the request, call a selector or a service."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from commissioning.exports import CSV, table_response
from coproduce.forms import add_service_errors
from coproduce.ratelimit import form_rate_limited

from . import rules
from .forms import ProgressFilterForm, ReviewForm
from .models import ReviewResponse
from .selectors import (
    commitment_rows,
    commitments_json,
    commitments_table,
    progress_commitments,
    progress_status_counts,
)
from .services import review_outcomes, review_response_submit

PER_PAGE = 20
REVIEW_LIMIT = (5, 3600)  # review submissions per hour per person or address


@require_GET
def progress(request):
    form = ProgressFilterForm(request.GET or None)
    filters = form.filters()
    commitments = progress_commitments(**filters)
    counts = progress_status_counts(commitments=commitments, filters=filters)
    paginator = Paginator(commitments, PER_PAGE)
    # Every commitment has one status: the counts already give the total.
    paginator.count = sum(status["count"] for status in counts)
    page_obj = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return TemplateResponse(
        request,
        "delivery/progress.html",
        {
            "form": form,
            "filtered": bool(filters),
            "page_obj": page_obj,
            "rows": commitment_rows(commitments=page_obj.object_list, request=request),
            "counts": counts,
            "query": query.urlencode(),
            "breadcrumbs": [{"title": "Home", "url": "/"}],
        },
    )


@require_GET
def progress_data(request, fmt):
    if fmt not in ("csv", "json"):
        raise Http404("No such format")
    form = ProgressFilterForm(request.GET or None)
    rows = commitment_rows(
        commitments=progress_commitments(**form.filters()), request=request, charts=False
    )
    if fmt == "json":
        response = JsonResponse(commitments_json(rows=rows, request=request))
        response["Access-Control-Allow-Origin"] = "*"
        return response
    return table_response(
        commitments_table(rows=rows), fmt=CSV, filename="what-we-said-we-would-do"
    )


def _existing_response(review, user):
    if not user.is_authenticated:
        return None
    return ReviewResponse.objects.filter(review=review, user=user).first()


def review_page(request, page):
    """The review engagement: what is reviewed, and the form while it is open."""
    outcomes = review_outcomes(page)
    existing = _existing_response(page, request.user)
    form_kwargs = {"outcomes": outcomes, "users_only": page.users_only, "user": request.user}
    status = 200
    if request.method == "POST" and existing is None:
        form = ReviewForm(request.POST, **form_kwargs)
        if form_rate_limited(
            request, form, "delivery:review", limit=REVIEW_LIMIT[0], period=REVIEW_LIMIT[1]
        ):
            status = 429
        elif form.is_valid():
            try:
                review_response_submit(
                    review=page,
                    user=request.user,
                    relationship=form.cleaned_data["relationship"],
                    scores=form.scores(),
                    comment=form.cleaned_data["comment"],
                    wants_feedback=form.cleaned_data["wants_feedback"],
                    email=form.cleaned_data["feedback_email"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Thank you. Your review has been sent.")
                return redirect(page.get_url(request=request))
    else:
        form = ReviewForm(**form_kwargs)
    score_fields = [
        (outcome, form[f"score_{outcome.pk}"], form[f"reason_{outcome.pk}"])
        for outcome in outcomes
    ]
    context = page.get_context(request)
    context.update(
        {
            "form": form,
            "score_fields": score_fields,
            "outcomes": outcomes,
            "state": page.state(),
            "existing": existing,
            "can_view_responses": rules.can_view_review_responses(request.user, page),
        }
    )
    return TemplateResponse(request, page.template, context, status=status)
