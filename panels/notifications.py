"""What panels tell people, and by which channel; sent through `coproduce.messaging`.

- A registration by code is confirmed by email, or by text message when the
  person gave a mobile number and no email.
- The draw's result goes by email; to people who gave no email, by letter
  (through GOV.UK Notify, one PDF each, when the council uses it; otherwise
  into one PDF for the print room) and, with Notify, a text message too when
  they gave a mobile number.
- Invitation letters go to Notify one PDF each when the council uses it;
  otherwise the print room gets one PDF (`PrintBatch`).

Every message is recorded under the panel's scope, so the officers' pages
show what went out through which route and what failed. Keys name the
invitation, application or lottery entry, so queueing twice sends once.
"""

import re

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format

from coproduce.mail import email_context, email_subject, page_url
from coproduce.messaging import (
    EMAIL,
    LETTER,
    SMS,
    can_send,
    message_build,
    messages_queue,
    messages_retry,
)

from . import rules

UK_MOBILE_RE = re.compile(r"^(?:\+44|0044|0)7\d{9}$")


def panel_scope(panel_or_id):
    return f"panels.panel:{getattr(panel_or_id, 'pk', panel_or_id)}"


def is_uk_mobile(phone):
    """Whether a number can take a text message (Notify sends to UK mobiles here)."""
    return bool(UK_MOBILE_RE.match(re.sub(r"[\s()\-.]", "", phone or "")))


def _context(panel, **extra):
    return {
        **email_context(),
        "panel": panel,
        "panel_url": page_url(panel),
        "space_url": page_url(panel, "space"),
        "closes": date_format(timezone.localtime(panel.closes_at), "j F Y")
        if panel.closes_at
        else "",
        **extra,
    }


def registration_confirm(application):
    """Queue the confirmation of a registration by code (sent once the registration commits)."""
    panel = application.panel
    context = _context(panel, application=application)
    common = {"key": f"panels.registration:{application.pk}", "scope": panel_scope(panel)}
    if application.email:
        message = message_build(
            channel=EMAIL,
            recipient=application.email,
            subject=email_subject(f"You are registered for the {panel.title}", context),
            body=render_to_string("panels/email/registration_confirmed.txt", context),
            **common,
        )
    elif is_uk_mobile(application.phone):
        message = message_build(
            channel=SMS,
            recipient=application.phone,
            subject=f"You are registered for the {panel.title}",  # for officers' lists only
            body=render_to_string("panels/sms/registration_confirmed.txt", context).strip(),
            **common,
        )
    else:
        return  # a landline: the officer who took the call confirmed it; the result goes by post
    messages_queue([message])


def _result_email(run, entry, shared):
    application = entry.application
    context = {**shared, "run": run, "application": application, "selected": entry.selected}
    subject = (
        f"You have a place on the {run.panel.title}"
        if entry.selected
        else f"The {run.panel.title} draw"
    )
    return message_build(
        key=f"panels.result:{entry.pk}",
        scope=panel_scope(run.panel_id),
        channel=EMAIL,
        recipient=application.email,
        subject=email_subject(subject, shared),
        body=render_to_string("panels/email/draw_result.txt", context),
    )


def _result_posts(run, entries, shared):
    """A letter (one PDF each) and, to a mobile, a text message for each of `entries`."""
    from .letters import result_letter_pdfs

    scope = panel_scope(run.panel_id)
    for entry, address, pdf in result_letter_pdfs(run, entries):
        yield message_build(
            key=f"panels.result-letter:{entry.pk}",
            scope=scope,
            channel=LETTER,
            recipient=", ".join(address),
            subject=f"Draw result: {run.panel.title}",
            pdf=pdf,
        )
        if is_uk_mobile(entry.application.phone):
            context = {**shared, "application": entry.application, "selected": entry.selected}
            yield message_build(
                key=f"panels.result-sms:{entry.pk}",
                scope=scope,
                channel=SMS,
                recipient=entry.application.phone,
                subject=f"Draw result: {run.panel.title}",
                body=render_to_string("panels/sms/draw_result.txt", context).strip(),
            )


def draw_results_send(run):
    """Tell the run's pool the result; True when letters are left for the print room."""
    from .selectors import letter_recipients

    shared = _context(run.panel, run=run)
    entries = run.entries.select_related("application").order_by("pk")
    if run.kind == run.REPLACEMENT:
        # The others were told they were not selected after the first draw.
        entries = entries.filter(selected=True)
    messages_queue(
        _result_email(run, entry, shared) for entry in entries.exclude(application__email="")
    )
    by_post = letter_recipients(run=run)
    if not by_post.exists():
        return False
    if not can_send(LETTER):
        return True
    messages_queue(_result_posts(run, by_post, shared))
    return False


def invitation_letters_send(panel):
    """Queue each invitation letter to GOV.UK Notify as its own PDF; returns how many."""
    from .letters import invitation_letter_pdfs

    count = 0

    def messages():
        nonlocal count
        for invitation, address, pdf in invitation_letter_pdfs(panel):
            count += 1
            yield message_build(
                key=f"panels.invitation:{invitation.pk}",
                scope=panel_scope(panel),
                channel=LETTER,
                recipient=", ".join(address),
                subject=f"Invitation: {panel.title}",
                pdf=pdf,
            )

    messages_queue(messages())
    return count


def panel_messages_retry(*, panel, user):
    """An officer sends the panel's failed messages again; returns how many."""
    if not rules.is_panel_officer(user, panel):
        raise ValidationError("Only this panel's officers can resend its messages.")
    return messages_retry(scope=panel_scope(panel))
