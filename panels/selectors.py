"""Reads shared by the panel pages, the panel space and the officers' admin views."""

from dataclasses import dataclass, field

from django.db.models import Avg, Count, StdDev

from commissioning.models import Ward

from .attributes import (
    ATTRIBUTE_LABELS,
    DECLINABLE,
    SERVICE_USER,
    WARD,
    attribute_choices,
    value_label,
)
from .models import (
    Application,
    Criterion,
    LotteryRun,
    Meeting,
    MeetingPaper,
    Option,
    Quota,
    Recommendation,
    Score,
)
from .reach import seats_around

# ---------------------------------------------------------------- lottery pool and quotas


def panel_wards():
    return list(Ward.objects.only("pk", "slug", "name", "population", "demographics"))


def pool_for(*, panel, kind=LotteryRun.DRAW):
    """The applications a draw of this kind chooses from, with their ward.

    A panel recruited by letter draws from those who registered with a code,
    and from open (website) applicants only if its officers include them.
    """
    pool = Application.objects.in_pool().filter(panel=panel).select_related("ward")
    if not panel.include_open_applicants and recruits_by_letter(panel=panel):
        pool = pool.exclude(channel=Application.ONLINE)
    return pool


def recruits_by_letter(*, panel):
    from .models import InvitationDraw

    return InvitationDraw.objects.filter(panel=panel).exists()


def pool_by_channel(*, panel):
    """[(channel label, people in the pool, included in the draw)] for the pool summary."""
    counts = dict(
        Application.objects.in_pool()
        .filter(panel=panel)
        .values_list("channel")
        .annotate(n=Count("pk"))
        .values_list("channel", "n")
    )
    letter = recruits_by_letter(panel=panel)
    return [
        (
            label,
            counts.get(value, 0),
            value != Application.ONLINE or panel.include_open_applicants or not letter,
        )
        for value, label in Application.CHANNELS
    ]


def letter_recipients(*, run):
    """The run's pool members to be told by letter: those who gave no email address."""
    entries = run.entries.select_related("application__invitation__address").filter(
        application__email=""
    )
    if run.kind == LotteryRun.REPLACEMENT:
        entries = entries.filter(selected=True)
    return entries.order_by("-selected", "application__name", "pk")


def pool_snapshot(*, panel, applications):
    """{application pk: {attribute: value}} for the panel's attributes."""
    return {
        app.pk: {key: app.attribute_value(key) for key in panel.attributes} for app in applications
    }


def quota_ranges(*, panel):
    """{attribute: {value: (min, max)}} as officers set them."""
    ranges = {key: {} for key in panel.attributes}
    for quota in Quota.objects.filter(panel=panel, attribute__in=panel.attributes):
        ranges[quota.attribute][quota.value] = (quota.minimum, quota.maximum)
    return ranges


def members_by_value(*, panel):
    """{attribute: {value: count}} among the current members."""
    counts = {key: {} for key in panel.attributes}
    for app in Application.objects.members().filter(panel=panel).select_related("ward"):
        for key in panel.attributes:
            value = app.attribute_value(key)
            counts[key][value] = counts[key].get(value, 0) + 1
    return counts


def effective_quotas(*, panel, snapshot, seats, kind=LotteryRun.DRAW):
    """The quotas a run uses: officers' ranges, less current members for replacements.

    A value someone in the pool has but that has no quota may take any number
    of seats (0 to all), so that "prefer not to say" or a ward left out of the
    quotas never makes a draw impossible by itself.
    """
    ranges = quota_ranges(panel=panel)
    if kind == LotteryRun.REPLACEMENT:
        held = members_by_value(panel=panel)
        ranges = {
            key: {
                value: (max(0, lo - held[key].get(value, 0)), max(0, hi - held[key].get(value, 0)))
                for value, (lo, hi) in values.items()
            }
            for key, values in ranges.items()
        }
    for attributes in snapshot.values():
        for key, value in attributes.items():
            ranges[key].setdefault(value, (0, seats))
    return ranges


@dataclass
class Problem:
    attribute: str
    value: str
    message: str


