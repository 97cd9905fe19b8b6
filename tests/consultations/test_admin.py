"""Editing a questionnaire in the Wagtail admin once responses exist, and the responses menu."""

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, rich_text

from consultations.models import ConsultationPage, Response
from consultations.services import consultation_response_submit
from tests.consultations.factories import (
    consultation_page,
    programme_page,
    questions_data,
    valid_answers,
)


def _struct_data(prefix, value):
    data = {}
    for key, item in value.items():
        name = f"{prefix}-{key}"
        if isinstance(item, list):  # a ListBlock of choices
            data[f"{name}-count"] = str(len(item))
            for n, child in enumerate(item):
                data[f"{name}-{n}-value"] = child["value"]
                data[f"{name}-{n}-id"] = child["id"]
                data[f"{name}-{n}-order"] = str(n)
                data[f"{name}-{n}-deleted"] = ""
        elif isinstance(item, bool):
            if item:
                data[name] = "on"
        elif item is None:
            data[name] = ""
        else:
            data[name] = str(item)
    return data


def _stream_data(blocks):
    data = {"questions-count": str(len(blocks))}
    for n, block in enumerate(blocks):
        data[f"questions-{n}-type"] = block["type"]
        data[f"questions-{n}-id"] = block["id"]
        data[f"questions-{n}-order"] = str(n)
        data[f"questions-{n}-deleted"] = ""
        data.update(_struct_data(f"questions-{n}-value", block["value"]))
    return data


def _edit_data(page, blocks):
    local = timezone.localtime
    return {
        "title": page.title,
        "slug": page.slug,
        "introduction": "",
        "stage": page.stage,
        "opens_at": local(page.opens_at).strftime("%Y-%m-%d %H:%M"),
        "closes_at": local(page.closes_at).strftime("%Y-%m-%d %H:%M"),
        "audience": page.audience,
        "about": rich_text(""),
        "seo_title": "",
        "search_description": "",
        **{f"comments-{k}": v for k, v in inline_formset([]).items()},
        **_stream_data(blocks),
    }


@pytest.fixture
def page(home_page):
    return consultation_page(programme_page(home_page))


def _post(client, page, blocks):
    return client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]), _edit_data(page, blocks)
    )


def test_editor_can_change_anything_before_responses(client, page, editor):
    client.force_login(editor)
    blocks = questions_data()
    del blocks[1]
    response = _post(client, page, blocks)
    assert response.status_code == 302, response.context["form"].errors
    page.refresh_from_db()
    assert len(page.get_latest_revision_as_object().questionnaire.questions) == 6


def test_rewording_is_allowed_once_responses_exist(client, page, editor):
    consultation_response_submit(consultation=page, answers=valid_answers())
    client.force_login(editor)
    blocks = questions_data()
    blocks[1]["value"]["question"] = "How often do you go to a library?"
    blocks[1]["value"]["choices"][0]["value"] = "Weekly or more often"
    blocks[1]["value"]["hint"] = "Think of the last year."
    response = _post(client, page, blocks)
    assert response.status_code == 302
    page.refresh_from_db()
    draft = page.get_latest_revision_as_object()
    assert draft.questionnaire.questions[0].label == "How often do you go to a library?"
    assert draft.questionnaire.structure_hash() == page.questionnaire.structure_hash()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda b: b.pop(1), "already has responses, so it cannot be removed"),
        (lambda b: b[1]["value"]["choices"].pop(), "cannot be removed: the question already has"),
        (lambda b: b[3]["value"].update(maximum=10), "The scale of"),
    ],
)
def test_unsafe_edits_are_refused_with_an_explanation(client, page, editor, change, message):
    consultation_response_submit(consultation=page, answers=valid_answers())
    client.force_login(editor)
    blocks = questions_data()
    change(blocks)
    response = _post(client, page, blocks)
    assert response.status_code == 200
    assert "The page could not be saved" in response.content.decode()
    assert message in response.content.decode()
    page.refresh_from_db()
    assert page.get_latest_revision() is None or (
        page.get_latest_revision_as_object().questionnaire.structure_hash()
        == page.questionnaire.structure_hash()
    )


def test_page_clean_refuses_removing_a_question(page):
    from django.core.exceptions import ValidationError

    consultation_response_submit(consultation=page, answers=valid_answers())
    blocks = questions_data()
    blocks.pop(2)
    page.questions = blocks
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "questions" in error.value.error_dict


def test_drafts_alone_do_not_lock_the_questionnaire(page, resident):
    from consultations.services import consultation_draft_save

    consultation_draft_save(consultation=page, user=resident, answers={})
    blocks = questions_data()
    blocks.pop(2)
    page.questions = blocks
    page.full_clean()


def test_officers_see_responses_in_the_admin(client, page, officer, resident):
    consultation_response_submit(consultation=page, answers=valid_answers())
    client.force_login(officer)
    response = client.get(reverse("consultation_responses:index"))
    assert response.status_code == 200
    assert "Future of Kelderby" in response.content.decode()
    inspect = client.get(
        reverse("consultation_responses:inspect", args=[Response.objects.get().pk])
    ).content.decode()
    assert "How often do you visit a library?" in inspect and "Every week" in inspect
    client.force_login(resident)
    assert client.get(reverse("consultation_responses:index")).status_code == 302


def test_page_listing_links_for_officers(client, page, officer):
    from consultations.wagtail_hooks import consultation_listing_buttons

    labels = [b.label for b in consultation_listing_buttons(page, officer)]
    assert labels == ["Results", "Enter a paper response"]
    other = ConsultationPage.objects.get(pk=page.pk).get_parent()
    assert list(consultation_listing_buttons(other, officer)) == []


def test_programme_listing_in_the_admin_renders_the_links(client, page, officer):
    client.force_login(officer)
    response = client.get(reverse("wagtailadmin_explore", args=[page.get_parent().pk]))
    assert response.status_code == 200
    assert "Enter a paper response" in response.content.decode()
