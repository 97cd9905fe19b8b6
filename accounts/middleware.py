"""Staff sign in with a second factor before they reach any page but allauth's own.

allauth's MFA asks for the second factor at sign-in of everyone who has set
one up; this middleware makes it a duty for staff (`rules.needs_two_factor`):

- a staff member with no authenticator app or security key is sent to set
  up an authenticator app (then their recovery codes) before anything else;
- a staff session that has not passed allauth's second step (allauth
  records each step of a sign-in in the session) is sent to enter a code,
  which covers sessions begun before the person became staff or before
  they set the app up.

Every path is covered except `STAFF_TWO_FACTOR_EXEMPT_PREFIXES` (allauth's
pages, the admin's sign-in redirects, static files), so a new staff-only view
is protected without a line here.
"""

from urllib.parse import urlencode

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from .rules import needs_two_factor

SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def session_passed_two_factor(request, user):
    return any(
        record.get("method") == "mfa" for record in get_authentication_records(request, user)
    )


def two_factor_redirect(request):
    """Where a staff request without a second factor must go first, or None."""
    path = request.path_info
    if path.startswith(tuple(settings.STAFF_TWO_FACTOR_EXEMPT_PREFIXES)):
        return None
    user = request.user
    if not needs_two_factor(user, admin=path.startswith("/admin/")):
        return None
    if session_passed_two_factor(request, user):
        return None
    if Authenticator.objects.filter(user_id=user.pk, type__in=SECOND_FACTORS).exists():
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse('mfa_reauthenticate')}?{query}")
    return redirect("mfa_activate_totp")


class StaffTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return two_factor_redirect(request) or self.get_response(request)
