"""The signed-in resident's own pages: profile, data download, account deletion.

Thin: parse the request, check the rule, call the service.
"""

import json
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from coproduce.ratelimit import form_rate_limited

from . import rules
from .forms import AccountDeleteForm, ConfirmationResendForm, ProfileForm
from .selectors import user_data_export
from .services import email_confirmation_resend, user_account_delete, user_profile_update

PARTICIPATION_PATH = "/my/participation/"


@login_required
def profile(request):
    user = request.user
    if not rules.can_edit_profile(user):
        raise PermissionDenied
    form = ProfileForm.for_user(user, data=request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form_rate_limited(request, form, "accounts.profile", limit=30, period=600):
            status = 429
        elif form.is_valid():
            try:
                user_profile_update(user=user, **form.service_arguments())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "Your profile has been saved.")
                return redirect("accounts:profile")
    return TemplateResponse(
        request,
        "account/profile.html",
        {
            "form": form,
            "participation_url": PARTICIPATION_PATH,
            "can_delete": rules.can_delete_account(user),
        },
        status=status,
    )


@login_required
@require_GET
def data_download(request):
    if not rules.can_download_data(request.user):
        return TemplateResponse(request, "account/data_download_refused.html", status=403)
    data = user_data_export(user=request.user)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    filename = f"coproduce-my-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def account_delete(request):
    user = request.user
    if not rules.can_delete_account(user):
        return TemplateResponse(request, "account/delete_refused.html", status=403)
    form = AccountDeleteForm(request.POST if request.method == "POST" else None, user=user)
    status = 200
    if request.method == "POST":
        if form_rate_limited(request, form, "accounts.delete", limit=5, period=600):
            status = 429
        elif form.is_valid():
            user_account_delete(user=user, **form.service_arguments())
            logout(request)
            return redirect("accounts:deleted")
    return TemplateResponse(request, "account/delete.html", {"form": form}, status=status)


def account_deleted(request):
    return TemplateResponse(request, "account/deleted.html")


def _login_redirect(request, default):
    target = request.GET.get("next") or default
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = default
    return redirect(f"{reverse('account_login')}?{urlencode({'next': target})}")


def admin_login_redirect(request):
    """/admin/login/ (GET or POST) goes to allauth's sign-in, keeping where to go next."""
    return _login_redirect(request, "/admin/")


def frontend_login_redirect(request):
    """Wagtail's sign-in for private pages (/_util/login/) goes to allauth's too."""
    return _login_redirect(request, "/")


def admin_password_reset_redirect(request):
    """Wagtail's password reset sends no email: allauth's has the rate limits."""
    return redirect("account_reset_password")


def confirmation_resend(request):
    """ "Send the confirmation email again": for people who are not signed in yet."""
    form = ConfirmationResendForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form_rate_limited(request, form, "accounts.confirmation_resend", limit=5, period=600):
            status = 429
        elif form.is_valid():
            email_confirmation_resend(request=request, email=form.cleaned_data["email"])
            return TemplateResponse(
                request,
                "account/confirmation_resent.html",
                {"email": form.cleaned_data["email"]},
            )
    return TemplateResponse(
        request, "account/confirmation_resend.html", {"form": form}, status=status
    )


@login_required
def about_you(request):
    """What a resident tells us about themselves, with consent; withdrawing deletes it."""
    from commissioning.services import demographic_profile_save, demographic_profile_withdraw

    from .forms import AboutYouForm

    user = request.user
    if not rules.can_edit_profile(user):
        raise PermissionDenied
    data = request.POST if request.method == "POST" and "withdraw" not in request.POST else None
    form, profile = AboutYouForm.for_user(user, data=data)
    status = 200
    if request.method == "POST" and "withdraw" in request.POST:
        demographic_profile_withdraw(user=user)
        messages.success(request, "Your answers about yourself have been deleted.")
        return redirect("accounts:profile")
    if request.method == "POST":
        if form_rate_limited(request, form, "accounts.about_you", limit=30, period=600):
            status = 429
        elif form.is_valid():
            try:
                demographic_profile_save(user=user, **form.service_arguments())
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, "Thank you: your answers about yourself are saved.")
                return redirect("accounts:profile")
    return TemplateResponse(
        request, "account/about_you.html", {"form": form, "profile": profile}, status=status
    )


def _add_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
