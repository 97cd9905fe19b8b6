"""Public and members-only views, served as sub-routes of the panel page.

Views parse the request, check `rules`, and call `services`; they hold no rules.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from wagtail.documents.models import document_served

from coproduce.forms import add_service_errors
from coproduce.ratelimit import form_rate_limited

from . import rules, selectors, services
from .forms import ApplicationForm, RecommendationForm, ReopenForm, ScoreForm
from .models import Application, Criterion, Meeting, Option, Recommendation


def _render(request, panel, template, context):
    return TemplateResponse(request, template, {"page": panel, "self": panel, **context})


def apply(request, panel):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    existing = Application.objects.filter(panel=panel, user=request.user).first()
    if existing is not None:
        return _render(request, panel, "panels/apply_done.html", {"application": existing})
    form = ApplicationForm(
        request.POST or None,
        panel=panel,
        initial={"name": request.user.display_name, "ward": request.user.ward_id},
        known_ward=request.user.ward,
    )
    if (
        request.method == "POST"
        and not form_rate_limited(request, form, "panel-apply", limit=10, period=600)
        and form.is_valid()
    ):
        try:
            application = services.application_submit(
                panel=panel, user=request.user, data=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Thank you. Your application has been received.")
            return _render(request, panel, "panels/apply_done.html", {"application": application})
    run = selectors.latest_run(panel=panel)
    stage = selectors.recruitment_stage(
        panel=panel, run=run, recommendation=selectors.published_recommendation(panel=panel)
    )
    return _render(
        request,
        panel,
        "panels/apply.html",
        {"form": form, "is_open": stage == "open", "stage": stage, "email": request.user.email},
    )


def _space_guard(request, panel):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not rules.can_enter_space(request.user, panel):
        raise PermissionDenied("This space is for the panel's members and officers.")
    return None


def space(request, panel):
    if (response := _space_guard(request, panel)) is not None:
        return response
    membership = Application.objects.members().filter(panel=panel, user=request.user).first()
    progress = selectors.scoring_progress(panel=panel, user=request.user)
    options = list(Option.objects.filter(panel=panel))
    for option in options:
        option.my_scored = progress.get(option.pk, 0)
    recommendation = Recommendation.objects.filter(panel=panel).first()
    ended = recommendation is not None and recommendation.published_at is not None
    return _render(
        request,
        panel,
        "panels/space.html",
        {
            "membership": membership,
            "meetings": Meeting.objects.filter(panel=panel),
            "options": options,
            "criteria_count": Criterion.objects.filter(panel=panel).count(),
            "can_score": membership is not None and not ended,
            "ended": ended,
            "recommendation": recommendation,
        },
    )


def membership(request, panel):
    if (response := _space_guard(request, panel)) is not None:
        return response
    if request.method != "POST":
        return redirect(panel.subpage_url("space"))
    application = Application.objects.members().filter(panel=panel, user=request.user).first()
    try:
        if application is None:
            raise ValidationError("You are not a member of this panel.")
        if request.POST.get("action") == "withdraw":
            services.member_withdraw(application=application, user=request.user)
            messages.success(request, "You have left the panel. Thank you for your time.")
            return redirect(panel.url)
        services.member_confirm(application=application, user=request.user)
        messages.success(request, "Thank you for confirming your place.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(panel.subpage_url("space"))


def meeting(request, panel, meeting_id):
    if (response := _space_guard(request, panel)) is not None:
        return response
    item = (
        Meeting.objects.filter(panel=panel, pk=meeting_id)
        .prefetch_related("papers__document")
        .first()
    )
    if item is None:
        raise Http404("No such meeting")
    return _render(
        request,
        panel,
        "panels/meeting.html",
        # Papers are linked to the members-only route, never to `document.url`.
        {"meeting": item},
    )


def paper(request, panel, meeting_id, document_id):
    """Serve a meeting paper to the panel's members and officers, as a download.

    The papers collection is restricted to Officers, so members reach papers
    only here. Never cached by shared caches or sniffed as another type.
    """
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not rules.can_download_paper(request.user, panel):
        raise PermissionDenied("Meeting papers are for the panel's members and officers.")
    document = selectors.meeting_paper(panel=panel, meeting_id=meeting_id, document_id=document_id)
    if document is None:
        raise Http404("No such paper")
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404("The paper's file is missing") from None
    document_served.send(sender=type(document), instance=document, request=request)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.filename,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


def score(request, panel, option_id):
    if (response := _space_guard(request, panel)) is not None:
        return response
    if not rules.can_score(request.user, panel):
        raise PermissionDenied("Only the panel's members score options.")
    try:
        option = services.option_or_criterion_for(panel, Option, option_id)
    except ValidationError:
        raise Http404("No such option") from None
    if selectors.panel_has_ended(panel=panel):
        messages.info(
            request,
            "The panel has published its recommendation, so the scores are final. "
            "You can read everyone's reasons on the results page.",
        )
        return redirect(panel.subpage_url("results"))
    criteria = list(Criterion.objects.filter(panel=panel))
    existing = selectors.member_scores(user=request.user, option=option)
    form = ScoreForm(request.POST or None, criteria=criteria, existing=existing)
    if request.method == "POST" and form.is_valid():
        try:
            services.scores_record(panel=panel, user=request.user, option=option, rows=form.rows())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Your scores for “{option.title}” are saved.")
            return redirect(panel.subpage_url("space"))
    return _render(request, panel, "panels/score.html", {"option": option, "form": form})


def results(request, panel):
    if (response := _space_guard(request, panel)) is not None:
        return response
    from .charts import results_chart

    appraisal = selectors.appraisal_results(panel=panel)
    return _render(
        request,
        panel,
        "panels/results.html",
        {
            "appraisal": appraisal,
            "chart": results_chart(appraisal["results"]),
            "rationales": selectors.score_rationales(panel=panel),
        },
    )


def recommendation(request, panel):
    if (response := _space_guard(request, panel)) is not None:
        return response
    current = Recommendation.objects.filter(panel=panel).first()
    published = current is not None and current.published_at is not None
    is_officer = rules.is_panel_officer(request.user, panel)
    if published:
        return _published_recommendation(request, panel, current, is_officer)
    form = RecommendationForm(
        request.POST or None, initial={"text": current.text if current else ""}
    )
    if request.method == "POST":
        publish = request.POST.get("action") == "publish"
        if form.is_valid():
            try:
                services.recommendation_save(
                    panel=panel, user=request.user, text=form.cleaned_data["text"]
                )
                if publish:
                    services.recommendation_publish(panel=panel, user=request.user)
                    messages.success(
                        request, "The recommendation is published on the panel's page."
                    )
                    return redirect(panel.url + "#recommendation")
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "The recommendation is saved as a draft.")
                return redirect(panel.subpage_url("recommendation"))
    return _render(
        request, panel, "panels/recommendation.html", {"form": form, "current": current}
    )


def _published_recommendation(request, panel, current, is_officer):
    """A published recommendation is final; the panel's officers may reopen the appraisal."""
    form = ReopenForm(request.POST or None) if is_officer else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.appraisal_reopen(
                panel=panel, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                "The appraisal is reopened: members can change their scores and the "
                "recommendation, then publish it again.",
            )
            return redirect(panel.subpage_url("recommendation"))
    return _render(
        request,
        panel,
        "panels/recommendation_published.html",
        {"current": current, "form": form},
    )


