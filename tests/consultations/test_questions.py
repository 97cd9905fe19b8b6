"""Every question type's rules, the structure hash and safe-edit rules."""

import pytest

from consultations.questions import Questionnaire
from tests.consultations.factories import (
    C_WEEKLY,
    M_BOOKS,
    M_COMPUTERS,
    M_EVENTS,
    Q_LONG,
    Q_MULTI,
    Q_RANK,
    Q_SCALE,
    Q_SHORT,
    Q_SINGLE,
    Q_YESNO,
    R_BOOKS,
    R_HOURS,
    R_SPACE,
    consultation_page,
    programme_page,
    questions_data,
    valid_answers,
)


@pytest.fixture
def page(home_page):
    return consultation_page(programme_page(home_page))


def test_sections_and_numbering(page):
    questionnaire = page.questionnaire
    assert [s.heading for s in questionnaire.sections] == ["Using libraries", "The future"]
    assert [q.id for q in questionnaire.sections[0].questions] == [Q_SINGLE, Q_MULTI, Q_SCALE]
    assert [q.number for q in questionnaire.questions] == list(range(1, 8))


def test_questions_before_any_section_get_a_default_section(home_page):
    data = [block for block in questions_data() if block["type"] != "section"]
    page = consultation_page(programme_page(home_page), questions=data)
    assert [s.heading for s in page.questionnaire.sections] == ["Your views"]


def test_valid_answers_have_no_problems(page):
    assert page.questionnaire.validate(valid_answers()) == {}


def test_optional_questions_may_be_left_out(page):
    answers = valid_answers()
    for key in (Q_YESNO, Q_SHORT, Q_LONG):
        del answers[key]
    assert page.questionnaire.validate(answers) == {}


@pytest.mark.parametrize(
    ("question_id", "value", "message"),
    [
        (Q_SINGLE, None, "Choose an answer"),
        (Q_SINGLE, {"choice": "forged", "other": ""}, "Choose one of the options"),
        (Q_SINGLE, "c-weekly", "Choose one of the options"),
        (Q_SINGLE, {"choice": "other", "other": ""}, "Say what your other answer is"),
        (Q_SINGLE, {"choice": C_WEEKLY, "other": "Mobile library"}, "Choose “Other”"),
        (Q_SINGLE, {"choice": "", "other": "Mobile library"}, "Choose “Other”"),
        (Q_MULTI, None, "Choose at least one"),
        (Q_MULTI, {"choices": [], "other": ""}, "Choose at least one"),
        (Q_MULTI, {"choices": [M_BOOKS, M_COMPUTERS, M_EVENTS], "other": ""}, "no more than 2"),
        (Q_MULTI, {"choices": [M_BOOKS, "forged"], "other": ""}, "only from the options"),
        (Q_MULTI, {"choices": [M_BOOKS, M_BOOKS], "other": ""}, "only once"),
        (Q_MULTI, {"choices": ["other"], "other": "x"}, "only from the options"),
        (Q_SCALE, 0, "from 1 to 5"),
        (Q_SCALE, 6, "from 1 to 5"),
        (Q_SCALE, "4", "from 1 to 5"),
        (Q_SCALE, None, "Choose an answer"),
        (Q_RANK, [R_HOURS, R_BOOKS], "different number from 1 to 3"),
        (Q_RANK, [R_HOURS, R_HOURS, R_BOOKS], "different number from 1 to 3"),
        (Q_RANK, [R_HOURS, R_BOOKS, "forged"], "different number from 1 to 3"),
        (Q_RANK, None, "Rank every item"),
        (Q_YESNO, "maybe", "Choose yes or no"),
        (Q_SHORT, "x" * 251, "250 characters or fewer"),
        (Q_SHORT, ["not", "text"], "as text"),
        (Q_LONG, "x" * 101, "100 characters or fewer (it has 101)"),
    ],
)
def test_each_bad_answer_is_refused_with_a_clear_message(page, question_id, value, message):
    answers = valid_answers()
    answers[question_id] = value
    problems = page.questionnaire.validate(answers)
    assert list(problems) == [question_id]
    assert message in problems[question_id]


def test_answers_to_unknown_questions_are_problems(page):
    answers = {**valid_answers(), "gone": "text"}
    assert "removed" in page.questionnaire.validate(answers)["gone"]


