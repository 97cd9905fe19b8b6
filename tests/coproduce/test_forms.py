"""The one form-error helper: a service's ValidationError on the form that sent it."""

from django import forms
from django.core.exceptions import ValidationError

from coproduce.forms import add_service_errors


class PlainForm(forms.Form):
    name = forms.CharField()


class MappedForm(PlainForm):
    def service_error_field(self, key):
        return "name" if key == "person:1" else key


def _bound(form_class):
    form = form_class(data={"name": "Sam"})
    assert form.is_valid()
    return form


def test_errors_go_beside_the_fields_they_name_and_the_rest_on_top():
    form = _bound(PlainForm)
    add_service_errors(form, ValidationError({"name": "Taken.", "__all__": "Closed."}))
    assert form.errors == {"name": ["Taken."], "__all__": ["Closed."]}


def test_an_error_naming_no_field_goes_on_top():
    form = _bound(PlainForm)
    add_service_errors(form, ValidationError("Not any more.", code="closed"))
    assert form.non_field_errors() == ["Not any more."]
    assert form.non_field_errors().as_data()[0].code == "closed"


def test_a_form_maps_the_services_keys_to_its_fields():
    form = _bound(MappedForm)
    add_service_errors(form, ValidationError({"person:1": "Too long."}))
    assert form.errors == {"name": ["Too long."]}


def test_an_error_put_on_top_keeps_its_key_as_code_unless_it_has_one():
    form = _bound(PlainForm)
    add_service_errors(
        form,
        ValidationError({"target": "Short.", "other": ValidationError("Odd.", code="odd")}),
    )
    codes = [(e.message, e.code) for e in form.non_field_errors().as_data()]
    assert codes == [("Short.", "target"), ("Odd.", "odd")]
