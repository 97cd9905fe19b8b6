"""Reads: results, free-text answers, equality monitoring and exports.

Counts are computed in the database (GROUP BY over answer rows), so the
results page runs the same handful of queries however many responses there
are; once a consultation has closed they are stored and read back from one
row (`commissioning.stored`).
"""

from collections import Counter, defaultdict

from django.db.models import Avg, Count, Max, Q

from commissioning.demographics import ATTRIBUTES, PREFER_NOT_TO_SAY, attribute_label
from commissioning.models import Ward
from commissioning.stored import stored_result
from commissioning.summaries import Table

from .models import Answer, EqualityRecord, PendingEqualityAnswers, Response

# Equality groups smaller than this are not shown, so no one can be picked out.
SUPPRESS_BELOW = 5


def response_for_user(*, consultation, user):
    if user is None or not user.is_authenticated:
        return None
    return Response.objects.filter(consultation=consultation, user=user).first()


RESULTS = "consultations.tallies"
# Raise when the stored payload's shape or meaning changes: stored tallies are counted again.
RESULTS_VERSION = 1


def _responses_fingerprint(consultation):
    """How many responses, the last id and the last change (drafts too), one query."""
    state = Response.objects.filter(consultation=consultation).aggregate(
        n=Count("pk"), top=Max("pk"), last=Max("updated_at")
    )
    last = state["last"].isoformat() if state["last"] else ""
    return f"{state['n']}:{state['top'] or 0}:{last}"


def count_tallies(*, consultation):
    """Totals, answer rows grouped by (question, choice) and respondents per question (three queries)."""
    totals = (
        Response.objects.filter(consultation=consultation)
        .submitted()
        .aggregate(
            total=Count("id"),
            online=Count("id", filter=Q(channel=Response.WEB)),
            paper=Count("id", filter=Q(channel=Response.PAPER)),
        )
    )
    answers = Answer.objects.filter(consultation=consultation)
    grouped = (
        answers.values_list("question_id", "choice")
        .annotate(n=Count("id"), avg=Avg("number"), first=Count("id", filter=Q(number=1)))
        .order_by("question_id", "choice")
    )
    answered = (
        answers.values_list("question_id")
        .annotate(n=Count("response_id", distinct=True))
        .order_by("question_id")
    )
    return {
        "totals": totals,
        "grouped": [list(row) for row in grouped],
        "answered": [list(row) for row in answered],
    }


def consultation_results(*, consultation):
    """Totals and, per question, counts and shares: counted while open (four
    queries), stored once closed (`commissioning.stored`)."""
    tallies = stored_result(
        engagement=consultation,
        name=RESULTS,
        version=RESULTS_VERSION,
        fingerprint=_responses_fingerprint(consultation),
        compute=lambda: count_tallies(consultation=consultation),
    )
    grouped = defaultdict(dict)
    for question_id, choice, n, avg, first in tallies["grouped"]:
        grouped[question_id][choice] = {"n": n, "avg": avg, "first": first}
    answered = dict(tallies["answered"])
    results = [
        question.result(counts=grouped.get(question.id, {}), answered=answered.get(question.id, 0))
        for question in consultation.questionnaire.questions
    ]
    return {"totals": tallies["totals"], "questions": results}


def text_answers(*, consultation, question_id, query=""):
    """Free-text answers (including "other" answers) to one question, newest first."""
    answers = (
        Answer.objects.filter(consultation=consultation, question_id=question_id)
        .exclude(text="")
        .select_related("response")
        .only("id", "text", "choice", "response__submitted_at", "response__channel")
        .order_by("-response__submitted_at", "-id")
    )
    if query:
        answers = answers.filter(text__icontains=query)
    return answers


def _equality_counts(consultation, key):
    """{value: respondents} for one attribute, over moved and still pending answers (one query)."""
    counts = Counter()
    moved = (
        EqualityRecord.objects.filter(consultation=consultation)
        .exclude(**{key: ""})
        .values_list(key)
        .annotate(n=Count("pk"))
        .order_by()
    )
    pending = (
        PendingEqualityAnswers.objects.filter(consultation=consultation)
        .exclude(**{key: ""})
        .values_list(key)
        .annotate(n=Count("pk"))
        .order_by()
    )
    for value, n in moved.union(pending, all=True):
        counts[value] += n
    return counts