def test_other_answer_is_accepted_when_chosen(page):
    answers = valid_answers()
    answers[Q_SINGLE] = {"choice": "other", "other": "Mobile library"}
    assert page.questionnaire.validate(answers) == {}
    question = page.questionnaire.by_id[Q_SINGLE]
    assert question.display(answers[Q_SINGLE]) == "Other: Mobile library"
    assert question.rows(answers[Q_SINGLE]) == [
        {"choice": "other", "number": None, "text": "Mobile library"}
    ]


def test_rows_round_trip_for_every_type(page):
    answers = valid_answers()
    for question in page.questionnaire.questions:
        value = answers[question.id]
        assert question.value_from_rows(question.rows(value)) == value


def test_ranking_rows_store_positions(page):
    question = page.questionnaire.by_id[Q_RANK]
    rows = question.rows([R_SPACE, R_HOURS, R_BOOKS])
    assert [(r["choice"], r["number"]) for r in rows] == [(R_SPACE, 1), (R_HOURS, 2), (R_BOOKS, 3)]


def _questionnaire(data):
    from consultations.blocks import QuestionsBlock

    return Questionnaire(QuestionsBlock().to_python(data))


def test_structure_hash_ignores_wording_but_not_structure():
    original = _questionnaire(questions_data())
    reworded = questions_data()
    reworded[1]["value"]["question"] = "How often do you go to a library?"
    reworded[1]["value"]["choices"][0]["value"] = "Weekly or more"
    reworded[1]["value"]["hint"] = "Think of the last year."
    assert _questionnaire(reworded).structure_hash() == original.structure_hash()
    assert original.refused_changes(_questionnaire(reworded)) == []

    fewer_choices = questions_data()
    fewer_choices[1]["value"]["choices"].pop()
    assert _questionnaire(fewer_choices).structure_hash() != original.structure_hash()


def test_adding_questions_and_choices_is_safe():
    original = _questionnaire(questions_data())
    data = questions_data()
    data[1]["value"]["choices"].append({"type": "item", "value": "Daily", "id": "c-daily"})
    data.append(
        {
            "type": "yes_no",
            "id": "30000000-0000-4000-8000-000000000001",
            "value": {"question": "New?", "hint": "", "required": False},
        }
    )
    assert original.refused_changes(_questionnaire(data)) == []


def _refusals(change):
    data = questions_data()
    change(data)
    return _questionnaire(questions_data()).refused_changes(_questionnaire(data))


def test_removing_a_question_is_refused():
    problems = _refusals(lambda data: data.pop(1))
    assert len(problems) == 1
    assert "“How often do you visit a library?” already has responses" in problems[0]


def test_removing_a_choice_is_refused():
    problems = _refusals(lambda data: data[1]["value"]["choices"].pop())
    assert problems == [
        "The choice “Never” of “How often do you visit a library?” cannot be removed: the "
        "question already has responses. You can reword the choice instead."
    ]


def test_changing_type_scale_other_and_limits_is_refused():
    def change(data):
        data[1]["type"] = "multiple_choice"
        data[3]["value"]["maximum"] = 10
        data[8]["value"]["max_characters"] = 50

    problems = _refusals(change)
    assert any("cannot change from single choice to multiple choice" in p for p in problems)
    assert any("scale" in p for p in problems)
    assert any("character limit" in p for p in problems)

    def other_off(data):
        data[1]["value"]["allow_other"] = False

    assert any("“Other” choice" in p for p in _refusals(other_off))


def test_every_question_block_has_its_class(page):
    from consultations.blocks import QUESTION_TYPES, QuestionsBlock
    from consultations.questions import QUESTION_CLASSES, Question

    block_types = set(QuestionsBlock().child_blocks) - {"section"}
    assert set(QUESTION_CLASSES) == block_types == set(QUESTION_TYPES)
    for block_type, cls in QUESTION_CLASSES.items():
        assert issubclass(cls, Question) and cls.type == block_type
    assert {type(q).type for q in page.questionnaire.questions} == block_types


def test_structure_hash_is_unchanged_by_the_question_classes(page):
    # Forms in people's browsers carry this hash: a new one would make them stale.
    assert page.questionnaire.structure_hash() == "956e0234e87c149df6d1"
