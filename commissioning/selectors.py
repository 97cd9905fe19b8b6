"""Reads of the commissioning spine shared by pages, views and the home page.

Each function runs a fixed number of queries whatever the number of
programmes, engagements or participations: engagements are read through the
concrete `EngagementPage` table (one query across every kind), and each
engagement's programme is its parent in the page tree, found by path.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Q, prefetch_related_objects
from django.utils import timezone
from wagtail.models import Page

from coproduce.cache import GENERATION_KEY, remembered
from coproduce.restrictions import public_pages

from .cycle import cycle_svg
from .models import DecisionPage, EngagementPage, Participation, ProgrammePage
from .sections import programme_sections
from .stages import STAGE_LABELS, STAGE_ORDER


@dataclass
class EngagementItem:
    """What a list of engagements shows about one, without loading its specific page."""

    page: EngagementPage
    title: str
    url: str
    kind: str
    stage: str
    stage_label: str
    state: str
    opens_at: datetime
    closes_at: datetime
    introduction: str = ""
    programme_title: str = ""
    programme_url: str = ""


def _parent_path(page):
    return page.path[: -Page.steplen]


def _engagement_item(page, *, request, now, programme=None):
    return EngagementItem(
        page=page,
        title=page.title,
        url=page.get_url(request=request) or "",
        kind=page.kind,
        stage=page.stage,
        stage_label=STAGE_LABELS.get(page.stage, page.stage),
        state=page.state(now),
        opens_at=page.opens_at,
        closes_at=page.closes_at,
        introduction=page.introduction,
        programme_title=programme.title if programme else "",
        programme_url=(programme.get_url(request=request) or "") if programme else "",
    )


def _programmes_by_path(paths):
    """Live programmes whose paths are in `paths`, keyed by path (one query)."""
    paths = set(paths)
    if not paths:
        return {}
    return {p.path: p for p in ProgrammePage.objects.live().filter(path__in=paths)}


def _engagements():
    return public_pages(EngagementPage.objects.live()).order_by("closes_at", "pk")


# Take part now


def take_part_engagements(*, ward=None, stage=None, now=None):
    """Open engagements across programmes, soonest closing first (a queryset).

    `ward` keeps engagements whose programme covers that ward or the whole
    borough (a programme with no wards).
    """
    now = now or timezone.now()
    engagements = _engagements().open(now)
    if stage:
        engagements = engagements.filter(stage=stage)
    if ward is not None:
        paths = (
            ProgrammePage.objects.live()
            .filter(Q(wards=ward) | Q(wards__isnull=True))
            .values_list("path", flat=True)
        )
        condition = Q(pk__in=[])
        for path in set(paths):
            condition |= Q(path__startswith=path, depth=len(path) // Page.steplen + 1)
        engagements = engagements.filter(condition)
    return engagements


def engagement_items(*, engagements, request, now=None):
    """EngagementItems for a page of engagements, with their programmes (one query)."""
    now = now or timezone.now()
    engagements = list(engagements)
    programmes = _programmes_by_path(_parent_path(e) for e in engagements)
    return [
        _engagement_item(e, request=request, now=now, programme=programmes.get(_parent_path(e)))
        for e in engagements
    ]


def home_take_part(*, request, limit=3, now=None):
    """The open engagements closing soonest, for the home page."""
    return engagement_items(
        engagements=take_part_engagements(now=now)[:limit], request=request, now=now
    )


# Programmes


def _stage_rows(programme, today):
    """The programme's stages with their state relative to the current one."""
    # One query: current_stage reads the same prefetched stages.
    prefetch_related_objects([programme], "stages")
    stages = list(programme.stages.all())
    current = programme.current_stage(today)
    rows = []
    seen_current = current is None
    for stage in stages:
        if stage is current or (current is not None and stage.pk == current.pk):
            state = "current"
            seen_current = True
        elif not seen_current:
            state = "done"
        else:
            state = "upcoming"
        rows.append({"stage": stage, "state": state})
    return rows, current


def programme_index_list(*, index, request, today=None):
    """Live programmes under `index` with their current stage (two queries)."""
    today = today or timezone.localdate()
    programmes = (
        ProgrammePage.objects.live().child_of(index).order_by("path").prefetch_related("stages")
    )
    rows = []
    for programme in programmes:
        current = programme.current_stage(today)
        rows.append(
            {
                "page": programme,
                "url": programme.get_url(request=request),
                "current_stage": current,
                "stage_position": (STAGE_ORDER.index(current.stage) + 1) if current else None,
            }
        )
    return rows


def _is_current(current, key):
    """Whether stage `key` is the programme's current stage (`current` may be None)."""
    return current is not None and current.stage == key


def _engagements_by_stage(engagements, decisions, *, current, request):
    """The stages, in order, that have engagements or decisions, with them."""
    groups = []
    for key in STAGE_ORDER:
        stage_engagements = [e for e in engagements if e.stage == key]
        stage_decisions = [
            {"page": d, "url": d.get_url(request=request)} for d in decisions if d.stage == key
        ]
        if stage_engagements or stage_decisions:
            groups.append(
                {
                    "key": key,
                    "label": STAGE_LABELS[key],
                    "engagements": stage_engagements,
                    "decisions": stage_decisions,
                    "is_current": _is_current(current, key),
                }
            )
    return groups