def equality_respondents(*, consultation):
    """How many people answered equality monitoring (moved and pending; one query)."""
    moved = EqualityRecord.objects.filter(consultation=consultation).values_list("consultation_id")
    pending = PendingEqualityAnswers.objects.filter(consultation=consultation).values_list(
        "consultation_id"
    )
    return moved.union(pending, all=True).count()


def equality_summary(*, consultation, suppress_below=SUPPRESS_BELOW):
    """Counts per attribute value; groups smaller than `suppress_below` are
    merged into one "fewer than N" line so no one can be picked out.

    Answers still waiting for their batch to be moved count too, so the
    figures are complete at any moment.
    """
    attributes = [(key, label) for key, (label, _) in ATTRIBUTES.items()]
    attributes.append(("ward", "Ward"))
    ward_names = None
    tables = []
    for key, label in attributes:
        counts = _equality_counts(consultation, key)
        if key == "ward":
            ward_names = dict(Ward.objects.values_list("slug", "name"))
            ward_names[EqualityRecord.OUTSIDE] = "Outside the borough"
            ward_names[PREFER_NOT_TO_SAY[0]] = PREFER_NOT_TO_SAY[1]
        rows, hidden = [], 0
        for value, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            if count < suppress_below:
                hidden += count
                continue
            name = ward_names.get(value, value) if key == "ward" else attribute_label(key, value)
            rows.append([name, count])
        if hidden:
            rows.append([f"Groups of fewer than {suppress_below} (combined)", hidden])
        tables.append(Table(caption=label, columns=[label, "Respondents"], rows=rows))
    return tables


def responses_table(*, consultation):
    """One row per submitted response and one column per question."""
    questionnaire = consultation.questionnaire
    responses = list(
        Response.objects.filter(consultation=consultation)
        .submitted()
        .order_by("submitted_at", "id")
        .values_list("id", "channel", "submitted_at")
    )
    by_response = defaultdict(lambda: defaultdict(list))
    for row in (
        Answer.objects.filter(consultation=consultation)
        .order_by("id")
        .values("response_id", "question_id", "choice", "number", "text")
        .iterator(chunk_size=5000)
    ):
        by_response[row["response_id"]][row["question_id"]].append(row)
    columns = ["Response", "Channel", "Submitted"]
    for question in questionnaire.questions:
        columns += question.export_columns()
    channels = dict(Response.CHANNELS)
    rows = []
    for response_id, channel, submitted_at in responses:
        answers = by_response.get(response_id, {})
        row = [
            response_id,
            channels.get(channel, channel),
            submitted_at.strftime("%Y-%m-%d %H:%M"),
        ]
        for question in questionnaire.questions:
            row += question.export_cells(answers.get(question.id, []))
        rows.append(row)
    return Table(caption=consultation.title[:31], columns=columns, rows=rows)


def consultation_responses_export(user):
    """A person's own responses and drafts, for "download my data".

    Equality monitoring answers cannot be included: they are not linked to
    anyone, by design.
    """
    responses = (
        Response.objects.filter(user=user)
        .select_related("consultation")
        .prefetch_related("answers")
        .order_by("created_at", "pk")
    )
    records = []
    for response in responses:
        questionnaire = response.consultation.questionnaire
        if response.status == Response.SUBMITTED:
            rows = defaultdict(list)
            for answer in response.answers.all():
                rows[answer.question_id].append(
                    {"choice": answer.choice, "number": answer.number, "text": answer.text}
                )
            values = {q.id: q.value_from_rows(rows.get(q.id, [])) for q in questionnaire.questions}
        else:
            values = (response.draft or {}).get("answers", {})
        records.append(
            {
                "consultation": response.consultation.title,
                "status": response.get_status_display(),
                "submitted_at": response.submitted_at.isoformat()
                if response.submitted_at
                else None,
                "answers": {q.label: q.display(values.get(q.id)) for q in questionnaire.questions},
            }
        )
    return records
