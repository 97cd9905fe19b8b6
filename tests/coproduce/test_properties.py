"""Property: whatever a person types into a public form, the answer is a field error
(the form's, or the service's ValidationError) or success — never another exception.

Each property drives the public form and then its service the way the view does,
with generated values mixed into a valid submission (so most examples reach the
service); the consultation property drives its service with generated answers.
Each example runs in a rolled-back savepoint, so examples never see each other.
"""

from contextlib import contextmanager

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import QueryDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.forms import ProfileForm
from accounts.services import user_profile_update
from assetmap.forms import AssetForm
from assetmap.services import asset_submit
from budget.forms import ResidentResponseForm, rules_version
from budget.services import budget_response_record
from consultations.services import consultation_response_submit
from panels.forms import ApplicationForm
from panels.services import application_submit
from tests.assetmap.factories import AssetCategoryFactory
from tests.budget.factories import conversation_factory, valid_choices
from tests.commissioning.factories import WardFactory
from tests.consultations.factories import consultation_page, programme_page, valid_answers
from tests.panels.factories import make_panel

pytestmark = pytest.mark.django_db

EXAMPLES = 30
PROPERTY = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# What people type: any text (emoji, control characters, right-to-left marks …),
# numbers far outside any range, and nothing at all.
TEXT = st.text(max_size=300)
NUMBERS = st.integers(min_value=-(10**15), max_value=10**15).map(str)
DECIMALS = st.floats(allow_nan=True, allow_infinity=True).map(str)
TYPED = st.one_of(TEXT, NUMBERS, DECIMALS, st.just(""))


class Outcome:
    """What the examples ended in, to show the run was not vacuous."""

    def __init__(self):
        self.counts = {"field error": 0, "service refusal": 0, "saved": 0}

    def add(self, kind):
        self.counts[kind] += 1


@pytest.fixture
def outcome():
    return Outcome()


@contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _choices(field):
    if isinstance(field, forms.ModelChoiceField):
        return [str(pk) for pk in field.queryset.values_list("pk", flat=True)]
    return [str(value) for value, _ in getattr(field, "choices", []) if value not in ("", None)]


def field_strategy(field, valid):
    """A value for one field: the valid one, one of its choices, or anything typed."""
    options = [TYPED]
    if choices := _choices(field):
        options.insert(0, st.sampled_from(choices))
    if isinstance(field, forms.BooleanField):
        options = [st.sampled_from(["on", "", "false", "0"])]
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        values = st.lists(st.one_of(*options), max_size=4)
        return st.one_of(st.just(valid), values) if valid is not None else values
    value = st.one_of(*options)
    return st.one_of(st.just(valid), value) if valid is not None else value


def form_data(form, valid):
    """A strategy of POST data for `form`: a valid submission with one field
    generated (so the service sees most of them), or every field valid-or-generated."""
    fields = {
        name: field_strategy(field, valid.get(name))
        for name, field in form.fields.items()
        if not isinstance(field, forms.FileField)
    }
    one_changed = st.sampled_from(sorted(fields)).flatmap(
        lambda name: fields[name].map(lambda value: {**valid, name: value})
    )
    return st.one_of(one_changed, st.fixed_dictionaries(fields))


def querydict(data):
    result = QueryDict(mutable=True)
    for name, value in data.items():
        if value is None:
            continue
        result.setlist(name, value if isinstance(value, list) else [value])
    return result


def submit(outcome, form, call):
    """The view's path: the form's field errors, else the service's, else saved."""
    with rolled_back():
        if not form.is_valid():
            assert form.errors
            outcome.add("field error")
            return
        try:
            call(form)
        except ValidationError as error:
            assert error.messages
            outcome.add("service refusal")
        else:
            outcome.add("saved")


def assert_explored(outcome):
    print(outcome.counts)  # with -s: how the examples ended
    assert sum(outcome.counts.values()) >= 1
    assert outcome.counts["field error"] + outcome.counts["service refusal"] >= 1


# ------------------------------------------------------------------ budget


@pytest.fixture
def budget(home_page, resident):
    conversation = conversation_factory(home_page)
    proposals = list(conversation.proposals.all())
    lines = list(conversation.lines.all())
    answers, allocations = valid_choices(conversation)
    valid = {f"proposal_{pk}": stance for pk, stance in answers.items()}
    valid.update({f"line_{pk}": str(amount) for pk, amount in allocations.items()})
    valid["rules_version"] = rules_version(conversation, lines)
    kwargs = {"conversation": conversation, "proposals": proposals, "lines": lines}
    return conversation, kwargs, valid


