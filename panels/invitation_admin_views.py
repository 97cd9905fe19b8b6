"""Officers' civic lottery pages in the Wagtail admin: addresses, invitation draw, letters,
assisted registration and response tracking.

Registered by `viewsets.InvitationViewSet`; every view checks `rules`
(only the panel's own officers) and calls services.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse

from commissioning.models import Ward
from coproduce.forms import add_service_errors
from coproduce.selectors import messages_overview

from . import rules, selectors, services
from .admin_forms import DrawForm, ImportForm
from .forms import AssistedRegistrationForm
from .invitations import invitations_reproduce
from .models import InvitationDraw, PanelPage, PrintBatch
from .notifications import panel_messages_retry, panel_scope

REFUSED_SHOWN = 200


def _panel_for(request, panel_id):
    panel = get_object_or_404(PanelPage, pk=panel_id)
    if not rules.is_panel_officer(request.user, panel):
        raise PermissionDenied
    return panel


def _handle_post(request, panel, import_form, draw_form):
    action = request.POST.get("action")
    if action == "import" and import_form.is_valid():
        upload = import_form.cleaned_data["file"]
        try:
            report = services.addresses_import(panel=panel, user=request.user, data=upload.read())
        except ValidationError as error:
            add_service_errors(import_form, error)
            return None, None
        messages.success(
            request,
            f"{report.imported:,} addresses imported, {report.refused_count:,} refused.",
        )
        return report, None
    if action == "draw" and draw_form.is_valid():
        data = draw_form.cleaned_data
        try:
            services.invitations_draw(
                panel=panel,
                user=request.user,
                size=data["size"],
                seed=data["seed"],
                factors=draw_form.factors(),
            )
        except ValidationError as error:
            add_service_errors(draw_form, error)
            return None, None
        messages.success(request, "Invitations drawn. Make the letters next.")
        return None, redirect("panels_invitations:panel", panel.pk)
    if action == "resend":
        count = panel_messages_retry(panel=panel, user=request.user)
        messages.success(request, f"{count:,} message{pluralize(count)} queued to be sent again.")
        return None, redirect("panels_invitations:panel", panel.pk)
    if action in ("letters", "clear"):
        try:
            if action == "letters":
                batch = services.letters_request(panel=panel, user=request.user)
                messages.success(
                    request,
                    "The letters are being sent to GOV.UK Notify: refresh in a moment."
                    if batch.delivery == PrintBatch.NOTIFY
                    else "The letters are being made: refresh in a moment.",
                )
            else:
                deleted = services.addresses_clear(panel=panel, user=request.user)
                messages.success(request, f"{deleted:,} addresses removed.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return None, redirect("panels_invitations:panel", panel.pk)
    return None, None


def panel(request, panel_id):
    panel = _panel_for(request, panel_id)
    wards = list(Ward.objects.order_by("name", "pk"))
    post = request.method == "POST"
    action = request.POST.get("action") if post else None
    import_form = ImportForm(
        request.POST if action == "import" else None,
        request.FILES if action == "import" else None,
    )
    draw_form = DrawForm(request.POST if action == "draw" else None, wards=wards)
    report = None
    if post:
        report, response = _handle_post(request, panel, import_form, draw_form)
        if response is not None:
            return response
    draw = InvitationDraw.objects.filter(panel=panel).select_related("created_by").first()
    return TemplateResponse(
        request,
        "panels/admin/invitations.html",
        {
            "panel": panel,
            "import_form": import_form,
            "draw_form": draw_form,
            "factor_fields": [draw_form[f"factor_{w.slug}"] for w in wards],
            "report": report,
            "refused": report.refused[:REFUSED_SHOWN] if report else [],
            "refused_shown": REFUSED_SHOWN,
            "draw": draw,
            "draw_rows": selectors.invitation_draw_rows(draw=draw, wards=wards) if draw else [],
            "addresses": selectors.addresses_by_ward(panel=panel, wards=wards),
            "batches": PrintBatch.objects.filter(panel=panel).defer("pdf"),
            "letters_sent_by_notify": PrintBatch.objects.filter(
                panel=panel,
                kind=PrintBatch.INVITATIONS,
                delivery=PrintBatch.NOTIFY,
                status=PrintBatch.READY,
            ).exists(),
            "reproduces": invitations_reproduce(draw)
            if draw and request.GET.get("verify")
            else None,
            **messages_overview(panel_scope(panel)),
        },
    )


def letters_download(request, batch_id):
    batch = get_object_or_404(PrintBatch.objects.select_related("panel"), pk=batch_id)
    if not rules.is_panel_officer(request.user, batch.panel):
        raise PermissionDenied
    if batch.status != PrintBatch.READY or not batch.pdf:
        raise Http404("These letters are not ready.")
    response = HttpResponse(bytes(batch.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{batch.filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def assisted(request, panel_id):
    """An officer enters a registration received by phone or on a paper slip."""
    panel = _panel_for(request, panel_id)
    form = AssistedRegistrationForm(request.POST or None, panel=panel)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.registration_submit(
                code=form.cleaned_data["code"],
                data=form.cleaned_data,
                channel=form.cleaned_data["channel"],
                entered_by=request.user,
                panel=panel,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{application.name} is registered ({application.get_channel_display()}).",
            )
            return redirect("panels_invitations:assisted", panel.pk)
    return TemplateResponse(request, "panels/admin/assisted.html", {"panel": panel, "form": form})


def tracking(request, panel_id):
    panel = _panel_for(request, panel_id)
    return TemplateResponse(
        request,
        "panels/admin/tracking.html",
        {"panel": panel, **selectors.response_tracking(panel=panel)},
    )
