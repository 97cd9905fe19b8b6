"""Consultation factories: a programme to hang them on, a questionnaire with
every question type (fixed block ids, so tests can name questions), and
valid answers to it."""

import copy
import time

from commissioning.stages import ANALYSE
from consultations.forms import form_token
from consultations.models import ConsultationPage
from tests.pages import ConsultationPageFactory, programme_under

Q_SINGLE = "10000000-0000-4000-8000-000000000001"
Q_MULTI = "10000000-0000-4000-8000-000000000002"
Q_SCALE = "10000000-0000-4000-8000-000000000003"
Q_RANK = "10000000-0000-4000-8000-000000000004"
Q_YESNO = "10000000-0000-4000-8000-000000000005"
Q_SHORT = "10000000-0000-4000-8000-000000000006"
Q_LONG = "10000000-0000-4000-8000-000000000007"

C_WEEKLY, C_MONTHLY, C_NEVER = "c-weekly", "c-monthly", "c-never"
M_BOOKS, M_COMPUTERS, M_EVENTS = "m-books", "m-computers", "m-events"
R_HOURS, R_BOOKS, R_SPACE = "r-hours", "r-books", "r-space"


def _items(pairs):
    return [{"type": "item", "value": label, "id": cid} for cid, label in pairs]


def questions_data():
    """Two sections and every question type, as raw StreamField data."""
    return [
        {
            "type": "section",
            "id": "20000000-0000-4000-8000-000000000001",
            "value": {"heading": "Using libraries", "introduction": "How you use them now."},
        },
        {
            "type": "single_choice",
            "id": Q_SINGLE,
            "value": {
                "question": "How often do you visit a library?",
                "hint": "",
                "required": True,
                "choices": _items(
                    [(C_WEEKLY, "Every week"), (C_MONTHLY, "Every month"), (C_NEVER, "Never")]
                ),
                "allow_other": True,
            },
        },
        {
            "type": "multiple_choice",
            "id": Q_MULTI,
            "value": {
                "question": "What do you use the library for?",
                "hint": "",
                "required": True,
                "choices": _items(
                    [
                        (M_BOOKS, "Borrowing books"),
                        (M_COMPUTERS, "Computers"),
                        (M_EVENTS, "Events"),
                    ]
                ),
                "allow_other": False,
                "min_selections": 1,
                "max_selections": 2,
            },
        },
        {
            "type": "scale",
            "id": Q_SCALE,
            "value": {
                "question": "How good is your library?",
                "hint": "",
                "required": True,
                "minimum": 1,
                "maximum": 5,
                "low_label": "Very poor",
                "high_label": "Very good",
            },
        },
        {
            "type": "section",
            "id": "20000000-0000-4000-8000-000000000002",
            "value": {"heading": "The future", "introduction": ""},
        },
        {
            "type": "ranking",
            "id": Q_RANK,
            "value": {
                "question": "Rank these by importance",
                "hint": "",
                "required": True,
                "items": _items(
                    [(R_HOURS, "Opening hours"), (R_BOOKS, "Book stock"), (R_SPACE, "Study space")]
                ),
            },
        },
        {
            "type": "yes_no",
            "id": Q_YESNO,
            "value": {"question": "Would you volunteer?", "hint": "", "required": False},
        },
        {
            "type": "short_text",
            "id": Q_SHORT,
            "value": {"question": "Which library do you use most?", "hint": "", "required": False},
        },
        {
            "type": "long_text",
            "id": Q_LONG,
            "value": {
                "question": "Anything else?",
                "hint": "",
                "required": False,
                "max_characters": 100,
            },
        },
    ]


def valid_answers():
    return copy.deepcopy(
        {
            Q_SINGLE: {"choice": C_WEEKLY, "other": ""},
            Q_MULTI: {"choices": [M_BOOKS], "other": ""},
            Q_SCALE: 4,
            Q_RANK: [R_HOURS, R_BOOKS, R_SPACE],
            Q_YESNO: "yes",
            Q_SHORT: "Central",
            Q_LONG: "Open on Sundays please",
        }
    )


def programme_page(home_page, slug="libraries-and-archives"):
    return programme_under(home_page, title="Libraries and archives", slug=slug)


def consultation_page(parent, *, slug="future-of-libraries", questions=None, **kwargs):
    page = ConsultationPageFactory(
        parent=parent,
        slug=slug,
        stage=ANALYSE,
        questions=questions if questions is not None else questions_data(),
        **kwargs,
    )
    return ConsultationPage.objects.get(pk=page.pk)


def token_for(structure_hash, seconds_ago=60):
    return form_token(structure_hash, issued_at=time.time() - seconds_ago)


def section_one_data(page, **overrides):
    section = page.questionnaire.section(1)
    data = {
        "form_token": token_for(section.structure_hash()),
        f"q_{Q_SINGLE}": C_WEEKLY,
        f"q_{Q_MULTI}": [M_BOOKS],
        f"q_{Q_SCALE}": "4",
        "website_url": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def section_two_data(page, **overrides):
    section = page.questionnaire.section(2)
    data = {
        "form_token": token_for(section.structure_hash()),
        f"q_{Q_RANK}_0": "1",
        f"q_{Q_RANK}_1": "2",
        f"q_{Q_RANK}_2": "3",
        f"q_{Q_YESNO}": "yes",
        f"q_{Q_SHORT}": "Central",
        f"q_{Q_LONG}": "Open on Sundays please",
        "website_url": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def bulk_responses(page, count, *, seed=1):
    """`count` submitted responses with answers, written in bulk (for scale tests)."""
    import random

    from django.utils import timezone

    from consultations.models import Answer, Response

    rng = random.Random(seed)
    now = timezone.now()
    responses = Response.objects.bulk_create(
        [
            Response(consultation=page, status=Response.SUBMITTED, submitted_at=now)
            for _ in range(count)
        ]
    )
    questionnaire = page.questionnaire
    rows = []
    for response in responses:
        answers = valid_answers()
        answers[Q_SCALE] = rng.randint(1, 5)
        answers[Q_LONG] = rng.choice(["More books", "Longer hours", "Keep Brookside open"])
        for question in questionnaire.questions:
            for row in question.rows(answers[question.id]):
                rows.append(
                    Answer(response=response, consultation=page, question_id=question.id, **row)
                )
    Answer.objects.bulk_create(rows, batch_size=2000)
    return responses