def test_budget_response(budget, resident, outcome):
    conversation, kwargs, valid = budget

    @PROPERTY
    @given(data=form_data(ResidentResponseForm(**kwargs), valid))
    def run(data):
        form = ResidentResponseForm(querydict(data), **kwargs)
        submit(
            outcome,
            form,
            lambda form: budget_response_record(
                conversation=conversation,
                user=resident,
                answers=form.answers(),
                allocations=form.allocations(),
                comments=form.comments(),
                wants_feedback=form.cleaned_data.get("wants_feedback", False),
            ),
        )

    run()
    assert_explored(outcome)


# ------------------------------------------------------------------ panels


def test_panel_application(home_page, resident, outcome):
    WardFactory(name="Fernhill", slug="fernhill", postcode_prefixes="KX5")
    panel = make_panel(home_page, attributes=("gender", "age_band", "ward"))
    valid = {
        "name": "Jo Bloggs",
        "gender": "woman",
        "age_band": "25-34",
        "availability": ["weekend"],
        "consent": "on",
    }

    @PROPERTY
    @given(data=form_data(ApplicationForm(panel=panel), valid))
    def run(data):
        form = ApplicationForm(querydict(data), panel=panel)
        submit(
            outcome,
            form,
            lambda form: application_submit(panel=panel, user=resident, data=form.cleaned_data),
        )

    run()
    assert_explored(outcome)


# ------------------------------------------------------------------ asset map


def test_asset_submission(resident, outcome):
    category = AssetCategoryFactory(name="Green spaces", slug="green-spaces")
    ward = WardFactory(name="Fernhill", slug="fernhill", postcode_prefixes="KX5")
    valid = {
        "name": "Fernhill Orchard",
        "kind": "space",
        "category": str(category.pk),
        "description": "Heritage apple trees.",
        "ward": str(ward.pk),
        "latitude": "53.65",
        "longitude": "-2.1",
        "tags": "fruit, free",
    }

    @PROPERTY
    @given(data=form_data(AssetForm(user=resident), valid))
    def run(data):
        form = AssetForm(querydict(data), user=resident)
        submit(
            outcome,
            form,
            lambda form: asset_submit(
                user=resident, data=form.service_data(), photos=form.cleaned_data["photos"]
            ),
        )

    run()
    assert_explored(outcome)


# ------------------------------------------------------------------ accounts


def test_profile_update(resident, outcome):
    WardFactory(name="Brookside", slug="brookside", postcode_prefixes="KX1")
    valid = {"display_name": "Sam", "postcode": "KX1 2AB", "notifications": []}

    @PROPERTY
    @given(data=form_data(ProfileForm(), valid))
    def run(data):
        form = ProfileForm.for_user(resident, data=querydict(data))
        submit(
            outcome,
            form,
            lambda form: user_profile_update(user=resident, **form.service_arguments()),
        )

    run()
    assert_explored(outcome)


# ------------------------------------------------------------------ consultations

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(TEXT, children, max_size=4),
    max_leaves=8,
)


def test_consultation_response(home_page, resident, outcome):
    page = consultation_page(programme_page(home_page), equality_monitoring=True)
    valid = valid_answers()
    keys = st.sampled_from(sorted(valid))
    answers = st.dictionaries(st.one_of(keys, TEXT), JSON, max_size=len(valid) + 2)
    equality = st.dictionaries(
        st.sampled_from(["age_band", "gender", "ethnicity", "disability", "ward"]) | TEXT,
        st.one_of(TEXT, JSON),
        max_size=5,
    )
    mixed = st.builds(lambda extra: {**valid, **extra}, answers)

    @PROPERTY
    @given(answers=st.one_of(mixed, answers), equality=st.one_of(st.none(), equality))
    def run(answers, equality):
        with rolled_back():
            try:
                consultation_response_submit(
                    consultation=page, answers=answers, user=resident, equality=equality
                )
            except ValidationError as error:
                assert error.messages
                outcome.add("service refusal")
            else:
                outcome.add("saved")

    run()
    assert_explored(outcome)
