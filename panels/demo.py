"""Demo borough: two citizen commissioner panels.

- "Day opportunities": recruiting now, about 300 generated applicants
  (panel@example.org among them), quotas proposed from the wards'
  population, options and criteria ready; no draw yet.
- "Libraries and archives" (2025): drawn by a real maximin lottery when the
  demo loads (40 applicants, 8 seats: about a second), then meetings with
  papers and minutes, every member's scores, and the published
  recommendation. panel@example.org is a member: the panel reserved a seat
  for a carer and Alex was the only carer to apply, so every seed seats them.
- "Libraries review": recruited by letter, like a civic lottery
  (`panels.demo_letters`).

Deterministic (seeded generators, fixed lottery seed) and idempotent: pages
are looked up by slug, applicants by email, runs by panel, so a second run
changes nothing.
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from commissioning.models import Participation, ProgrammePage, SocialValueCriterion, Ward

from .models import (
    Application,
    Criterion,
    LotteryRun,
    Meeting,
    MeetingPaper,
    Option,
    PanelPage,
    Quota,
    Recommendation,
    Score,
)
from .selectors import quota_proposals

SEED = 6006
LOTTERY_SEED = 250314

FIRST = [
    "Aisha", "Ben", "Chloe", "Dev", "Ellie", "Femi", "Grace", "Harry", "Imran", "Jess", "Kwame",
    "Laura", "Mo", "Nadia", "Owen", "Priya", "Quinn", "Rosa", "Sam", "Tariq", "Una", "Vik",
    "Wendy", "Yusuf", "Zara", "Callum", "Bea", "Marek", "Siobhan", "Tom",
]  # fmt: skip
LAST = [
    "Ahmed", "Baker", "Campbell", "Davies", "Evans", "Fraser", "Green", "Hussain", "Iqbal",
    "Jones", "Khan", "Lewis", "Mensah", "Nowak", "O'Brien", "Patel", "Roberts", "Singh",
    "Taylor", "Walker", "Williams", "Wright", "Young", "Okafor", "Murphy",
]  # fmt: skip

OPTIONS = [
    ("Keep in-house", "The council keeps running the service with its own staff."),
    ("Outsource", "Contract a private or national provider after a competitive tender."),
    ("Staff-led mutual", "Staff spin out as a public service mutual, contracted by the council."),
    (
        "Arm's-length company",
        "A company owned and controlled by the council runs the service.",
    ),
    (
        "Community benefit society",
        "A society owned by residents and staff runs the service with a long-term grant.",
    ),
    ("Fund community activity instead", "Grants to community groups replace the service."),
]
# title, weight, social value criterion, description
CRITERIA = [
    ("Outcomes for residents", "3", None, "How well it delivers the programme's outcomes."),
    ("Cost to the council", "2", None, "Running and transition costs over ten years."),
    (
        "Residents in governance",
        "1",
        "Residents in governance",
        "A real say for people who use it.",
    ),
    ("Fair pay and local jobs", "1", "Pays the real living wage", "Pay, terms and local jobs."),
    ("Risk", "1.5", None, "What could go wrong, and who carries it."),
    ("Deliverability", "1", None, "Can it be in place on time with the skills available?"),
]
# Rough views of the libraries panel, per option and criterion (members vary around them).
LIBRARY_PROFILE = {
    "Keep in-house": [3, 2, 1, 4, 4, 5],
    "Outsource": [2, 4, 0, 1, 2, 3],
    "Staff-led mutual": [4, 3, 2, 4, 3, 3],
    "Arm's-length company": [3, 3, 1, 3, 3, 3],
    "Community benefit society": [4, 3, 5, 4, 3, 3],
    "Fund community activity instead": [2, 5, 3, 1, 1, 2],
}
RECOMMENDATION = (
    "We recommend that the library service is transferred to a community benefit society "
    "owned by residents and staff, with a ten-year grant agreement.\n\n"
    "It scored highest overall, and the ranking held when any one criterion counted half as "
    "much or half as much again. It gives residents the strongest say in how libraries are run "
    "and keeps staff on fair pay. A staff-led mutual came second; keeping the service in-house "
    "was the safest option. We ask the council to keep the grant agreement strict enough to "
    "bring the service back if the society fails.\n\n"
    "Our conditions: every library stays open at least five days a week, the archive keeps its "
    "accreditation, and people who use the libraries have seats on the society's board."
)


def _pick(rng, shares):
    values, weights = zip(*shares.items(), strict=True)
    return rng.choices(values, weights=weights)[0]


def _applicants(rng, count, wards, *, service_user_shares, domain):
    people = []
    total = sum(w.population for w in wards)
    for n in range(count):
        ward = _pick(rng, {w: w.population / total for w in wards})
        shares = ward.demographics or {}
        first, last = rng.choice(FIRST), rng.choice(LAST)
        person = {
            "name": f"{first} {last}",
            "email": f"{first}.{last}.{n}@{domain}".lower().replace("'", ""),
            "ward": ward,
            "postcode": f"{ward.prefixes[0].split()[0]} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
            "service_user": _pick(rng, service_user_shares),
            "availability": rng.sample(
                ["weekday_daytime", "weekday_evening", "weekend"], k=rng.randint(1, 3)
            ),
        }
        for key in ("age_band", "gender", "ethnicity", "disability"):
            value_shares = shares.get(key) or {"prefer-not": 1}
            person[key] = "prefer-not" if rng.random() < 0.03 else _pick(rng, value_shares)
        people.append(person)
    return people


def _ensure_panel(programme, slug, fields, officers):
    panel = PanelPage.objects.child_of(programme).filter(slug=slug).first()
    if panel is None:
        panel = PanelPage(slug=slug, **fields)
        programme.add_child(instance=panel)
        panel.officers.set(officers)
        panel.save()
        panel.save_revision().publish()
    return panel


def _applied_at(opened, until, n, count):
    """The n-th of `count` applications, spread evenly between opening and `until` (the past)."""
    return opened + (until - opened) * (n + 1) / (count + 1)


def _redate_future_applications(panel, people, opened, until):
    """Older demos dated applications in the weeks ahead: move them into the past."""
    index = {person["email"]: n for n, person in enumerate(people)}
    for application in panel.applications.filter(created_at__gt=until):
        when = _applied_at(opened, until, index.get(application.email, 0), len(people))
        Application.objects.filter(pk=application.pk).update(created_at=when)
    # Each participation takes its application's date (by account, else by email).
    applications = Application.objects.filter(panel=panel)
    Participation.objects.filter(engagement=panel, created_at__gt=until).update(
        created_at=Coalesce(
            Subquery(applications.filter(user_id=OuterRef("user_id")).values("created_at")[:1]),
            Subquery(applications.filter(email=OuterRef("email")).values("created_at")[:1]),
            Value(until),
        )
    )


def _ensure_applications(panel, people, opened, *, until, user_for=None):
    """Applications dated between the panel opening and `until`, never in the future."""
    _redate_future_applications(panel, people, opened, until)
    existing = set(panel.applications.values_list("email", flat=True))
    new = []
    for n, person in enumerate(people):
        if person["email"] in existing:
            continue
        new.append(
            Application(
                panel=panel,
                user=(user_for or {}).get(person["email"]),
                consent=True,
                created_at=_applied_at(opened, until, n, len(people)),
                **person,
            )
        )
    participations = Participation.objects.bulk_create(
        Participation(
            engagement=panel,
            user=app.user,
            email="" if app.user else app.email,
            ward=app.ward,
            wants_feedback=True,
            created_at=app.created_at,
        )
        for app in new
    )
    for app, participation in zip(new, participations, strict=True):
        app.participation = participation
    Application.objects.bulk_create(new)
    return len(new)


def _ensure_quotas(panel):
    if panel.quotas.exists():
        return
    Quota.objects.bulk_create(
        Quota(panel=panel, attribute=key, value=value, minimum=low, maximum=high)
        for key, values in quota_proposals(panel=panel).items()
        for value, (low, high) in values.items()
    )


def _ensure_options_and_criteria(panel):
    for order, (title, description) in enumerate(OPTIONS):
        Option.objects.get_or_create(
            panel=panel, title=title, defaults={"description": description, "sort_order": order}
        )
    social = {c.title: c for c in SocialValueCriterion.objects.all()}
    for order, (title, weight, sv, description) in enumerate(CRITERIA):
        Criterion.objects.get_or_create(
            panel=panel,
            title=title,
            defaults={
                "weight": Decimal(weight),
                "social_value": social.get(sv),
                "description": description,
                "sort_order": order,
            },
        )


def load(*, stdout):
    from accounts.models import User

    wards = list(Ward.objects.all())
    programmes = {
        p.slug: p
        for p in ProgrammePage.objects.filter(
            slug__in=["day-opportunities", "libraries-and-archives"]
        )
    }
    officer = User.objects.filter(email="officer@example.org").first()
    alex = User.objects.filter(email="panel@example.org").first()
    if not wards or officer is None or alex is None:
        stdout.write("panels demo: skipped (wards or demo accounts missing).\n")
        return
    now = timezone.now()
    if "day-opportunities" in programmes:
        _load_day_opportunities(programmes["day-opportunities"], wards, officer, alex, now, stdout)
    else:
        stdout.write("panels demo: no “day-opportunities” programme; recruiting panel skipped.\n")
    if "libraries-and-archives" in programmes:
        from . import demo_letters

        _load_libraries(programmes["libraries-and-archives"], wards, officer, alex, now, stdout)
        demo_letters.load(programmes["libraries-and-archives"], wards, officer, stdout)
    else:
        stdout.write(
            "panels demo: no “libraries-and-archives” programme; completed panel skipped.\n"
        )


def _load_day_opportunities(programme, wards, officer, alex, now, stdout):
    opened = (now - timedelta(days=12)).replace(hour=9, minute=0, second=0, microsecond=0)
    panel = _ensure_panel(
        programme,
        "citizen-commissioner-panel",
        {
            "title": "Day opportunities citizen commissioner panel",
            "introduction": "Join 20 residents who will appraise how day opportunities are run from 2028.",
            "stage": "plan",
            "opens_at": opened,
            "closes_at": opened + timedelta(days=40),
            "audience": PanelPage.SIGNED_IN,
            "purpose": (
                "<p>The panel will weigh six ways of running day opportunities for disabled adults – "
                "including a staff-led mutual – against criteria it helps to set, and recommend one "
                "to Cabinet.</p>"
            ),
            "commitment": (
                "Six evening meetings over four months, about two hours each, plus some reading. "
                "We pay £25 an hour for your time, and cover travel and care costs."
            ),
            "meeting_schedule": "Meetings on Tuesday evenings from March, at Kelderby Central Library and online.",
            "eligibility": "Anyone aged 16 or over who lives in Kelderby. You do not need to know about day services.",
            "seats": 20,
        },
        [officer],
    )
    rng = random.Random(SEED)
    people = _applicants(
        rng,
        299,
        wards,
        service_user_shares={"user": 0.12, "carer": 0.18, "both": 0.03, "neither": 0.67},
        domain="example.net",
    )
    people.insert(
        137,
        {
            "name": "Alex Morgan",
            "email": alex.email,
            "ward": alex.ward or wards[0],
            "postcode": "KX3 1AB",
            "age_band": "35-49",
            "gender": "non-binary",
            "ethnicity": "mixed",
            "disability": "no",
            "service_user": "carer",
            "availability": ["weekday_evening"],
        },
    )
    # Recruiting now: the applications came in between opening and an hour ago.
    added = _ensure_applications(
        panel,
        people,
        panel.opens_at,
        until=now - timedelta(hours=1),
        user_for={alex.email: alex},
    )
    _ensure_quotas(panel)
    _ensure_options_and_criteria(panel)
    stdout.write(
        f"panels demo: day opportunities panel recruiting ({added} applications added).\n"
    )


def _load_libraries(programme, wards, officer, alex, now, stdout):
    from accounts.models import User

    from .services import lottery_announce, lottery_execute, lottery_start

    opened = (now - timedelta(days=540)).replace(hour=9, minute=0, second=0, microsecond=0)
    panel = _ensure_panel(
        programme,
        "libraries-citizen-panel",
        {
            "title": "Libraries citizen commissioner panel",
            "introduction": "Eight residents appraised six ways of running Kelderby's libraries in 2025.",
            "stage": "plan",
            "opens_at": opened,
            "closes_at": opened + timedelta(days=28),
            "audience": PanelPage.SIGNED_IN,
            "purpose": (
                "<p>The panel appraised how the library service and the borough archive should be "
                "run, and recommended a model to Cabinet.</p>"
            ),
            "commitment": "Four Saturday mornings. Members were paid £25 an hour and travel costs.",
            "eligibility": "Anyone aged 16 or over living in Kelderby.",
            "seats": 8,
            "attributes": ["ward", "age_band", "gender", "disability", "service_user"],
        },
        [officer],
    )
    rng = random.Random(SEED + 1)
    people = _applicants(
        rng, 39, wards, service_user_shares={"user": 0.6, "neither": 0.4}, domain="example.net"
    )
    people.append(
        {
            "name": "Alex Morgan",
            "email": alex.email,
            "ward": alex.ward or wards[0],
            "postcode": "KX3 1AB",
            "age_band": "35-49",
            "gender": "non-binary",
            "ethnicity": "mixed",
            "disability": "no",
            "service_user": "carer",
            "availability": ["weekend"],
        }
    )
    # Applications came in while recruitment was open, before the draw.
    _ensure_applications(
        panel, people, panel.opens_at, until=panel.closes_at, user_for={alex.email: alex}
    )
    if not panel.quotas.exists():
        _ensure_quotas(panel)
        # A seat for a carer of someone who uses the libraries' home service.
        Quota.objects.filter(panel=panel, attribute="service_user", value="carer").update(
            minimum=1, maximum=2
        )
    _ensure_options_and_criteria(panel)

    run = (
        panel.lottery_runs.filter(kind=LotteryRun.DRAW)
        .exclude(status=LotteryRun.CANCELLED)
        .first()
    )
    if run is None:
        run = lottery_announce(panel=panel, user=officer, seed=LOTTERY_SEED)
        run = lottery_start(run=run, user=officer)
        run = lottery_execute(run_id=run.pk)
        # Demo applicants are not emailed; the run is marked as notified.
        LotteryRun.objects.filter(pk=run.pk).update(
            announced_at=opened + timedelta(days=30),
            started_at=opened + timedelta(days=32),
            finished_at=opened + timedelta(days=32),
            notified_at=opened + timedelta(days=32),
        )
        stdout.write(
            f"panels demo: libraries panel drawn ({run.algorithm_used}, seed {run.seed}).\n"
        )
    members = list(Application.objects.members().filter(panel=panel).select_related("user"))
    for member in members:
        if member.user_id is None:
            user = User.objects.filter(email=member.email).first()
            if user is None:
                user = User(
                    email=member.email, display_name=member.name.split()[0], ward=member.ward
                )
                user.set_unusable_password()
                user.save()
            member.user = user
            member.confirmed_at = member.confirmed_at or opened + timedelta(days=35)
            member.save(update_fields=["user", "confirmed_at"])
    Application.objects.members().filter(panel=panel, confirmed_at__isnull=True).update(
        confirmed_at=opened + timedelta(days=35)
    )
    # Members' accounts made by an older demo had no ward: give them their application's.
    for member in Application.objects.members().filter(panel=panel, user__ward__isnull=True):
        User.objects.filter(pk=member.user_id, ward__isnull=True).update(ward=member.ward_id)
    _ensure_meetings(panel, opened)
    _ensure_scores(panel, members)
    if not Recommendation.objects.filter(panel=panel).exists():
        Recommendation.objects.create(
            panel=panel,
            text=RECOMMENDATION,
            published_at=opened + timedelta(days=120),
            published_by=alex,
            updated_by=alex,
        )
    stdout.write("panels demo: libraries panel with meetings, scores and recommendation.\n")


MEETINGS = [
    ("Welcome and how libraries work today", 40, "Introductions. How the service works, what it costs, who uses it.", "Members met library staff and toured the archive."),
    ("The options", 54, "The six options explained by officers and by staff who proposed a mutual.", "Members asked for the costs of each option over ten years."),
    ("Criteria and weights", 68, "Agree the criteria and how much each counts.", "Outcomes for residents weighted highest (3), then cost (2) and risk (1.5)."),
    ("Scoring and recommendation", 82, "Score the options; discuss the results and the sensitivity check.", "The panel agreed its recommendation by consensus."),
]  # fmt: skip


def _ensure_meetings(panel, opened):
    from wagtail.documents import get_document_model

    from .services import papers_collection_ensure

    Document = get_document_model()
    collection = papers_collection_ensure()
    for n, (title, day, agenda, minutes) in enumerate(MEETINGS):
        meeting, created = Meeting.objects.get_or_create(
            panel=panel,
            title=title,
            defaults={
                "starts_at": (opened + timedelta(days=day)).replace(hour=10),
                "location": "Kelderby Central Library, Market Square, KX1 1AA",
                "online_url": "https://meet.kelderby.example/libraries-panel",
                "agenda": agenda,
                "minutes": minutes,
            },
        )
        if created:
            document = Document(title=f"{title} – papers", collection=collection)
            document.file.save(
                f"libraries-panel-meeting-{n + 1}.txt",
                ContentFile(f"{title}\n\nAgenda: {agenda}\n".encode()),
                save=False,
            )
            document.save()
            MeetingPaper.objects.create(meeting=meeting, document=document, sort_order=0)
    # Papers loaded by an older demo sat in the root collection, open to anyone
    # with the link: move this panel's papers into the restricted collection.
    papers = MeetingPaper.objects.filter(meeting__panel=panel).values("document_id")
    Document.objects.filter(pk__in=papers).exclude(collection=collection).update(
        collection=collection
    )


# Reasons some members gave with their scores: (option, criterion, reason).
REASONS = [
    ("Community benefit society", "Residents in governance", "People who use the libraries would sit on the board and vote on what changes."),
    ("Community benefit society", "Risk", "If the society fails the council has to step in, so the grant agreement must allow that."),
    ("Outsource", "Residents in governance", "A national contractor answers to its shareholders, not to us."),
    ("Keep in-house", "Deliverability", "Nothing has to change on day one, and the staff know the service."),
    ("Staff-led mutual", "Fair pay and local jobs", "Staff keep their terms and have a stake in doing well."),
    ("Fund community activity instead", "Cost to the council", "Cheapest, but the archive would have no home."),
]  # fmt: skip


def _ensure_reasons(panel):
    """Older demos had scores without reasons: give a few members' scores theirs."""
    scores = Score.objects.filter(option__panel=panel).order_by("member_id", "pk")
    if scores.exclude(rationale="").exists():
        return
    for n, (option, criterion, reason) in enumerate(REASONS):
        # A different member gives each reason.
        score = scores.filter(option__title=option, criterion__title=criterion)[n : n + 1]
        Score.objects.filter(pk__in=[s.pk for s in score]).update(rationale=reason)


def _ensure_scores(panel, members):
    if Score.objects.filter(option__panel=panel).exists():
        _ensure_reasons(panel)
        return
    rng = random.Random(SEED + 2)
    options = {o.title: o for o in Option.objects.filter(panel=panel)}
    criteria = list(Criterion.objects.filter(panel=panel))
    scores = []
    for member in sorted(members, key=lambda m: m.pk):
        for title, profile in LIBRARY_PROFILE.items():
            for criterion, base in zip(criteria, profile, strict=True):
                value = max(0, min(5, base + rng.choice([-1, 0, 0, 0, 1])))
                scores.append(
                    Score(
                        member=member.user, option=options[title], criterion=criterion, value=value
                    )
                )
    Score.objects.bulk_create(scores)
    _ensure_reasons(panel)
