"""One way out for email: one base URL, the council's name, and the task queue.

Every email the project sends (allauth's, decisions, asset moderation, panel
draws, the new-engagement digest) builds its links with `site_url`/`page_url`,
which read `WAGTAILADMIN_BASE_URL` only, never the request's host or a Wagtail
site's hostname, and signs off with `email_context()["council_name"]`.

`QueuedEmailBackend` is the project's EMAIL_BACKEND: `send()` puts the message
on the django-tasks queue and returns at once, so a mail outage never breaks
the request that wanted to send it. `email_deliver_task` hands it to the real
backend (`EMAIL_DELIVERY_BACKEND`) and, on a queue that can defer, retries
with a growing delay.
"""

import base64
import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

# Delays before the 2nd, 3rd, … attempt; after the last one the message is given up
# (logged as an error) and the person can ask for it again.
RETRY_DELAYS = [
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
]


def site_url(path=""):
    """The public address of `path` (which starts with "/"), for links in emails."""
    base = (getattr(settings, "WAGTAILADMIN_BASE_URL", "") or "").rstrip("/")
    return base + (path or "/")


def page_url(page, route=None):
    """A Wagtail page's public address under `site_url`, whatever its Site's hostname.

    `route`: one of a routable page's named routes (as `EngagementPage.subpage_url`).
    """
    parts = page.get_url_parts()
    path = parts[2] if parts else "/"
    if route:
        path += page.reverse_subpage(route)
    return site_url(path)


def email_context():
    """What every email template may use: the council's and the service's names, the site."""
    from wagtail.models import Site

    from .models import SiteSettings

    site = Site.objects.filter(is_default_site=True).first()
    names = SiteSettings.for_site(site) if site else SiteSettings()
    return {
        "council_name": names.council_name,
        "service_name": names.service_name,
        "site_url": site_url("/"),
    }


def email_subject(subject, context=None):
    """'<service name>: <subject>', the same prefix on every email."""
    service = (context or email_context())["service_name"]
    return f"{service}: {subject}" if service else subject


# The queue


def message_serialise(message):
    """A JSON-safe dict of an EmailMessage (task arguments must be JSON)."""
    attachments = []
    for attachment in message.attachments:
        filename, content, mimetype = tuple(attachment)[:3]
        if isinstance(content, str):
            content = content.encode()
        attachments.append([filename, base64.b64encode(content).decode("ascii"), mimetype])
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": {str(k): str(v) for k, v in (message.extra_headers or {}).items()},
        "content_subtype": message.content_subtype,
        "alternatives": [
            [str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
        "attachments": attachments,
    }


def message_deserialise(data):
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
    )
    message.content_subtype = data["content_subtype"]
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    for filename, content, mimetype in data["attachments"]:
        message.attach(filename, base64.b64decode(content), mimetype)
    return message


def _deliver(data):
    connection = get_connection(settings.EMAIL_DELIVERY_BACKEND, fail_silently=False)
    connection.send_messages([message_deserialise(data)])


@task()
def email_deliver_task(*, message, attempt=1):
    """Send one queued message; on failure queue the next attempt, if any is left."""
    try:
        _deliver(message)
    except Exception as error:
        delays = RETRY_DELAYS[attempt - 1 :]
        backend = email_deliver_task.get_backend()
        if not delays or not backend.supports_defer:
            logger.error(
                "Gave up sending %r to %s after %s attempt(s): %s",
                message["subject"],
                ", ".join(message["to"]),
                attempt,
                error,
            )
            raise
        logger.warning(
            "Sending %r failed (attempt %s), retrying: %s", message["subject"], attempt, error
        )
        email_deliver_task.using(run_after=timezone.now() + delays[0]).enqueue(
            message=message, attempt=attempt + 1
        )
        return {"sent": False, "attempt": attempt}
    return {"sent": True, "attempt": attempt}


class QueuedEmailBackend(BaseEmailBackend):
    """EMAIL_BACKEND that queues each message for `email_deliver_task`."""

    def send_messages(self, email_messages):
        count = 0
        for message in email_messages:
            if not message.recipients():
                continue
            email_deliver_task.enqueue(message=message_serialise(message))
            count += 1
        return count
