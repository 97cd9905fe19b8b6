"""Thin views behind the consultation page's routes.

They parse the request, call a service or selector and render. Answering
works without JavaScript: one section per page, then equality monitoring
(if asked), then check your answers, then send.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from commissioning import audit
from commissioning.exceptions import EngagementNotOpen, NotEligible
from commissioning.exports import FORMATS, table_response
from commissioning.services import engagement_assert_can_respond
from coproduce.forms import SearchForm, add_service_errors
from coproduce.ratelimit import form_rate_limited

from . import rules, selectors
from .forms import CheckAnswersForm, EqualityForm, PaperResponseForm, SectionForm
from .models import Response
from .progress import Progress
from .services import consultation_response_submit

SECTION_LIMIT = (120, 600)  # section saves per 10 minutes per person or address
SUBMIT_LIMIT = (5, 3600)  # submissions per hour per person or address
TEXT_ANSWERS_PER_PAGE = 25
# "Change" on check your answers adds this, so saving the page returns there
# instead of walking through every later page again.
RETURN_TO_CHECK = "return=check"


def _render(request, page, template, context, status=200):
    return TemplateResponse(
        request,
        template,
        {**page.get_context(request), **context},
        status=status,
    )


def _steps(page):
    """The names of the steps, in order, for the progress caption."""
    count = len(page.questionnaire.sections) + (1 if page.equality_monitoring else 0)
    return count


def _guard(request, page):
    """None if this person may answer now, else where to send them."""
    try:
        engagement_assert_can_respond(engagement=page, user=request.user)
    except NotEligible as error:
        if error.code == "sign_in":
            return redirect_to_login(request.get_full_path())
        messages.error(request, error.messages[0])
        return redirect(page.subpage_url("start", request=request))
    except EngagementNotOpen as error:
        messages.info(request, error.messages[0])
        return redirect(page.subpage_url("start", request=request))
    return None


def _returning_to_check(request):
    return request.GET.get("return") == "check"


def _next_after_section(request, page, number):
    if _returning_to_check(request):
        return page.subpage_url("check", request=request)
    if number < len(page.questionnaire.sections):
        return page.subpage_url("section", number + 1, request=request)
    if page.equality_monitoring:
        return page.subpage_url("equality", request=request)
    return page.subpage_url("check", request=request)


def start(request, page):
    progress = Progress(request, page)
    return _render(
        request,
        page,
        "consultations/consultation_page.html",
        {
            "progress": progress,
            "state": page.state(),
            "first_section_url": page.subpage_url("section", 1, request=request),
            "check_url": page.subpage_url("check", request=request),
            "can_view_results": rules.can_view_results(request.user, page),
            "can_enter_paper": rules.can_enter_paper_responses(request.user),
            "can_export": rules.can_export_responses(request.user),
        },
    )


def section(request, page, number):
    questionnaire = page.questionnaire
    current = questionnaire.section(number)
    if current is None:
        raise Http404("No such section")
    if (redirect_to := _guard(request, page)) is not None:
        return redirect_to
    progress = Progress(request, page)
    if progress.submitted:
        return redirect(page.subpage_url("start", request=request))
    initial = {}
    for question in current.questions:
        initial.update(question.initial(progress.answers.get(question.id)))
    kwargs = {
        "questions": current.questions,
        "structure_hash": current.structure_hash(),
        "anonymous": not request.user.is_authenticated,
        "initial": initial,
    }
    status = 200
    if request.method == "POST":
        # A draft saved to finish later may have gaps; answers given are still checked.
        saving_for_later = "save_and_return" in request.POST and request.user.is_authenticated
        form = SectionForm(request.POST, enforce_required=not saving_for_later, **kwargs)
        if form_rate_limited(
            request, form, "consultations:section", limit=SECTION_LIMIT[0], period=SECTION_LIMIT[1]
        ):
            status = 429
        elif form.is_valid():
            try:
                progress.save(answers=form.answers)
            except ValidationError as error:
                form.add_error(None, error.messages[0])
            else:
                if saving_for_later:
                    messages.success(
                        request,
                        "Your answers are saved. You can come back and finish your response "
                        "before the consultation closes.",
                    )
                    return redirect(page.subpage_url("start", request=request))
                return redirect(_next_after_section(request, page, number))
    else:
        form = SectionForm(**kwargs)
    if _returning_to_check(request):
        back = page.subpage_url("check", request=request)
    elif number > 1:
        back = page.subpage_url("section", number - 1, request=request)
    else:
        back = page.subpage_url("start", request=request)
    return _render(
        request,
        page,
        "consultations/section.html",
        {
            "section": current,
            "form": form,
            "form_token": form.token(),
            "step": number,
            "steps": _steps(page),
            "back_url": back,
        },
        status=status,
    )


def equality(request, page):
    if not page.equality_monitoring:
        raise Http404("No equality monitoring")
    if (redirect_to := _guard(request, page)) is not None:
        return redirect_to
    progress = Progress(request, page)
    if progress.submitted:
        return redirect(page.subpage_url("start", request=request))
    kwargs = {
        "structure_hash": page.questionnaire.structure_hash(),
        "anonymous": not request.user.is_authenticated,
        "initial": progress.equality,
    }
    status = 200
    if request.method == "POST":
        form = EqualityForm(request.POST, **kwargs)
        if form_rate_limited(
            request, form, "consultations:section", limit=SECTION_LIMIT[0], period=SECTION_LIMIT[1]
        ):
            status = 429
        elif form.is_valid():
            try:
                progress.save(equality=form.equality())
            except ValidationError as error:
                form.add_error(None, error.messages[0])
            else:
                return redirect(page.subpage_url("check", request=request))
    else:
        form = EqualityForm(**kwargs)
    sections = len(page.questionnaire.sections)
    return _render(
        request,
        page,
        "consultations/equality.html",
        {
            "form": form,
            "form_token": form.token(),
            "step": sections + 1,
            "steps": _steps(page),
            "back_url": _equality_back(request, page, sections),
        },
        status=status,
    )


def _equality_back(request, page, sections):
    if _returning_to_check(request):
        return page.subpage_url("check", request=request)
    if sections:
        return page.subpage_url("section", sections, request=request)
    return page.subpage_url("start", request=request)


def _summary(request, page, answers, problems):
    sections = []
    for current in page.questionnaire.sections:
        url = page.subpage_url("section", current.number, request=request)
        rows = [
            {
                "question": question,
                "answer": question.display(answers.get(question.id)),
                "change_url": f"{url}?{RETURN_TO_CHECK}#question-{question.id}",
                "problem": problems.get(question.id),
            }
            for question in current.questions
        ]
        sections.append({"section": current, "rows": rows})
    return sections


def _check_back(request, page):
    if page.equality_monitoring:
        return page.subpage_url("equality", request=request)
    return _equality_back(request, page, len(page.questionnaire.sections))


def check(request, page):
    if (redirect_to := _guard(request, page)) is not None:
        return redirect_to
    progress = Progress(request, page)
    if progress.submitted:
        return redirect(page.subpage_url("start", request=request))
    questionnaire = page.questionnaire
    # Answers to questions removed since they were given cannot be sent.
    answers = {k: v for k, v in progress.answers.items() if k in questionnaire.by_id}
    changed = len(answers) != len(progress.answers)
    anonymous = not request.user.is_authenticated
    kwargs = {"structure_hash": questionnaire.structure_hash(), "anonymous": anonymous}
    problems = questionnaire.validate(answers)
    status = 200
    if request.method == "POST":
        form = CheckAnswersForm(request.POST, **kwargs)
        if form_rate_limited(
            request, form, "consultations:submit", limit=SUBMIT_LIMIT[0], period=SUBMIT_LIMIT[1]
        ):
            status = 429
        elif form.is_valid():
            try:
                consultation_response_submit(
                    consultation=page,
                    answers=answers,
                    user=request.user,
                    equality=progress.equality if page.equality_monitoring else None,
                    wants_feedback=form.cleaned_data["wants_feedback"],
                    email=form.cleaned_data.get("email", ""),
                    structure_hash=questionnaire.structure_hash(),
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    problems = {
                        key: errors[0].messages[0] for key, errors in error.error_dict.items()
                    }
                    form.add_error(None, "Some answers need changing before you can send them.")
                else:
                    form.add_error(None, error.messages[0])
                    if error.code == "already_responded":
                        return redirect(page.subpage_url("start", request=request))
            else:
                progress.clear()
                return redirect(page.subpage_url("done", request=request))
    else:
        form = CheckAnswersForm(**kwargs)
    return _render(
        request,
        page,
        "consultations/check.html",
        {
            "form": form,
            "form_token": form.token(),
            "summary": _summary(request, page, answers, problems),
            "problems": problems,
            "changed": changed,
            "back_url": _check_back(request, page),
            "equality_url": page.subpage_url("equality", request=request) + f"?{RETURN_TO_CHECK}",
            "equality_answered": any(progress.equality.values()),
        },
        status=status,
    )


def done(request, page):
    return _render(request, page, "consultations/done.html", {})


def results(request, page):
    if not rules.can_view_results(request.user, page):
        raise Http404("Results are not published")
    officer = rules.can_view_responses(request.user)
    data = selectors.consultation_results(consultation=page)
    return _render(
        request,
        page,
        "consultations/results.html",
        {
            "results": data,
            "officer": officer,
            "can_export": rules.can_export_responses(request.user),
            "equality_tables": selectors.equality_summary(consultation=page)
            if officer and page.equality_monitoring
            else [],
            "suppress_below": selectors.SUPPRESS_BELOW,
        },
    )


def _officer_only(request, allowed):
    if allowed:
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def text_answers(request, page, question_id):
    if (
        redirect_to := _officer_only(request, rules.can_view_free_text(request.user, page))
    ) is not None:
        return redirect_to
    question = page.questionnaire.by_id.get(question_id)
    if question is None:
        raise Http404("No such question")
    search = SearchForm(request.GET or None)
    search.fields["query"].label = "Search these answers"
    query = search.cleaned_data["query"] if search.is_valid() else ""
    paginator = Paginator(
        selectors.text_answers(consultation=page, question_id=question_id, query=query),
        TEXT_ANSWERS_PER_PAGE,
    )
    page_obj = paginator.get_page(request.GET.get("page"))
    return _render(
        request,
        page,
        "consultations/text_answers.html",
        {
            "question": question,
            "search": search,
            "query": query,
            "page_obj": page_obj,
            "results_url": page.subpage_url("results", request=request),
        },
    )


def export(request, page, fmt):
    if fmt not in FORMATS:
        raise Http404("Unknown format")
    if (
        redirect_to := _officer_only(request, rules.can_export_responses(request.user))
    ) is not None:
        return redirect_to
    table = selectors.responses_table(consultation=page)
    audit.audit_record(
        user=request.user,
        action=audit.EXPORT,
        instance=page,
        data={"data_set": "responses", "format": fmt},
    )
    return table_response(table, fmt=fmt, filename=f"{page.slug}-responses")


def paper(request, page):
    allowed = rules.can_enter_paper_responses(request.user)
    if (redirect_to := _officer_only(request, allowed)) is not None:
        return redirect_to
    questionnaire = page.questionnaire
    kwargs = {
        "questions": questionnaire.questions,
        "structure_hash": questionnaire.structure_hash(),
        "equality_monitoring": page.equality_monitoring,
    }
    if request.method == "POST":
        form = PaperResponseForm(request.POST, **kwargs)
        if form.is_valid():
            try:
                consultation_response_submit(
                    consultation=page,
                    answers=form.answers,
                    equality=form.equality(),
                    channel=Response.PAPER,
                    email=form.cleaned_data["email"],
                    wants_feedback=bool(form.cleaned_data["email"]),
                    entered_by=request.user,
                    received_on=form.cleaned_data["received_on"],
                    structure_hash=form.structure_hash,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Paper response saved. You can enter the next one.")
                return redirect(page.subpage_url("paper", request=request))
    else:
        form = PaperResponseForm(**kwargs)
    return _render(
        request,
        page,
        "consultations/paper.html",
        {
            "form": form,
            "form_token": form.token(),
            "start_url": page.subpage_url("start", request=request),
        },
    )
