"""The demo consultations load, and loading twice changes nothing."""

import io

from commissioning.models import Participation
from consultations import demo
from consultations.models import Answer, ConsultationPage, EqualityRecord, Response
from tests.consultations.factories import programme_page


def _counts():
    return (
        ConsultationPage.objects.count(),
        Response.objects.count(),
        Answer.objects.count(),
        EqualityRecord.objects.count(),
        Participation.objects.count(),
    )


def test_demo_is_idempotent(home_page, monkeypatch):
    monkeypatch.setattr(demo, "GENERATED_RESPONSES", 40)
    programme_page(home_page, slug="libraries-and-archives")
    programme_page(home_page, slug="day-opportunities")
    out = io.StringIO()
    demo.load(stdout=out)
    first = _counts()
    assert first[0] == 2 and first[1] == 40 and first[4] == 40
    libraries = ConsultationPage.objects.get(slug=demo.LIBRARIES_SLUG)
    assert libraries.is_open() and libraries.equality_monitoring
    types = {q.type for q in libraries.questionnaire.questions}
    assert types == {
        "short_text",
        "long_text",
        "single_choice",
        "multiple_choice",
        "scale",
        "ranking",
        "yes_no",
    }
    assert len(libraries.questionnaire.sections) >= 2
    closed = ConsultationPage.objects.get(slug=demo.DAY_OPPORTUNITIES_SLUG)
    assert closed.results_visible_to_public()
    # Every generated answer is valid for its question.
    for response in Response.objects.prefetch_related("answers")[:10]:
        rows = list(response.answers.values("question_id", "choice", "number", "text"))
        for question in closed.questionnaire.questions:
            value = question.value_from_rows([r for r in rows if r["question_id"] == question.id])
            question.validate(value)
    demo.load(stdout=out)
    assert _counts() == first


def test_demo_skips_missing_programmes(home_page):
    out = io.StringIO()
    demo.load(stdout=out)
    assert ConsultationPage.objects.count() == 0
    assert "not found" in out.getvalue()


def test_demo_activity_is_in_the_past_and_participants_have_wards(home_page, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    from commissioning.demo import load as load_wards
    from commissioning.models import Ward

    monkeypatch.setattr(demo, "GENERATED_RESPONSES", 200)
    monkeypatch.setattr("commissioning.demo.load_programmes", lambda **kwargs: None)
    load_wards(stdout=io.StringIO())
    programme_page(home_page, slug="libraries-and-archives")
    programme_page(home_page, slug="day-opportunities")
    demo.load(stdout=io.StringIO())
    now = timezone.now()
    closed = ConsultationPage.objects.get(slug=demo.DAY_OPPORTUNITIES_SLUG)
    participations = Participation.objects.filter(engagement=closed)
    assert participations.count() == 200
    assert not participations.filter(created_at__gt=now).exists()
    assert not participations.filter(created_at__gt=closed.closes_at).exists()
    assert not Response.objects.filter(submitted_at__gt=now).exists()
    # The officer brief counts reach by the participants' wards.
    known = participations.filter(ward__isnull=False).count()
    assert known >= 180
    assert set(participations.values_list("ward__slug", flat=True)) >= set(
        Ward.objects.values_list("slug", flat=True)
    )

    # A consultation still open gets responses up to today, never in the future.
    open_page = ConsultationPage.objects.get(slug=demo.LIBRARIES_SLUG)
    demo._generate_responses(open_page, io.StringIO(), now=now)
    latest = Participation.objects.filter(engagement=open_page).latest("created_at")
    assert latest.created_at < now
    assert open_page.closes_at > now + timedelta(days=30)