def programme_page_context(*, programme, request, now=None):
    """Everything the programme page shows, in a fixed number of queries."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    stage_rows, current = _stage_rows(programme, today)
    engagements = [
        _engagement_item(e, request=request, now=now)
        for e in public_pages(EngagementPage.objects.live().child_of(programme)).order_by(
            "opens_at", "pk"
        )
    ]
    decisions = list(
        public_pages(DecisionPage.objects.live().child_of(programme)).order_by("-decided_on", "pk")
    )
    return {
        "stages": stage_rows,
        "current_stage": current,
        "cycle_svg": cycle_svg(current.stage if current else None),
        "cycle_stages": [
            {"key": key, "label": STAGE_LABELS[key], "is_current": _is_current(current, key)}
            for key in STAGE_ORDER
        ],
        "engagements_by_stage": _engagements_by_stage(
            engagements, decisions, current=current, request=request
        ),
        "open_count": sum(1 for e in engagements if e.state == "open"),
        **_programme_facts(programme=programme, request=request, today=today),
    }


def _programme_facts(*, programme, request, today):
    """Outcomes, wards and the other apps' sections: the same for every reader.

    Remembered until the next content change (and at most a day: sections may
    count days, as delivery's overdue commitments do); links are relative to
    the request's host, so it is part of the key.
    """

    def read():
        return {
            "outcomes": list(programme.outcomes.all()),
            "wards": list(programme.wards.all()),
            "programme_sections": programme_sections(programme=programme, request=request),
        }

    key = f"programme-facts:{programme.pk}:{request.get_host()}:{today.isoformat()}"
    return remembered(GENERATION_KEY, key, read)


def decision_page_context(*, decision, request):
    items = list(decision.items.select_related("engagement").order_by("sort_order"))
    return {
        "items": [
            {
                "item": item,
                "engagement_url": item.engagement.get_url(request=request)
                if item.engagement and item.engagement.live
                else "",
            }
            for item in items
        ],
        "programme": decision.get_parent(),
    }


# My participation


@dataclass
class ParticipationRow:
    participation: Participation
    engagement: EngagementItem
    decisions: list = field(default_factory=list)


def my_participation(*, user, request, now=None):
    """Everything `user` took part in, newest first, with the decisions that answered it.

    A decision answers a participation when it closes the same stage of the
    same programme. Three queries whatever the number of participations.
    """
    now = now or timezone.now()
    participations = list(
        Participation.objects.filter(user=user, engagement__live=True)
        .select_related("engagement")
        .order_by("-created_at", "-pk")
    )
    programme_paths = {_parent_path(p.engagement) for p in participations}
    programmes = _programmes_by_path(programme_paths)
    decisions = defaultdict(list)
    if programmes:
        condition = Q(pk__in=[])
        for path, programme in programmes.items():
            condition |= Q(path__startswith=path, depth=programme.depth + 1)
        found = public_pages(DecisionPage.objects.live().filter(condition)).order_by(
            "-decided_on", "pk"
        )
        for decision in found:
            decisions[(_parent_path(decision), decision.stage)].append(
                {"page": decision, "url": decision.get_url(request=request)}
            )
    rows = []
    for participation in participations:
        engagement = participation.engagement
        parent = _parent_path(engagement)
        rows.append(
            ParticipationRow(
                participation=participation,
                engagement=_engagement_item(
                    engagement, request=request, now=now, programme=programmes.get(parent)
                ),
                decisions=decisions.get((parent, engagement.stage), []),
            )
        )
    return rows


def decision_notifications_export(user):
    """The decision emails owed or sent to `user`, for "download my data"."""
    from .models import DecisionNotification

    return [
        {
            "decision": n.decision.title,
            "email": n.email,
            "sent_at": n.sent_at().isoformat() if n.sent_at() else None,
        }
        for n in DecisionNotification.objects.filter(user=user)
        .select_related("decision", "message")
        .order_by("created_at", "pk")
    ]


def engagements_closing_soon(*, days=7, now=None):
    """Engagements (live or draft) that close in the next `days` days, soonest first."""
    now = now or timezone.now()
    return EngagementPage.objects.filter(
        closes_at__gt=now, closes_at__lte=now + timedelta(days=days)
    ).order_by("closes_at", "pk")


def feedback_recipients(*, participations):
    """(email, user) pairs to write to about what came of `participations`, one per address.

    Only those who asked to hear back; a signed-in person who turned decision
    emails off in their account, or whose account is inactive, is left out.
    Ordered by when people took part, so the first participation names the user.
    """
    rows = participations.wanting_feedback().select_related("user").order_by("created_at", "pk")
    recipients = {}
    for participation in rows:
        user = participation.user
        if user is not None:
            if not (user.is_active and user.notify_decisions and user.email):
                continue
            email = user.email
        else:
            email = participation.email
        email = (email or "").strip().lower()
        if email and email not in recipients:
            recipients[email] = user
    return list(recipients.items())
