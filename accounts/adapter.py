"""allauth in the council's voice, with the site's one public address."""

from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.urls import reverse

from coproduce.mail import email_context, email_subject, site_url

EMAIL_CONFIRMED = "account/messages/email_confirmed.txt"
LOGGED_IN = "account/messages/logged_in.txt"


def rebase_url(url, request):
    """`url` under the configured base URL when allauth built it from the request's host."""
    if not isinstance(url, str) or request is None:
        return url
    parts = urlsplit(url)
    if not (parts.scheme and parts.netloc) or parts.netloc != request.get_host():
        return url
    return site_url(urlunsplit(("", "", parts.path, parts.query, parts.fragment)))


class AccountAdapter(DefaultAccountAdapter):
    """Emails and messages of allauth, the project's way.

    allauth builds the links in its emails from the request's host; every
    email of the project instead links to `coproduce.mail.site_url`, so the
    links here are rebased onto it. Templates under `templates/account/email/`
    speak for the council (`council_name` in their context).
    """

    def format_email_subject(self, subject):
        return email_subject(subject)

    def send_mail(self, template_prefix, email, context):
        request = context.get("request") or getattr(self, "request", None)
        context = {
            **email_context(),
            "login_url": site_url(reverse("account_login")),
            "reset_request_url": site_url(reverse("account_reset_password")),
            **{key: rebase_url(value, request) for key, value in context.items()},
        }
        super().send_mail(template_prefix, email, context)

    def add_message(self, request, level, message_template=None, *args, **kwargs):
        # Confirming an email also signs the person in: one banner says both.
        if message_template == EMAIL_CONFIRMED:
            request._coproduce_email_confirmed = True
        elif message_template == LOGGED_IN and getattr(request, "_coproduce_email_confirmed", 0):
            return
        super().add_message(request, level, message_template, *args, **kwargs)


class MFAAdapter(DefaultMFAAdapter):
    """allauth's two-factor sign-in in the council's wording, and staff keep theirs.

    Staff must have an authenticator app or a security key (see
    `accounts.middleware`): they cannot take away the last one, only replace it.
    """

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": (
            "You cannot turn off two-factor sign-in: staff accounts need it. "
            "Add a security key first if you want to stop using your authenticator app."
        ),
        "incorrect_code": (
            "The code is not right. Enter the 6-digit code your authenticator app shows now, "
            "or one of your recovery codes."
        ),
        "unverified_email": (
            "Confirm your email address before you set up two-factor sign-in: "
            "we have sent you a link."
        ),
    }

    def can_delete_authenticator(self, authenticator):
        from allauth.mfa.models import Authenticator

        from .rules import needs_two_factor

        if not needs_two_factor(authenticator.user):
            return True
        others = Authenticator.objects.filter(
            user_id=authenticator.user_id,
            type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN],
        ).exclude(pk=authenticator.pk)
        return others.exists()