def quota_problems(*, panel, snapshot, quotas, seats, wards=None):
    """Plain-words reasons why these quotas cannot be met with this pool (empty if none found)."""
    wards = panel_wards() if wards is None else wards
    problems = []
    if len(snapshot) < seats:
        problems.append(
            Problem("", "", f"Only {len(snapshot)} people can be drawn from, for {seats} seats.")
        )
    counts = {key: {} for key in quotas}
    for attributes in snapshot.values():
        for key, value in attributes.items():
            counts[key][value] = counts[key].get(value, 0) + 1
    for key, values in quotas.items():
        label = ATTRIBUTE_LABELS[key]
        total_min = sum(lo for lo, _ in values.values())
        total_max = sum(hi for _, hi in values.values())
        if total_min > seats:
            problems.append(
                Problem(
                    key,
                    "",
                    f"{label}: the minimums add up to {total_min}, more than the {seats} seats.",
                )
            )
        if total_max < seats:
            problems.append(
                Problem(
                    key,
                    "",
                    f"{label}: the maximums add up to {total_max}, fewer than the {seats} seats.",
                )
            )
        for value, (lo, _hi) in values.items():
            have = counts[key].get(value, 0)
            if lo > have:
                people = "applicant" if have == 1 else "applicants"
                problems.append(
                    Problem(
                        key,
                        value,
                        f"{label} “{value_label(key, value, wards)}”: at least {lo} of the {seats} "
                        f"seats must go to people with this answer, but only {have} {people} gave it.",
                    )
                )
    return problems


def feasibility(*, panel, kind=LotteryRun.DRAW, seats=None, solver=True):
    """Everything an officer needs before a draw: the pool, the quotas and any problems."""
    from .draw import check_solvable

    seats = panel.seats if seats is None else seats
    applications = list(pool_for(panel=panel, kind=kind))
    snapshot = pool_snapshot(panel=panel, applications=applications)
    quotas = effective_quotas(panel=panel, snapshot=snapshot, seats=seats, kind=kind)
    problems = quota_problems(panel=panel, snapshot=snapshot, quotas=quotas, seats=seats)
    if not problems and solver and seats > 0:
        advice = check_solvable(pool=snapshot, quotas=quotas, seats=seats)
        if advice:
            problems.append(
                Problem(
                    "",
                    "",
                    "Each quota can be met on its own, but not all of them at once with these "
                    "applicants (too few applicants combine the answers the quotas need). "
                    "Loosen the tightest quotas. The solver's advice: " + advice,
                )
            )
    return {
        "applications": applications,
        "snapshot": snapshot,
        "quotas": quotas,
        "problems": problems,
    }


def population_shares(*, attribute, wards):
    """{value: share} across the borough, weighting each ward by its population."""
    total = sum(ward.population for ward in wards) or 1
    if attribute == WARD:
        return {ward.slug: ward.population / total for ward in wards}
    shares = {}
    for ward in wards:
        for value, share in (ward.demographics or {}).get(attribute, {}).items():
            shares[value] = shares.get(value, 0) + share * ward.population / total
    return shares


def quota_proposals(*, panel, wards=None):
    """Proposed (min, max) per value from the borough's population shares and the seats.

    Around the value's fair number of seats (its share of the seats, rounded):
    one fewer as the minimum, one more as the maximum. The slack keeps the
    minimums well under the seats, so that people who answer "prefer not to
    say" or combine rarer answers keep a real chance of selection. Attributes
    without population figures (service use) get 0 to all seats for the
    officer to set.
    """
    wards = panel_wards() if wards is None else wards
    seats = panel.seats
    proposals = {}
    for key in panel.attributes:
        shares = population_shares(attribute=key, wards=wards) if key != SERVICE_USER else {}
        values = {}
        for value, _label in attribute_choices(key, wards):
            share = shares.get(value)
            if share is None:
                values[value] = (0, seats)
            else:
                _fair, low, high = seats_around(share, seats)
                values[value] = (low, high)
        if key in DECLINABLE:
            values["prefer-not"] = (0, seats)
        proposals[key] = values
    return proposals


def quota_table(*, panel, wards=None):
    """Rows per attribute value: label, quota, applicants, population share."""
    wards = panel_wards() if wards is None else wards
    quotas = quota_ranges(panel=panel)
    applicants = {key: {} for key in panel.attributes}
    apps = Application.objects.filter(panel=panel).exclude(status=Application.WITHDRAWN)
    for key in panel.attributes:
        column = "ward__slug" if key == WARD else key
        for row in apps.values(column).annotate(n=Count("pk")):
            applicants[key][row[column] or ("outside" if key == WARD else "prefer-not")] = row["n"]
    table = []
    for key in panel.attributes:
        shares = population_shares(attribute=key, wards=wards)
        values = [value for value, _ in attribute_choices(key, wards)]
        values += [v for v in [*quotas[key], *applicants[key]] if v not in values]
        rows = []
        for value in values:
            lo_hi = quotas[key].get(value)
            rows.append(
                {
                    "value": value,
                    "label": value_label(key, value, wards),
                    "minimum": lo_hi[0] if lo_hi else None,
                    "maximum": lo_hi[1] if lo_hi else None,
                    "applicants": applicants[key].get(value, 0),
                    "share": shares.get(value),
                }
            )
        table.append({"attribute": key, "label": ATTRIBUTE_LABELS[key], "rows": rows})
    return table


