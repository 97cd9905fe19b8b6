"""Officers' themes pages in the Wagtail admin. Views parse and call services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from commissioning.exports import FORMATS, table_response
from commissioning.models import EngagementPage, ProgrammePage
from commissioning.stages import STAGE_LABELS, STAGES
from commissioning.summaries import Table

from . import rules, selectors, services
from .forms import MergeForm, MoveForm, ProposeForm, SplitForm, ThemeForm
from .models import Assignment, Suggestion, Theme, ThemeSet
from .scopes import scope_for, themed_engagements
from .sources import text_provider


def _can_view(request):
    if not rules.can_view_themes(request.user):
        raise PermissionDenied


def _set_for(request, set_id, *, manage=False):
    theme_set = get_object_or_404(
        ThemeSet.objects.select_related("engagement", "programme"), pk=set_id
    )
    allowed = rules.can_manage_themes if manage else rules.can_view_themes
    if not allowed(request.user, theme_set):
        raise PermissionDenied
    return theme_set


def _base_context(theme_set, title):
    scope = scope_for(theme_set)
    return {
        "theme_set": theme_set,
        "scope": scope,
        "header_title": title,
        "breadcrumbs_items": [
            {"url": reverse("wagtailadmin_home"), "label": "Dashboard"},
            {"url": reverse("themes_index"), "label": "Themes"},
            {"url": scope.url(), "label": scope.title},
            {"url": "", "label": title},
        ],
    }


def _add_errors(form, error):
    """Show a service's refusal on the form: by field when it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def index(request):
    _can_view(request)
    engagements = themed_engagements().select_related("content_type").order_by("path")
    programmes = ProgrammePage.objects.order_by("title", "pk")
    by_programme = {}
    for engagement in engagements:
        by_programme.setdefault(engagement.path[: -engagement.steplen], []).append(engagement)
    rows = [
        {
            "programme": programme,
            "engagements": by_programme.get(programme.path, []),
            "stages": sorted(
                {e.stage for e in by_programme.get(programme.path, [])},
                key=[key for key, _ in STAGES].index,
            ),
        }
        for programme in programmes
    ]
    return TemplateResponse(
        request,
        "commissioning/themes/index.html",
        {
            "rows": [row for row in rows if row["engagements"]],
            "stage_labels": STAGE_LABELS,
            "header_title": "Themes from free text",
            "page_title": "Themes from free text",
            "header_icon": "tag",
        },
    )


def engagement_themes(request, engagement_id):
    _can_view(request)
    engagement = get_object_or_404(EngagementPage, pk=engagement_id)
    if text_provider(engagement.specific_class or EngagementPage) is None:
        raise Http404("This kind of engagement has no free text.")
    theme_set = services.theme_set_for(engagement=engagement)
    return _theme_set_page(request, theme_set)


def stage_themes(request, programme_id, stage):
    _can_view(request)
    programme = get_object_or_404(ProgrammePage, pk=programme_id)
    if stage not in STAGE_LABELS:
        raise Http404("No such stage.")
    theme_set = services.theme_set_for(programme=programme, stage=stage)
    return _theme_set_page(request, theme_set)


def _theme_set_page(request, theme_set, *, propose_form=None, status=200):
    if not theme_set.is_running:
        theme_set = services.themes_refresh(theme_set=theme_set)
    scope = scope_for(theme_set)
    context = _base_context(theme_set, "Themes")
    context["breadcrumbs_items"] = context["breadcrumbs_items"][:-2] + [
        {"url": "", "label": scope.title}
    ]
    context.update(
        {
            "header_title": f"Themes: {scope.title}",
            "themes": selectors.theme_rows(theme_set),
            "totals": selectors.set_totals(theme_set),
            "suggestions": theme_set.suggestions.filter(used=False, dismissed=False),
            "low_confidence": selectors.low_confidence(theme_set),
            "campaigns": selectors.campaigns(theme_set),
            "propose_form": propose_form or ProposeForm(),
            "can_manage": rules.can_manage_themes(request.user, theme_set),
            "move_form": MoveForm(theme_set=theme_set),
            "refresh": theme_set.is_running,
        }
    )
    return TemplateResponse(request, "commissioning/themes/theme_set.html", context, status=status)


