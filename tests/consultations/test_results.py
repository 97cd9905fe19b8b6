"""Results, written answers, equality monitoring in aggregate, exports and the summary."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from commissioning.summaries import engagement_summary
from consultations.models import EqualityRecord, PendingEqualityAnswers, Response
from consultations.selectors import (
    consultation_results,
    equality_respondents,
    equality_summary,
    responses_table,
    text_answers,
)
from consultations.services import consultation_response_submit
from tests.accounts.factories import staff_with_role
from tests.commissioning.factories import WardFactory
from tests.consultations.factories import (
    C_MONTHLY,
    Q_LONG,
    Q_RANK,
    Q_SCALE,
    Q_SINGLE,
    R_BOOKS,
    R_HOURS,
    R_SPACE,
    bulk_responses,
    consultation_page,
    programme_page,
    valid_answers,
)
from tests.pages import built_once, site_home


def _closed(**kwargs):
    now = timezone.now()
    return {
        "opens_at": now - datetime.timedelta(days=30),
        "closes_at": now - datetime.timedelta(days=1),
        **kwargs,
    }


@built_once
def tree():
    """The site, an officer and one open consultation, made once for the module."""
    home = site_home()
    return {
        "home": home,
        "officer": staff_with_role("officer", "officer@example.org"),
        "page": consultation_page(programme_page(home), equality_monitoring=True),
    }


@pytest.fixture
def home_page(tree):
    return tree["home"]


@pytest.fixture
def officer(tree):
    return tree["officer"]


@pytest.fixture
def page(tree):
    return tree["page"]


def _submit(page, **changes):
    answers = valid_answers()
    answers.update(changes)
    return consultation_response_submit(consultation=page, answers=answers)


def test_counts_and_shares_per_question(page):
    _submit(page)
    _submit(page, **{Q_SINGLE: {"choice": C_MONTHLY, "other": ""}, Q_SCALE: 2})
    _submit(page, **{Q_SINGLE: {"choice": "other", "other": "Mobile van"}, Q_SCALE: 3})
    _submit(page, **{Q_RANK: [R_SPACE, R_HOURS, R_BOOKS]})
    results = consultation_results(consultation=page)
    assert results["totals"] == {"total": 4, "online": 4, "paper": 0}
    by_id = {r.question.id: r for r in results["questions"]}
    single = by_id[Q_SINGLE]
    assert single.answered == 4
    assert single.rows == [
        ("Every week", 2, 50),
        ("Every month", 1, 25),
        ("Never", 0, 0),
        ("Other", 1, 25),
    ]
    assert single.chart.table.columns == ["Answer", "Responses", "Share (%)"]
    assert "<svg" in single.chart.svg
    assert by_id[Q_SCALE].average == round((4 + 2 + 3 + 4) / 4, 1)
    rank = by_id[Q_RANK]
    # (item, average position, times ranked first), best first
    assert rank.rows[0][0] == "Opening hours" and rank.rows[0][2] == 3
    assert rank.rows[0][1] == pytest.approx(1.25, abs=0.06)
    assert [r[0] for r in rank.rows] == ["Opening hours", "Book stock", "Study space"]
    assert by_id[Q_LONG].chart is None


def test_free_text_answers_are_searchable(page):
    _submit(page, **{Q_LONG: "Sunday opening"})
    _submit(page, **{Q_LONG: "More computers"})
    _submit(page, **{Q_SINGLE: {"choice": "other", "other": "Sunday van"}})
    assert text_answers(consultation=page, question_id=Q_LONG).count() == 3
    assert [
        a.text for a in text_answers(consultation=page, question_id=Q_LONG, query="sunday opening")
    ] == ["Sunday opening"]
    assert [a.text for a in text_answers(consultation=page, question_id=Q_SINGLE)] == [
        "Sunday van"
    ]


def test_equality_groups_smaller_than_five_are_combined(page):
    WardFactory(name="Abbeyfield")
    for _ in range(6):
        EqualityRecord.objects.create(consultation=page, age_band="25-34", ward="abbeyfield")
    for _ in range(2):
        EqualityRecord.objects.create(consultation=page, age_band="75+", ward="prefer-not")
    EqualityRecord.objects.create(consultation=page, age_band="16-24")
    tables = {t.caption: t for t in equality_summary(consultation=page)}
    assert tables["Age band"].rows == [
        ["25 to 34", 6],
        ["Groups of fewer than 5 (combined)", 3],
    ]
    assert tables["Ward"].rows == [["Abbeyfield", 6], ["Groups of fewer than 5 (combined)", 2]]
    assert tables["Gender"].rows == []


def test_equality_counts_answers_moved_and_still_pending(page):
    """Results are complete at any moment: a batch not yet moved still counts."""
    EqualityRecord.objects.bulk_create(
        [EqualityRecord(consultation=page, age_band="25-34") for _ in range(3)]
    )
    PendingEqualityAnswers.objects.bulk_create(
        [PendingEqualityAnswers(consultation=page, age_band="25-34") for _ in range(3)]
        + [PendingEqualityAnswers(consultation=page, gender="woman")]
    )
    tables = {t.caption: t for t in equality_summary(consultation=page)}
    assert tables["Age band"].rows == [["25 to 34", 6]]
    assert tables["Gender"].rows == [["Groups of fewer than 5 (combined)", 1]]
    assert equality_respondents(consultation=page) == 7


def test_summary_reports_equality_reach_to_officers(page):
    _submit(page)
    PendingEqualityAnswers.objects.bulk_create(
        [PendingEqualityAnswers(consultation=page, ethnicity="asian") for _ in range(2)]
    )
    EqualityRecord.objects.bulk_create(
        [EqualityRecord(consultation=page, ethnicity="asian") for _ in range(4)]
    )
    summary = engagement_summary(page)
    figures = {figure.label: figure.value for figure in summary.figures}
    assert figures["Answered equality monitoring"] == "6"
    tables = {table.caption: table for table in summary.tables}
    assert tables["Who responded (equality monitoring): Ethnicity"].rows == [
        ["Asian or Asian British", 6]
    ]


def test_export_table_has_one_column_per_question(page):
    _submit(page, **{Q_SINGLE: {"choice": "other", "other": "=HYPERLINK()"}})
    table = responses_table(consultation=page)
    assert table.columns[:3] == ["Response", "Channel", "Submitted"]
    assert table.columns[3:] == [f"{q.number}. {q.label}" for q in page.questionnaire.questions]
    row = table.rows[0]
    assert row[3] == "Other: =HYPERLINK()"
    assert row[5] == "4"  # the scale shows its number
    assert row[6] == "1. Opening hours; 2. Book stock; 3. Study space"


def test_summary_provider_is_registered(page):
    _submit(page)
    summary = engagement_summary(page)
    assert summary is not None
    assert summary.figures[0].label == "Responses" and summary.figures[0].value == "1"
    assert len(summary.charts) == 5  # every question but the two free-text ones
    assert summary.quotes == ["Open on Sundays please"]


# Pages -----------------------------------------------------------------------


def test_results_are_hidden_until_closed_and_published(client, home_page, officer):
    programme = programme_page(home_page)
    open_page = consultation_page(programme, slug="open", results_public=True)
    closed_private = consultation_page(programme, slug="private", **_closed())
    closed_public = consultation_page(programme, slug="public", results_public=True, **_closed())
    assert client.get(open_page.url + "results/").status_code == 404
    assert client.get(closed_private.url + "results/").status_code == 404
    assert client.get(closed_public.url + "results/").status_code == 200
    assert b"See the results" in client.get(closed_public.url).content
    client.force_login(officer)
    assert client.get(open_page.url + "results/").status_code == 200


def test_public_results_show_no_free_text_or_equality(client, home_page):
    page = consultation_page(
        programme_page(home_page),
        slug="closed-public",
        results_public=True,
        equality_monitoring=True,
        **_closed(),
    )
    bulk_responses(page, 3)
    EqualityRecord.objects.bulk_create(
        [EqualityRecord(consultation=page, age_band="25-34") for _ in range(6)]
    )
    content = client.get(page.url + "results/").content.decode()
    assert "3 responses" in content
    assert "Keep Brookside open" not in content and "Longer hours" not in content
    assert "Who responded" not in content
    assert "Read the written answers" not in content


def test_officers_see_equality_totals_and_written_answers(client, page, officer):
    bulk_responses(page, 3)
    EqualityRecord.objects.bulk_create(
        [EqualityRecord(consultation=page, age_band="25-34") for _ in range(6)]
    )
    client.force_login(officer)
    content = client.get(page.url + "results/").content.decode()
    assert "Who responded" in content
    assert "25 to 34" in content
    assert f"results/answers/{Q_LONG}/" in content


@pytest.mark.parametrize("officer_view", [False, True])
def test_results_page_runs_constant_queries(client, home_page, officer, officer_view):
    programme = programme_page(home_page)
    small = consultation_page(
        programme, slug="small", results_public=True, equality_monitoring=True, **_closed()
    )
    large = consultation_page(
        programme, slug="large", results_public=True, equality_monitoring=True, **_closed()
    )
    bulk_responses(small, 10)
    bulk_responses(large, 1000)
    for target, count in ((small, 10), (large, 1000)):
        EqualityRecord.objects.bulk_create(
            [EqualityRecord(consultation=target, age_band="25-34") for _ in range(count)]
        )
        PendingEqualityAnswers.objects.bulk_create(
            [PendingEqualityAnswers(consultation=target, gender="man") for _ in range(count)]
        )
    if officer_view:
        client.force_login(officer)
    # Warm caches (site root, the site's chrome) on both, so both are measured alike.
    client.get(small.url + "results/")
    client.get(large.url + "results/")
    with CaptureQueriesContext(connection) as small_queries:
        response = client.get(small.url + "results/")
    assert response.status_code == 200
    assert "10 responses" in response.content.decode()
    with CaptureQueriesContext(connection) as large_queries:
        response = client.get(large.url + "results/")
    assert "1,000 responses" in response.content.decode()
    assert len(large_queries) == len(small_queries)
    # The consultation's own page too.
    client.get(small.url)
    with CaptureQueriesContext(connection) as small_queries:
        client.get(small.url)
    with CaptureQueriesContext(connection) as large_queries:
        client.get(large.url)
    assert len(large_queries) == len(small_queries)


def test_text_answers_page_searches_and_paginates(
    client, page, officer, django_assert_max_num_queries
):
    bulk_responses(page, 60)
    client.force_login(officer)
    base = page.url + f"results/answers/{Q_LONG}/"
    content = client.get(base).content.decode()
    assert "60 written answers" in content
    assert 'aria-label="Pagination"' in content
    content = client.get(base + "?query=brookside").content.decode()
    assert "Keep Brookside open" in content and "Longer hours" not in content
    assert client.get(base + "?page=99").status_code == 200  # last page, not an error
    assert client.get(page.url + "results/answers/nope/").status_code == 404


def test_text_answers_and_exports_are_for_officers(client, page, resident):
    bulk_responses(page, 2)
    base = page.url + "results/"
    response = client.get(base + f"answers/{Q_LONG}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(base + "download/csv/").status_code == 302
    client.force_login(resident)
    assert client.get(base + f"answers/{Q_LONG}/").status_code == 403
    assert client.get(base + "download/csv/").status_code == 403


def test_csv_and_xlsx_exports(client, page, officer):
    bulk_responses(page, 4)
    client.force_login(officer)
    response = client.get(page.url + "results/download/csv/")
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert len(lines) == 5
    assert lines[0].startswith("Response,Channel,Submitted,1. How often do you visit a library?")
    response = client.get(page.url + "results/download/xlsx/")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert len(rows) == 5
    assert rows[0][3] == "1. How often do you visit a library?"
    assert client.get(page.url + "results/download/pdf/").status_code == 404


def test_drafts_are_not_counted(page, resident):
    from consultations.services import consultation_draft_save

    consultation_draft_save(consultation=page, user=resident, answers={Q_SCALE: 5})
    assert consultation_results(consultation=page)["totals"]["total"] == 0
    assert Response.objects.drafts().count() == 1


def test_closed_results_are_stored_once_and_the_same(home_page, django_assert_num_queries):
    from commissioning.models import StoredResult
    from consultations.selectors import count_tallies

    page = consultation_page(programme_page(home_page), slug="closed", **_closed())
    bulk_responses(page, 30)
    first = consultation_results(consultation=page)
    # The fingerprint and the stored row, whatever the number of responses.
    with django_assert_num_queries(2):
        again = consultation_results(consultation=page)
    assert again["totals"] == first["totals"] == {"total": 30, "online": 30, "paper": 0}
    assert [(r.question.id, r.answered, r.rows) for r in again["questions"]] == [
        (r.question.id, r.answered, r.rows) for r in first["questions"]
    ]
    stored = StoredResult.objects.get(engagement=page.pk)
    assert stored.name == "consultations.tallies"
    # A paper form keyed in after closing is counted on the next read.
    bulk_responses(page, 1, seed=2)
    assert consultation_results(consultation=page)["totals"]["total"] == 31
    stored.refresh_from_db()
    assert stored.payload == count_tallies(consultation=page)


def test_open_results_are_never_stored(page):
    from commissioning.models import StoredResult

    _submit(page)
    consultation_results(consultation=page)
    assert not StoredResult.objects.exists()
