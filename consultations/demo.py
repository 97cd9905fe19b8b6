"""Demo borough: an open libraries review consultation and a closed day-opportunities one.

The open one has every question type, sections and equality monitoring; the
closed one has a few hundred generated responses (seeded, so every run makes
the same ones) and published results. Pages are found by slug and responses
are only generated while there are none, so a second run changes nothing.
"""

import random
import uuid
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from commissioning.demo import WARDS
from commissioning.demographics import ATTRIBUTES
from commissioning.models import Participation, ProgrammePage, Ward
from commissioning.stages import ANALYSE, REVIEW

from .models import Answer, ConsultationPage, EqualityRecord, Response

LIBRARIES_SLUG = "future-of-kelderbys-libraries"
DAY_OPPORTUNITIES_SLUG = "what-matters-in-day-opportunities"
GENERATED_RESPONSES = 320
SEED = 20261122


def _id(slug, key):
    """Stable block ids, so a rebuilt demo has the same question ids."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"https://kelderby.example/{slug}/{key}"))


def _items(slug, key, labels):
    return [
        {"type": "item", "value": label, "id": _id(slug, f"{key}/{n}")}
        for n, label in enumerate(labels)
    ]


def _section(slug, key, heading, introduction=""):
    return {
        "type": "section",
        "id": _id(slug, key),
        "value": {"heading": heading, "introduction": introduction},
    }


def _question(slug, key, kind, text, *, hint="", required=True, **extra):
    return {
        "type": kind,
        "id": _id(slug, key),
        "value": {"question": text, "hint": hint, "required": required, **extra},
    }


def libraries_questions():
    s = LIBRARIES_SLUG
    return [
        _section(s, "use", "How you use libraries", "Tell us about the last 12 months."),
        _question(
            s,
            "often",
            "single_choice",
            "How often do you use a Kelderby library?",
            choices=_items(
                s,
                "often",
                ["Every week", "Every month", "A few times a year", "Not in the last year"],
            ),
            allow_other=False,
        ),
        _question(
            s,
            "what",
            "multiple_choice",
            "What do you use libraries for?",
            choices=_items(
                s,
                "what",
                [
                    "Borrowing books or e-books",
                    "Computers, printing and wifi",
                    "Children's activities",
                    "Quiet study space",
                    "Meeting people and groups",
                    "Help with council services",
                ],
            ),
            allow_other=True,
            min_selections=1,
            max_selections=3,
        ),
        _question(
            s,
            "satisfied",
            "scale",
            "How satisfied are you with your local library?",
            minimum=1,
            maximum=5,
            low_label="Very dissatisfied",
            high_label="Very satisfied",
        ),
        _question(s, "mobile", "yes_no", "Have you used the mobile library van?", required=False),
        _section(
            s,
            "future",
            "The first year and what comes next",
            "The council's ten-year grant agreement with Kelderby Libraries is reviewed this "
            "year.",
        ),
        _question(
            s,
            "rank",
            "ranking",
            "What should the grant agreement protect most? Rank these in order of importance",
            items=_items(
                s,
                "rank",
                [
                    "Opening hours",
                    "Book and e-book stock",
                    "Computers and wifi",
                    "Activities for children",
                    "Somewhere warm and quiet to study",
                ],
            ),
        ),
        _question(
            s,
            "better",
            "single_choice",
            "Since Kelderby Libraries took over the service, has your library got better or worse?",
            choices=_items(s, "better", ["Better", "About the same", "Worse", "I don't know"]),
            allow_other=True,
        ),
        _question(
            s,
            "branch",
            "short_text",
            "Which library do you use most?",
            hint="For example, Brookside or Castlegate.",
            required=False,
        ),
        _question(
            s,
            "ideas",
            "long_text",
            "What would make you use libraries more?",
            required=False,
            max_characters=1500,
        ),
    ]


def day_opportunities_questions():
    s = DAY_OPPORTUNITIES_SLUG
    return [
        _section(s, "you", "About your experience"),
        _question(
            s,
            "who",
            "single_choice",
            "Which of these best describes you?",
            choices=_items(
                s,
                "who",
                [
                    "I use day opportunities",
                    "I am a family member or carer",
                    "I work in day opportunities",
                    "I am a Kelderby resident",
                ],
            ),
            allow_other=True,
        ),
        _question(
            s,
            "good",
            "scale",
            "How good are day opportunities in Kelderby today?",
            minimum=1,
            maximum=5,
            low_label="Very poor",
            high_label="Very good",
        ),
        _section(s, "matters", "What matters"),
        _question(
            s,
            "matters",
            "multiple_choice",
            "What matters most in a good day?",
            choices=_items(
                s,
                "matters",
                [
                    "Friends and company",
                    "Paid or voluntary work",
                    "Learning new skills",
                    "Being active and outdoors",
                    "Art, music and drama",
                    "Reliable transport",
                ],
            ),
            allow_other=False,
            min_selections=1,
            max_selections=3,
        ),
        _question(
            s,
            "where",
            "ranking",
            "Where should activities happen?",
            items=_items(
                s,
                "where",
                ["In a day centre", "Out in the community", "In people's own homes"],
            ),
        ),
        _question(
            s, "budget", "yes_no", "Would you like to choose activities with a personal budget?"
        ),
        _question(
            s,
            "story",
            "long_text",
            "Tell us what a good day looks like for you or the person you care for",
            required=False,
            max_characters=2000,
        ),
    ]


IDEAS = [
    "Open later on weekdays so I can go after work.",
    "Saturday afternoons and Sunday opening would help families.",
    "More large print and audio books for older readers.",
    "Quiet study space during exams, the tables fill up fast.",
    "Better wifi and somewhere to charge a phone.",
    "Rhyme time at a time working parents can make.",
    "A warm space in winter with hot drinks.",
    "Help to get online and fill in forms.",
    "Keep Fernhill library open, it is the only public building left in the village.",
    "Friendship groups for people who live alone.",
]
GOOD_DAYS = [
    "Seeing my friends at the allotment and having lunch together.",
    "Doing a few hours' paid work at the café and getting the bus home myself.",
    "Swimming in the morning and art in the afternoon.",
    "Staff who know him well and a routine he can rely on.",
    "Going out into town, not sitting in the same room all day.",
    "Music sessions, she lights up when there is singing.",
    "Transport that turns up on time so the day starts calmly.",
    "Learning to cook and taking what I make home.",
]


def _programme(slug, stdout):
    programme = ProgrammePage.objects.filter(slug=slug).first()
    if programme is None:
        stdout.write(f"consultations: programme “{slug}” not found; skipped its consultation.\n")
    return programme


def _create(parent, **fields):
    existing = ConsultationPage.objects.filter(slug=fields["slug"]).first()
    if existing is not None:
        return existing, False
    page = ConsultationPage(**fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return ConsultationPage.objects.get(pk=page.pk), True


def _single_choice(question, rng):
    ids = [cid for cid, _ in question.choices]
    choice = rng.choices(ids, weights=[5, 4, 2, 1][: len(ids)])[0]
    if question.has_other and rng.random() < 0.04:
        return {"choice": "other", "other": "A support worker from an agency"}
    return {"choice": choice, "other": ""}


def _multiple_choice(question, rng):
    ids = [cid for cid, _ in question.choices]
    count = rng.randint(question.min_selections or 1, question.max_selections or len(ids))
    weights = [6, 4, 3, 5, 2, 4][: len(ids)]
    chosen = []
    while len(chosen) < count:
        pick = rng.choices(ids, weights=weights)[0]
        if pick not in chosen:
            chosen.append(pick)
    return {"choices": chosen, "other": ""}


def _ranking(question, rng):
    ids = [cid for cid, _ in question.choices]
    return sorted(ids, key=lambda cid: rng.random() * (1.6 if cid == ids[0] else 1))


def _long_text(question, rng):
    return rng.choice(GOOD_DAYS) if rng.random() < 0.45 else None


# A plausible answer per question type (None leaves the question unanswered).
SAMPLE_ANSWERS = {
    "single_choice": _single_choice,
    "multiple_choice": _multiple_choice,
    "scale": lambda question, rng: rng.choices([1, 2, 3, 4, 5], weights=[2, 4, 5, 3, 1])[0],
    "ranking": _ranking,
    "yes_no": lambda question, rng: rng.choices(["yes", "no"], weights=[7, 3])[0],
    "long_text": _long_text,
    "short_text": lambda question, rng: None,
}


def _answers(page, rng):
    """A plausible complete response to the day-opportunities questionnaire."""
    answers = {}
    for question in page.questionnaire.questions:
        value = SAMPLE_ANSWERS[question.type](question, rng)
        if value is not None:
            answers[question.id] = value
    return answers


def _pick(rng, shares, prefer_not=0.06):
    if rng.random() < prefer_not:
        return "prefer-not"
    values = list(shares)
    return rng.choices(values, weights=[shares[v] for v in values])[0]


# How many times its share of the population each ward's residents take part,
# so the officer brief's reach shows a familiar pattern: the affluent centre
# over-represented, the outlying estates under.
WARD_TURNOUT = {
    "Abbeyfield": 1.5,
    "Brookside": 1.1,
    "Castlegate": 0.8,
    "Dunmere": 1.2,
    "Eastholme": 0.9,
    "Fernhill": 0.35,
    "Greywell": 1.0,
    "Harbourside": 0.55,
}
# Paper forms returned without an address: their ward is not known.
UNKNOWN_WARD = 0.05


def _times(page, rng, *, now):
    """When each generated response came in: while the consultation was open, and
    never later than now (a consultation still open gets responses up to today)."""
    latest = min(page.closes_at, now) - timedelta(hours=1)
    span = max((latest - page.opens_at).total_seconds(), 0)
    return sorted(
        page.opens_at + timedelta(seconds=rng.random() * span) for _ in range(GENERATED_RESPONSES)
    )


def _participant_ward(rng, wards):
    if rng.random() < UNKNOWN_WARD:
        return None
    names = list(WARD_TURNOUT)
    weights = [
        population * WARD_TURNOUT[name] for name, _, population, _ in WARDS if name in names
    ]
    return wards.get(_ward_slug(rng.choices(names, weights=weights)[0]))


def _submitted(page, rng, *, now):
    """Seeded participations and their submitted responses (no answers yet)."""
    wards = {ward.slug: ward for ward in Ward.objects.all()}
    plans = [(when, rng.random() < 0.12) for when in _times(page, rng, now=now)]
    participations = Participation.objects.bulk_create(
        [
            Participation(
                engagement=page,
                channel=Participation.PAPER if paper else Participation.WEB,
                wants_feedback=rng.random() < 0.3,
                ward=_participant_ward(rng, wards),
                created_at=when,
            )
            for when, paper in plans
        ]
    )
    return Response.objects.bulk_create(
        [
            Response(
                consultation=page,
                participation=participation,
                ward=participation.ward,
                status=Response.SUBMITTED,
                channel=Response.PAPER if paper else Response.WEB,
                structure_hash=page.questionnaire.structure_hash(),
                created_at=when,
                submitted_at=when,
                received_on=when.date() if paper else None,
            )
            for participation, (when, paper) in zip(participations, plans, strict=True)
        ]
    )


def _equality(rng):
    """Equality monitoring answers for one respondent, or None (four in five answer)."""
    if rng.random() >= 0.8:
        return None
    name, _, _, shares = rng.choices(WARDS, weights=[ward[2] for ward in WARDS])[0]
    return {
        "ward": _ward_slug(name) if rng.random() > 0.05 else "prefer-not",
        **{key: _pick(rng, shares[key]) for key in ATTRIBUTES},
    }


@transaction.atomic
def _generate_responses(page, stdout, *, now=None):
    """Bulk-create seeded responses with answers, participations and equality records.

    Participants' wards (which the officer brief's reach counts) are drawn
    apart from the equality records' wards, so the two cannot be matched up.
    """
    rng = random.Random(SEED)
    responses = _submitted(page, rng, now=now or timezone.now())
    rows, records = [], []
    for response in responses:
        answers = _answers(page, rng)
        for question in page.questionnaire.questions:
            for row in question.rows(answers.get(question.id)):
                rows.append(
                    Answer(response=response, consultation=page, question_id=question.id, **row)
                )
        if (equality := _equality(rng)) is not None:
            month = timezone.localdate(response.submitted_at).replace(day=1)
            records.append(EqualityRecord(consultation=page, month=month, **equality))
    Answer.objects.bulk_create(rows, batch_size=2000)
    # As `equality_records_release` would: one shuffled batch, apart from the responses.
    rng.shuffle(records)
    EqualityRecord.objects.bulk_create(records, batch_size=2000)
    stdout.write(f"consultations: generated {len(responses)} responses for “{page.title}”.\n")


def _ward_slug(name):
    from django.utils.text import slugify

    return slugify(name)


def load(*, stdout):
    now = timezone.now()
    libraries = _programme("libraries-and-archives", stdout)
    if libraries is not None:
        page, created = _create(
            libraries,
            title="Future of Kelderby's libraries",
            slug=LIBRARIES_SLUG,
            introduction="A year after Kelderby Libraries, a community benefit society owned by "
            "residents and staff, took over the borough's eight libraries, tell us how they are "
            "doing and what should change.",
            about="<p>The council pays Kelderby Libraries a ten-year grant to run the service. "
            "Your answers, with visit and loan figures and the society's social value report, "
            "will shape what changes in the grant agreement when it is reviewed this year.</p>",
            stage=REVIEW,
            opens_at=now - timedelta(days=10),
            closes_at=now + timedelta(days=45),
            audience=ConsultationPage.ANYONE,
            questions=libraries_questions(),
            equality_monitoring=True,
            results_public=True,
        )
        if created:
            stdout.write(f"consultations: created “{page.title}”.\n")
    day = _programme("day-opportunities", stdout)
    if day is not None:
        page, created = _create(
            day,
            title="What matters in day opportunities",
            slug=DAY_OPPORTUNITIES_SLUG,
            introduction="We asked disabled adults, families and staff what a good day looks "
            "like, before redesigning day opportunities.",
            about="<p>This consultation ran for six weeks in the analyse stage. Easy read and "
            "paper copies were available at every day centre.</p>",
            stage=ANALYSE,
            opens_at=now - timedelta(days=110),
            closes_at=now - timedelta(days=45),
            audience=ConsultationPage.ANYONE,
            questions=day_opportunities_questions(),
            equality_monitoring=True,
            results_public=True,
        )
        if created:
            stdout.write(f"consultations: created “{page.title}”.\n")
        if not Response.objects.filter(consultation=page).exists():
            _generate_responses(page, stdout)