@require_POST
def propose(request, set_id):
    theme_set = _set_for(request, set_id, manage=True)
    form = ProposeForm(request.POST)
    if form.is_valid():
        try:
            services.themes_propose_start(
                theme_set=theme_set, user=request.user, count=form.cleaned_data["count"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Suggesting themes. This page shows the progress.")
            return redirect(scope_for(theme_set).url())
    return _theme_set_page(request, theme_set, propose_form=form, status=400)


def _form_page(request, theme_set, form, *, title, template, extra=None, status=200):
    context = _base_context(theme_set, title)
    context.update({"form": form, **(extra or {})})
    return TemplateResponse(request, template, context, status=status)


def _edit_view(request, theme_set, *, form, title, save, success, extra=None):
    """GET shows `form`; POST runs `save(cleaned_data)` and redirects to the set."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(scope_for(theme_set).url())
    status = 400 if request.method == "POST" else 200
    return _form_page(
        request,
        theme_set,
        form,
        title=title,
        template="commissioning/themes/form.html",
        extra=extra,
        status=status,
    )


def _data(request):
    return request.POST if request.method == "POST" else None


def add(request, set_id):
    theme_set = _set_for(request, set_id, manage=True)
    return _edit_view(
        request,
        theme_set,
        form=ThemeForm(_data(request)),
        title="Add a theme",
        save=lambda data: services.theme_add(theme_set=theme_set, user=request.user, **data),
        success="Theme added. Responses are being mapped to it.",
        extra={"submit": "Add theme"},
    )


def _theme(theme_set, theme_id):
    return get_object_or_404(Theme, pk=theme_id, theme_set=theme_set)


def edit(request, set_id, theme_id):
    theme_set = _set_for(request, set_id, manage=True)
    theme = _theme(theme_set, theme_id)
    initial = {"name": theme.name, "words": theme.words}
    return _edit_view(
        request,
        theme_set,
        form=ThemeForm(_data(request), initial=initial),
        title=f"Rename “{theme.name}”",
        save=lambda data: services.theme_update(theme=theme, user=request.user, **data),
        success="Theme saved.",
        extra={"submit": "Save", "theme": theme},
    )


def merge(request, set_id, theme_id):
    theme_set = _set_for(request, set_id, manage=True)
    theme = _theme(theme_set, theme_id)
    return _edit_view(
        request,
        theme_set,
        form=MergeForm(_data(request), theme=theme),
        title=f"Merge “{theme.name}” into another theme",
        save=lambda data: services.theme_merge(theme=theme, into=data["into"], user=request.user),
        success=f"“{theme.name}” was merged.",
        extra={"submit": "Merge", "theme": theme},
    )


def split(request, set_id, theme_id):
    theme_set = _set_for(request, set_id, manage=True)
    theme = _theme(theme_set, theme_id)
    return _edit_view(
        request,
        theme_set,
        form=SplitForm(_data(request)),
        title=f"Split a new theme out of “{theme.name}”",
        save=lambda data: services.theme_split(theme=theme, user=request.user, **data),
        success="New theme added; the responses are divided between them.",
        extra={
            "submit": "Split",
            "theme": theme,
            "intro": "Name the part you want to take out. Every response, in this theme "
            "and the others, is then mapped to whichever theme it is closest to.",
        },
    )


def discard(request, set_id, theme_id):
    theme_set = _set_for(request, set_id, manage=True)
    theme = _theme(theme_set, theme_id)
    if request.method == "POST":
        services.theme_discard(theme=theme, user=request.user)
        messages.success(request, f"“{theme.name}” was discarded.")
        return redirect(scope_for(theme_set).url())
    return _form_page(
        request,
        theme_set,
        None,
        title=f"Discard “{theme.name}”",
        template="commissioning/themes/discard.html",
        extra={"theme": theme},
    )


def use_suggestion(request, set_id, suggestion_id):
    theme_set = _set_for(request, set_id, manage=True)
    suggestion = get_object_or_404(Suggestion, pk=suggestion_id, theme_set=theme_set)
    initial = {"words": ", ".join(suggestion.key_terms)}
    return _edit_view(
        request,
        theme_set,
        form=ThemeForm(_data(request), initial=initial),
        title="Name a suggested theme",
        save=lambda data: services.suggestion_use(
            suggestion=suggestion, user=request.user, **data
        ),
        success="Theme added. Responses are being mapped to it.",
        extra={"submit": "Use as a theme", "suggestion": suggestion},
    )


@require_POST
def dismiss_suggestion(request, set_id, suggestion_id):
    theme_set = _set_for(request, set_id, manage=True)
    suggestion = get_object_or_404(Suggestion, pk=suggestion_id, theme_set=theme_set)
    services.suggestion_dismiss(suggestion=suggestion, user=request.user)
    messages.success(request, "Suggestion dismissed.")
    return redirect(scope_for(theme_set).url())


def _which(theme_set, which):
    if which in ("other", "low"):
        return {"other": "Other", "low": "Needs checking"}[which]
    theme = theme_set.themes.filter(pk=which).first() if which.isdigit() else None
    if theme is None:
        raise Http404("No such theme.")
    return theme.name


def responses(request, set_id):
    theme_set = _set_for(request, set_id)
    which = request.GET.get("which", "low")
    label = _which(theme_set, which)
    page = Paginator(selectors.responses(theme_set, which), 50).get_page(request.GET.get("p"))
    context = _base_context(theme_set, f"Responses: {label}")
    context.update(
        {
            "page": page,
            "which": which,
            "label": label,
            "can_manage": rules.can_manage_themes(request.user, theme_set),
            "move_form": MoveForm(theme_set=theme_set),
        }
    )
    return TemplateResponse(request, "commissioning/themes/responses.html", context)


def move(request, set_id, assignment_id):
    theme_set = _set_for(request, set_id, manage=True)
    assignment = get_object_or_404(Assignment, pk=assignment_id, theme_set=theme_set)
    form = MoveForm(_data(request), theme_set=theme_set)
    if request.method == "POST" and form.is_valid():
        try:
            services.response_move(
                assignment=assignment, theme=form.chosen_theme(), user=request.user
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"Response moved to “{form.chosen_theme() or 'Other'}”.")
            return redirect(_next(request) or scope_for(theme_set).url())
    status = 400 if request.method == "POST" else 200
    return _form_page(
        request,
        theme_set,
        form,
        title="Move a response",
        template="commissioning/themes/form.html",
        extra={"submit": "Move", "assignment": assignment},
        status=status,
    )


def _next(request):
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else ""


def export(request, set_id):
    theme_set = _set_for(request, set_id)
    fmt = request.GET.get("format", "csv")
    if fmt not in FORMATS:
        raise Http404("Unknown format.")
    table = Table(
        caption="Responses by theme",
        columns=selectors.EXPORT_COLUMNS,
        rows=list(selectors.export_rows(theme_set)),
    )
    return table_response(table, fmt=fmt, filename=f"themes-{scope_for(theme_set).slug}")
