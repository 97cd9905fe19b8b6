"""Free text for the spine's themes: long answers of submitted responses."""

from commissioning.themes.sources import TextItem


def consultation_texts(consultation):
    from . import blocks
    from .models import Answer, Response

    questions = {
        q.id: q.label for q in consultation.questionnaire.questions if q.type == blocks.LONG_TEXT
    }
    if not questions:
        return
    answers = (
        Answer.objects.filter(
            consultation=consultation,
            question_id__in=questions,
            response__status=Response.SUBMITTED,
        )
        .exclude(text="")
        .order_by("pk")
        .values_list("pk", "question_id", "text")
    )
    for pk, question_id, text in answers:
        yield TextItem(key=f"consultations.answer:{pk}", text=text, context=questions[question_id])