def labelled_quotas(*, quotas, wards):
    """A run's recorded {attribute: {value: [min, max]}} with the labels people chose from."""
    return [
        {
            "label": ATTRIBUTE_LABELS.get(key, key),
            "values": [
                {"label": value_label(key, value, wards), "minimum": lo, "maximum": hi}
                for value, (lo, hi) in values.items()
            ],
        }
        for key, values in quotas.items()
    ]


# ---------------------------------------------------------------- public page


def published_recommendation(*, panel):
    return Recommendation.objects.filter(panel=panel, published_at__isnull=False).first()


def panel_has_ended(*, panel):
    """A panel ends when it publishes its recommendation (until an officer reopens it)."""
    return Recommendation.objects.filter(panel=panel, published_at__isnull=False).exists()


def latest_run(*, panel):
    return LotteryRun.objects.filter(panel=panel).exclude(status=LotteryRun.CANCELLED).first()


def recruitment_stage(*, panel, run, recommendation, now=None):
    """Where recruitment stands, for the public page: one of
    "upcoming", "open", "closed" (not drawn yet), "drawing", "drawn" (reserve list), "ended".

    After the draw the page no longer invites applications, whatever the dates say.
    """
    if recommendation is not None:
        return "ended"
    if run is not None and (
        run.kind == LotteryRun.REPLACEMENT or run.status == LotteryRun.COMPLETED
    ):
        return "drawn"
    if run is not None and run.status in (LotteryRun.QUEUED, LotteryRun.RUNNING):
        return "drawing"
    return panel.state(now)


def panel_page_context(*, panel, user):
    """A fixed number of queries whatever the number of applicants, meetings or scores."""
    run = latest_run(panel=panel)
    recommendation = Recommendation.objects.filter(panel=panel, published_at__isnull=False).first()
    context = {
        "lottery_run": run,
        "published_recommendation": recommendation,
        "recruitment": recruitment_stage(panel=panel, run=run, recommendation=recommendation),
        "meeting_dates": list(
            Meeting.objects.filter(panel=panel).values_list("starts_at", flat=True)[:12]
        ),
        "attribute_labels": [ATTRIBUTE_LABELS[key] for key in panel.attributes],
        "my_application": None,
        "can_enter_space": False,
    }
    if user.is_authenticated:
        context["my_application"] = Application.objects.filter(panel=panel, user=user).first()
        from .rules import can_enter_space

        context["can_enter_space"] = can_enter_space(user, panel)
    return context


# ---------------------------------------------------------------- options appraisal


@dataclass
class OptionResult:
    option: Option
    weighted_mean: float | None
    spread: float | None
    agreement: float | None
    scorers: int
    rank: int | None = None
    by_criterion: dict = field(default_factory=dict)


# The largest population standard deviation possible on a 0–5 scale (half
# the scores at 0, half at 5): agreement is 1 − spread / this.
MAX_SPREAD = 2.5


def score_cells(*, panel):
    """{(option_id, criterion_id): (mean, population sd, count)}, aggregated in the database."""
    rows = (
        Score.objects.filter(option__panel=panel, criterion__panel=panel)
        .values("option_id", "criterion_id")
        .annotate(mean=Avg("value"), sd=StdDev("value"), n=Count("pk"))
        .order_by()
    )
    return {
        (r["option_id"], r["criterion_id"]): (float(r["mean"]), float(r["sd"] or 0), r["n"])
        for r in rows
    }


def weighted_means(*, options, criteria, cells, weights):
    means = {}
    for option in options:
        total = weight_sum = 0.0
        for criterion in criteria:
            cell = cells.get((option.pk, criterion.pk))
            if cell:
                total += weights[criterion.pk] * cell[0]
                weight_sum += weights[criterion.pk]
        means[option.pk] = total / weight_sum if weight_sum else None
    return means


