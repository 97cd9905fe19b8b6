"""Meeting papers: members and officers download them through the panel's route only."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

from accounts.roles import OFFICER
from panels import rules, selectors, services
from panels.models import Application, Meeting, MeetingPaper
from tests.panels.factories import ApplicationFactory, make_panel

pytestmark = pytest.mark.django_db

Document = get_document_model()


def _document(title, body=b"Agenda and costs.\n", collection=None):
    document = Document(title=title, collection=collection or services.papers_collection_ensure())
    document.file.save(f"{title.lower().replace(' ', '-')}.txt", ContentFile(body), save=False)
    document.save()
    return document


def _meeting(panel, title="First meeting"):
    return Meeting.objects.create(
        panel=panel, title=title, starts_at=timezone.now(), location="Kelderby Library"
    )


def _paper(meeting, title="Options appraisal", body=b"Agenda and costs.\n"):
    document = _document(title, body)
    MeetingPaper.objects.create(meeting=meeting, document=document, sort_order=0)
    return document


def _url(panel, meeting, document):
    return panel.url + f"space/meetings/{meeting.pk}/papers/{document.pk}/"


@pytest.fixture
def member(panel, resident):
    ApplicationFactory(
        panel=panel, user=resident, email=resident.email, status=Application.SELECTED
    )
    return resident


@pytest.fixture
def meeting(panel):
    return _meeting(panel)


# ---------------------------------------------------------------- rules and selectors


def test_rules_papers_are_for_members_and_officers(home_page, panel, member, officer, editor):
    other = make_panel(home_page)
    assert rules.can_download_paper(member, panel)
    assert rules.can_download_paper(officer, panel)
    assert not rules.can_download_paper(member, other)
    assert not rules.can_download_paper(officer, other)
    assert not rules.can_download_paper(editor, panel)


def test_selector_finds_only_this_panels_papers(home_page, panel, meeting):
    document = _paper(meeting)
    other_meeting = _meeting(make_panel(home_page))
    kwargs = {"panel": panel, "document_id": document.pk}
    assert selectors.meeting_paper(meeting_id=meeting.pk, **kwargs) == document
    assert selectors.meeting_paper(meeting_id=other_meeting.pk, **kwargs) is None
    assert selectors.meeting_paper(panel=panel, meeting_id=meeting.pk, document_id=0) is None


# ---------------------------------------------------------------- the download route


def test_member_downloads_a_paper(client, panel, meeting, member):
    document = _paper(meeting, body=b"Ten-year costs of each option.\n")
    client.force_login(member)
    page = client.get(panel.url + f"space/meetings/{meeting.pk}/")
    assert _url(panel, meeting, document).encode() in page.content
    assert document.url.encode() not in page.content

    response = client.get(_url(panel, meeting, document))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"Ten-year costs of each option.\n"
    assert response["Content-Disposition"].startswith("attachment;")
    assert document.filename in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_panel_officer_downloads_a_paper(client, panel, meeting, officer):
    document = _paper(meeting)
    client.force_login(officer)
    assert client.get(_url(panel, meeting, document)).status_code == 200


def test_others_are_refused(client, home_page, panel, meeting, user_factory):
    document = _paper(meeting)
    url = _url(panel, meeting, document)

    response = client.get(url)  # anonymous
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]

    client.force_login(user_factory())  # signed in, not a member
    assert client.get(url).status_code == 403

    other_member = user_factory()
    ApplicationFactory(
        panel=make_panel(home_page),
        user=other_member,
        email=other_member.email,
        status=Application.SELECTED,
    )
    client.force_login(other_member)
    assert client.get(url).status_code == 403


def test_a_document_that_is_not_this_panels_paper_is_not_found(
    client, home_page, panel, meeting, member
):
    client.force_login(member)
    stray = _document("Unrelated report", collection=Collection.get_first_root_node())
    assert client.get(_url(panel, meeting, stray)).status_code == 404

    # Another panel's paper, asked for through this panel's meeting or its own meeting id.
    other_meeting = _meeting(make_panel(home_page), "Other panel meeting")
    theirs = _paper(other_meeting, "Their paper")
    assert client.get(_url(panel, meeting, theirs)).status_code == 404
    assert client.get(_url(panel, other_meeting, theirs)).status_code == 404

    # A paper of this panel, but under a meeting it does not belong to.
    second = _meeting(panel, "Second meeting")
    mine = _paper(meeting, "My paper")
    assert client.get(_url(panel, second, mine)).status_code == 404


def test_direct_document_url_is_for_officers_only(
    client, panel, meeting, member, officer, settings, tmp_path
):
    # Files on disk, so that Wagtail's own view can serve them to officers.
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    document = _paper(meeting, body=b"Officers only.\n")

    client.force_login(member)
    response = client.get(document.url)
    assert response.status_code == 302
    assert "login/?next=" in response["Location"]  # refused by the restriction

    client.force_login(officer)
    response = client.get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"Officers only.\n"


def test_download_queries_are_constant(client, panel, member):
    client.force_login(member)
    small_meeting = _meeting(panel)
    small = _paper(small_meeting)
    client.get(_url(panel, small_meeting, small))  # warm caches

    def count(meeting, document):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(_url(panel, meeting, document))
            assert response.status_code == 200
            b"".join(response.streaming_content)
        return len(ctx.captured_queries)

    expected = count(small_meeting, small)
    for n in range(5):
        extra = _meeting(panel, f"Meeting {n}")
        for m in range(3):
            _paper(extra, f"Paper {n}-{m}")
    ApplicationFactory.create_batch(20, panel=panel, status=Application.SELECTED)
    big_meeting = _meeting(panel, "Big meeting")
    big = _paper(big_meeting, "Big paper")
    assert count(big_meeting, big) == expected


# ---------------------------------------------------------------- the papers collection


def test_papers_collection_is_restricted_to_officers_and_idempotent():
    root = Collection.get_first_root_node()
    old = root.add_child(name=services.PAPERS_COLLECTION)
    existing = CollectionViewRestriction.objects.create(
        collection=old, restriction_type=CollectionViewRestriction.LOGIN
    )

    collection = services.papers_collection_ensure()
    assert collection == old
    restriction = CollectionViewRestriction.objects.get(collection=collection)
    assert restriction.pk == existing.pk  # updated in place
    assert restriction.restriction_type == CollectionViewRestriction.GROUPS
    assert list(restriction.groups.values_list("name", flat=True)) == [OFFICER]

    assert services.papers_collection_ensure() == collection
    assert Collection.objects.filter(name=services.PAPERS_COLLECTION).count() == 1
    assert CollectionViewRestriction.objects.filter(collection=collection).count() == 1
    assert Group.objects.filter(name=OFFICER).count() == 1


@pytest.mark.django_db
def test_a_paper_outside_the_restricted_collection_is_refused(panel, meeting):
    from django.core.exceptions import ValidationError

    public = _document("Budget", collection=Collection.get_first_root_node())
    with pytest.raises(ValidationError) as refused:
        MeetingPaper(meeting=meeting, document=public).full_clean()
    assert "Panel papers" in str(refused.value.message_dict["document"])

    restricted = services.papers_collection_ensure()
    paper = _document("Costs", collection=restricted)
    MeetingPaper(meeting=meeting, document=paper, sort_order=1).full_clean()