# ---------------------------------------------------------------- registration by letter

JOIN_SESSION_KEY = "panels_join_code"
# Guessing codes: at most this many tries per window from one address.
CODE_TRIES, CODE_WINDOW = 10, 900


def _wait_message():
    import math
    import time

    minutes = math.ceil((CODE_WINDOW - time.time() % CODE_WINDOW) / 60)
    return (
        "You have tried too many codes in a short while. Try again in "
        f"{minutes} minute{'s' if minutes != 1 else ''}, or phone the number on your letter."
    )


def join(request):
    """/join/: a person with an invitation letter enters its code."""
    from coproduce.ratelimit import rate_limited

    from .forms import CodeForm

    form = CodeForm(request.POST or None)
    if request.method == "POST":
        if rate_limited(request, "panel-join-code", limit=CODE_TRIES, period=CODE_WINDOW):
            form.is_valid()
            form.add_error(None, _wait_message())
        elif form.is_valid():
            try:
                invitation = services.invitation_for_code(code=form.cleaned_data["code"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                request.session[JOIN_SESSION_KEY] = invitation.code
                return redirect("panels_join_register")
    return TemplateResponse(request, "panels/join.html", {"form": form})


def join_register(request):
    """The registration form for the code held in the session (no account needed)."""
    from .forms import RegistrationForm

    code = request.session.get(JOIN_SESSION_KEY)
    if not code:
        return redirect("panels_join")
    try:
        invitation = services.invitation_for_code(code=code)
    except ValidationError:
        request.session.pop(JOIN_SESSION_KEY, None)
        messages.info(request, "That code has been used. Enter the code from your letter.")
        return redirect("panels_join")
    panel = invitation.panel.specific
    form = RegistrationForm(request.POST or None, panel=panel)
    if (
        request.method == "POST"
        and not form_rate_limited(request, form, "panel-join", limit=10, period=600)
        and form.is_valid()
    ):
        try:
            application = services.registration_submit(code=code, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            request.session.pop(JOIN_SESSION_KEY, None)
            return TemplateResponse(
                request, "panels/join_done.html", {"page": panel, "application": application}
            )
    run = selectors.latest_run(panel=panel)
    stage = selectors.recruitment_stage(
        panel=panel, run=run, recommendation=selectors.published_recommendation(panel=panel)
    )
    return _render(
        request,
        panel,
        "panels/join_register.html",
        {"form": form, "invitation": invitation, "is_open": stage == "open", "stage": stage},
    )