def ranks(*, means):
    """Competition ranking (1, 2, 2, 4) on means rounded to 3 places; unscored options unranked."""
    scored = {pk: round(mean, 3) for pk, mean in means.items() if mean is not None}
    return {
        pk: 1 + sum(1 for other in scored.values() if other > mean) for pk, mean in scored.items()
    }


def appraisal_results(*, panel):
    options = list(Option.objects.filter(panel=panel))
    criteria = list(Criterion.objects.filter(panel=panel).select_related("social_value"))
    cells = score_cells(panel=panel)
    scorers = dict(
        Score.objects.filter(option__panel=panel)
        .values("option_id")
        .annotate(n=Count("member", distinct=True))
        .values_list("option_id", "n")
        .order_by()
    )
    weights = {c.pk: float(c.weight) for c in criteria}
    means = weighted_means(options=options, criteria=criteria, cells=cells, weights=weights)
    rank_of = ranks(means=means)
    results = []
    for option in options:
        sd_total = weight_sum = 0.0
        for criterion in criteria:
            cell = cells.get((option.pk, criterion.pk))
            if cell:
                sd_total += weights[criterion.pk] * cell[1]
                weight_sum += weights[criterion.pk]
        spread = sd_total / weight_sum if weight_sum else None
        results.append(
            OptionResult(
                option=option,
                weighted_mean=means[option.pk],
                spread=spread,
                agreement=None if spread is None else 1 - spread / MAX_SPREAD,
                scorers=scorers.get(option.pk, 0),
                rank=rank_of.get(option.pk),
                by_criterion={c.pk: cells.get((option.pk, c.pk)) for c in criteria},
            )
        )
    results.sort(key=lambda r: (r.rank is None, r.rank or 0, r.option.sort_order, r.option.pk))
    return {
        "options": options,
        "criteria": criteria,
        "results": results,
        "sensitivity": sensitivity(
            options=options, criteria=criteria, cells=cells, weights=weights, base_ranks=rank_of
        ),
    }


def sensitivity(*, options, criteria, cells, weights, base_ranks, change=0.5):
    """Does the ranking change if any one criterion's weight moves by ±50%?"""
    titles = {o.pk: o.title for o in options}
    rows = []
    for criterion in criteria:
        row = {"criterion": criterion, "changes": []}
        for factor, label in ((1 - change, "50% less"), (1 + change, "50% more")):
            moved = {**weights, criterion.pk: weights[criterion.pk] * factor}
            new_ranks = ranks(
                means=weighted_means(
                    options=options, criteria=criteria, cells=cells, weights=moved
                )
            )
            changed = new_ranks != base_ranks
            top = sorted(pk for pk, rank in new_ranks.items() if rank == 1)
            row["changes"].append(
                {
                    "label": label,
                    "changed": changed,
                    "top": [titles[pk] for pk in top],
                    "ranks": new_ranks,
                }
            )
        rows.append(row)
    return {"rows": rows, "robust": not any(c["changed"] for r in rows for c in r["changes"])}


def meeting_paper(*, panel, meeting_id, document_id):
    """The document if it is a paper of that meeting of that panel, else None (one query)."""
    paper = (
        MeetingPaper.objects.filter(
            meeting_id=meeting_id, meeting__panel=panel, document_id=document_id
        )
        .select_related("document")
        .first()
    )
    return paper.document if paper is not None else None


def score_rationales(*, panel):
    """Every reason members gave with a score, by option then criterion (one query).

    Shown to the panel's members and officers without names: the panel reads
    the reasons together, not who gave them.
    """
    return list(
        Score.objects.filter(option__panel=panel, criterion__panel=panel)
        .exclude(rationale="")
        .select_related("option", "criterion")
        .order_by(
            "option__sort_order",
            "option__pk",
            "criterion__sort_order",
            "criterion__pk",
            "-value",
            "pk",
        )
    )


def member_scores(*, user, option):
    return {s.criterion_id: s for s in Score.objects.filter(member=user, option=option)}


def scoring_progress(*, panel, user):
    """{option_id: criteria scored} for this member."""
    return dict(
        Score.objects.filter(member=user, option__panel=panel)
        .values("option_id")
        .annotate(n=Count("pk"))
        .values_list("option_id", "n")
        .order_by()
    )


