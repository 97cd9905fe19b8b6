"""Views of a budget conversation, reached through the page's routes.

They parse the request, check permissions with `rules`, call a service or a
selector, and render. No rule lives here.
"""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from commissioning import audit
from commissioning.exports import FORMATS, table_response
from coproduce.forms import add_service_errors
from coproduce.ratelimit import (
    RATE_LIMIT_MESSAGE,
    rate_limit_count,
    rate_limit_retry_after,
    rate_limited,
)

from . import rules, selectors, services
from .forms import BudgetResponseForm, PaperResponseForm, ResidentResponseForm
from .models import BudgetResponse, Comment

RESPONSE_LIMIT = {"limit": 10, "period": 600}
FLAG_LIMIT = {"limit": 30, "period": 3600}


def _configuration(page):
    proposals = list(page.proposals.select_related("document"))
    lines = list(page.lines.all())
    return proposals, lines


def _record(form, *, page, user, channel, **extra):
    """Call the service with the form's data; errors go back onto the form."""
    try:
        return services.budget_response_record(
            conversation=page,
            user=user,
            answers=form.answers(),
            allocations=form.allocations(),
            comments=form.comments(),
            channel=channel,
            **extra,
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return None


def _respond(request, form, *, page):
    """Validate and record a resident's response; None when refused (errors on the form).

    The rate limit counts what someone could abuse — saved responses and
    honeypot hits — never a resident's mistakes, and says when to try again.
    """
    retry_after = rate_limit_retry_after(request, "budget-response", **RESPONSE_LIMIT)
    if retry_after is not None:
        form.is_valid()
        retry_at = timezone.localtime() + timedelta(seconds=retry_after)
        form.add_error(
            None,
            "You have saved this response many times in a short while. "
            f"You can send it again from {retry_at:%H:%M}; your answers are kept below.",
        )
        return None
    if not form.is_valid():
        if form.has_error(NON_FIELD_ERRORS, "honeypot"):
            rate_limit_count(request, "budget-response", period=RESPONSE_LIMIT["period"])
        return None
    response = _record(
        form,
        page=page,
        user=request.user,
        channel=BudgetResponse.WEB,
        wants_feedback=form.cleaned_data.get("wants_feedback", False),
    )
    if response is not None:
        rate_limit_count(request, "budget-response", period=RESPONSE_LIMIT["period"])
    return response


def conversation(request, page):
    proposals, lines = _configuration(page)
    user = request.user
    state = page.state()
    existing = selectors.response_for_user(conversation=page, user=user)
    form = None
    if state == "open" and user.is_authenticated:
        form_kwargs = {"conversation": page, "proposals": proposals, "lines": lines}
        if request.method == "POST":
            form = ResidentResponseForm(request.POST, **form_kwargs)
            response = _respond(request, form, page=page)
            if response is not None:
                messages.success(
                    request,
                    "Your response has been saved. You can change it until the "
                    f"conversation closes on {timezone.localtime(page.closes_at):%-d %B %Y}.",
                )
                return redirect(page.get_url(request=request) + "#your-response")
        else:
            form = ResidentResponseForm(
                initial=BudgetResponseForm.initial_from(existing), **form_kwargs
            )
    elif request.method == "POST":
        if not user.is_authenticated:
            return redirect_to_login(page.get_url(request=request))
        messages.error(
            request,
            "This conversation is not open, so responses cannot be added or changed.",
        )
        return redirect(page.get_url(request=request))

    return TemplateResponse(
        request,
        page.template,
        {
            "page": page,
            "self": page,
            "state": state,
            "proposals": proposals,
            "lines": lines,
            "form": form,
            "existing": existing,
            "totals": _totals(page, lines, form),
            "comments_preview": selectors.comments_preview(conversation=page),
            "comment_counts": selectors.comment_counts(conversation=page),
            "can_view_results": rules.can_view_results(user, page),
            "can_export": rules.can_export(user, page),
            "can_enter_paper": rules.can_enter_paper(user, page),
        },
    )


def _totals(page, lines, form):
    """The simulator's totals for the values in the form (or the current amounts).

    Counted as the service counts them: a line outside its bounds at the
    nearest bound, and never "target met" while a line cannot be accepted.
    """
    if not lines:
        return None
    chosen = {}
    outside = 0
    for line in lines:
        value = line.current
        if form is not None:
            raw = form[f"line_{line.pk}"].value()
            try:
                value = int(str(raw).replace(",", "").replace("£", "").strip())
            except (TypeError, ValueError):
                value = line.current
        if line.problem_with(value):
            outside += 1
        chosen[line.pk] = services.counted_amount(line, value)
    saving, net = services.simulator_totals(conversation=page, lines=lines, allocations=chosen)
    if page.target_kind == page.SAVINGS:
        gap = page.target_amount - saving
    else:
        gap = net - page.target_amount
    return {
        "saving": saving,
        "net": net,
        "gap": gap,
        "met": gap <= 0 and not outside,
        "outside": outside,
    }


def results(request, page):
    if not rules.can_view_results(request.user, page):
        return TemplateResponse(request, "budget/results_not_yet.html", {"page": page})
    return TemplateResponse(
        request,
        "budget/results.html",
        {
            "page": page,
            "state": page.state(),
            "results": selectors.conversation_results(conversation=page),
            "can_export": rules.can_export(request.user, page),
        },
    )


def flag(request, page, comment_id):
    if request.method != "POST":
        return redirect(page.get_url(request=request))
    if not request.user.is_authenticated:
        return redirect_to_login(page.get_url(request=request))
    comment = (
        Comment.objects.filter(conversation=page, pk=comment_id).select_related("response").first()
    )
    if comment is None:
        raise Http404("No such comment in this conversation.")
    anchor = f"#proposal-{comment.proposal_id}" if comment.proposal_id else ""
    if rate_limited(request, "budget-flag", **FLAG_LIMIT):
        messages.error(request, RATE_LIMIT_MESSAGE)
        return redirect(page.get_url(request=request) + anchor)
    try:
        created = services.comment_flag(comment=comment, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            "Thank you: a moderator will look at this comment."
            if created
            else "You have already reported this comment.",
        )
    return redirect(page.get_url(request=request) + anchor)


def paper(request, page):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not rules.can_enter_paper(request.user, page):
        raise PermissionDenied
    proposals, lines = _configuration(page)
    form_kwargs = {"conversation": page, "proposals": proposals, "lines": lines}
    if request.method == "POST":
        form = PaperResponseForm(request.POST, **form_kwargs)
        if form.is_valid():
            response = _record(
                form,
                page=page,
                user=None,
                channel=BudgetResponse.PAPER,
                ward=form.cleaned_data.get("ward"),
                paper_reference=form.cleaned_data.get("paper_reference", ""),
                entered_by=request.user,
            )
            if response is not None:
                messages.success(
                    request,
                    f"Paper response {response.respondent_id} saved. Enter the next one below.",
                )
                return redirect(page.subpage_url("paper_route", request=request))
    else:
        form = PaperResponseForm(**form_kwargs)
    return TemplateResponse(
        request,
        "budget/paper.html",
        {
            "page": page,
            "form": form,
            "proposals": proposals,
            "lines": lines,
            "totals": _totals(page, lines, form),
        },
    )


def export(request, page, dataset, fmt):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not rules.can_export(request.user, page):
        raise PermissionDenied
    if dataset not in selectors.EXPORTS or fmt not in FORMATS:
        raise Http404("No such download.")
    table = selectors.EXPORTS[dataset](conversation=page)
    audit.audit_record(
        user=request.user,
        action=audit.EXPORT,
        instance=page,
        data={"data_set": dataset, "format": fmt},
    )
    return table_response(table, fmt=fmt, filename=f"{page.slug}-{dataset}")
