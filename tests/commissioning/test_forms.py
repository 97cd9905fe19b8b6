import pytest
from django.contrib.auth.models import AnonymousUser

from commissioning.forms import TakePartFilterForm, TellMeWhatHappensMixin
from coproduce.forms import GovukForm


class ResponseForm(TellMeWhatHappensMixin, GovukForm):
    pass


class TestTellMeWhatHappens:
    def test_anonymous_people_who_opt_in_must_give_an_email(self):
        form = ResponseForm({"wants_feedback": "on"}, user=AnonymousUser())
        assert not form.is_valid()
        assert "Enter your email address" in form.errors["feedback_email"][0]

    def test_a_bad_email_is_explained_and_kept(self):
        form = ResponseForm({"wants_feedback": "on", "feedback_email": "not-an-email"})
        assert not form.is_valid()
        assert "feedback_email" in form.errors
        assert 'value="not-an-email"' in str(form["feedback_email"])

    def test_anonymous_opt_in(self):
        form = ResponseForm({"wants_feedback": "on", "feedback_email": "a@example.org"})
        assert form.is_valid()
        assert form.cleaned_data["feedback_email"] == "a@example.org"

    def test_no_opt_in_keeps_no_email(self):
        form = ResponseForm({"feedback_email": "a@example.org"})
        assert form.is_valid()
        assert form.cleaned_data == {"wants_feedback": False, "feedback_email": ""}

    @pytest.mark.django_db
    def test_signed_in_people_are_not_asked_for_an_email(self, resident):
        form = ResponseForm({"wants_feedback": "on"}, user=resident)
        assert "feedback_email" not in form.fields
        assert form.is_valid()
        assert form.cleaned_data["wants_feedback"] is True


@pytest.mark.django_db
def test_take_part_filter_rejects_unknown_values():
    form = TakePartFilterForm({"ward": "atlantis", "stage": "everything"})
    assert not form.is_valid()
    assert set(form.errors) == {"ward", "stage"}