def run_reproduces(*, run):
    """Re-run a completed draw from its record (pool, quotas, seed): same panel?"""
    from .draw import draw

    entries = list(run.entries.all())
    result = draw(
        pool={str(e.application_id): e.attributes for e in entries},
        quotas={k: {v: tuple(r) for v, r in vs.items()} for k, vs in run.quotas.items()},
        seats=run.seats,
        seed=run.seed,
        algorithm=run.algorithm_requested,
    )
    recorded = sorted(str(e.application_id) for e in entries if e.selected)
    return sorted(result.selected) == recorded


# ---------------------------------------------------------------- invitations by post


def addresses_by_ward(*, panel, wards):
    """[(ward, addresses in the list)] in ward order, counted in the database."""
    from .models import InvitationAddress

    counts = dict(
        InvitationAddress.objects.filter(panel=panel)
        .values_list("ward_id")
        .annotate(n=Count("pk"))
        .values_list("ward_id", "n")
    )
    return [(ward, counts.get(ward.pk, 0)) for ward in wards]


def invitation_draw_rows(*, draw, wards):
    """Per ward: population share, oversampling factor, target and invitations drawn."""
    total = sum(w.population for w in wards) or 1
    return [
        {
            "ward": ward,
            "share": ward.population / total,
            "factor": draw.oversampling.get(ward.slug, 1),
            "target": draw.targets.get(ward.slug, 0),
            "count": draw.counts.get(ward.slug, 0),
        }
        for ward in wards
    ]


def _counts(queryset, key):
    return dict(queryset.values_list(key).annotate(n=Count("pk")).values_list(key, "n"))


def response_tracking(*, panel):
    """Registrations against invitations, by ward and channel; the pool against the borough."""
    from commissioning.charts import bar_chart

    from .models import Invitation

    wards = panel_wards()
    invited = _counts(Invitation.objects.filter(panel=panel), "ward_id")
    applications = Application.objects.filter(panel=panel).exclude(status=Application.WITHDRAWN)
    registered = _counts(applications.filter(invitation__isnull=False), "ward_id")
    by_channel = _counts(applications, "channel")
    ward_rows = [
        (
            ward.name,
            invited.get(ward.pk, 0),
            registered.get(ward.pk, 0),
            round(100 * registered.get(ward.pk, 0) / invited[ward.pk], 1)
            if invited.get(ward.pk)
            else 0,
        )
        for ward in wards
    ]
    sent, replies = sum(invited.values()), sum(registered.values())
    response_chart = bar_chart(
        "Response rate by ward (registrations per 100 letters)",
        [(name, rate) for name, _, _, rate in ward_rows],
        unit="%",
        columns=["Ward", "Response rate"],
    )
    channel_chart = bar_chart(
        "Registrations and applications by channel",
        [(label, by_channel.get(value, 0)) for value, label in Application.CHANNELS],
        columns=["Channel", "People"],
    )
    return {
        "sent": sent,
        "replies": replies,
        "rate": round(100 * replies / sent, 1) if sent else 0,
        "ward_rows": ward_rows,
        "response_chart": response_chart,
        "channel_chart": channel_chart,
        "profile": pool_profile(panel=panel, wards=wards),
    }


def pool_profile(*, panel, wards):
    """Per stratification attribute: each answer's share of the pool against the borough's."""
    from commissioning.charts import bar_chart

    pool = list(pool_for(panel=panel))
    total = len(pool) or 1
    groups = []
    for key in panel.attributes:
        shares = population_shares(attribute=key, wards=wards)
        counts = {}
        for application in pool:
            value = application.attribute_value(key)
            counts[value] = counts.get(value, 0) + 1
        values = [v for v, _ in attribute_choices(key, wards)]
        rows = [
            (
                value_label(key, value, wards),
                counts.get(value, 0),
                round(100 * counts.get(value, 0) / total, 1),
                round(100 * shares[value], 1) if shares.get(value) is not None else None,
            )
            for value in values
        ]
        known = [row for row in rows if row[3] is not None]
        chart = known and bar_chart(
            f"{ATTRIBUTE_LABELS[key]}: share of the pool, minus the borough's share "
            "(percentage points)",
            [(label, round(share - pop, 1)) for label, _, share, pop in known],
            unit="",
            columns=["Answer", "Pool minus borough (points)"],
            description="Bars to the right are over-represented in the pool, to the left under.",
        )
        groups.append({"label": ATTRIBUTE_LABELS[key], "rows": rows, "chart": chart})
    return groups
