"""The officers' themes pages in the Wagtail admin."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from commissioning.themes import services
from commissioning.themes.models import Assignment, Theme

from .conftest import COMMENTS

pytestmark = pytest.mark.django_db


@pytest.fixture
def theme_set(engagement, text_source):
    text_source.set(engagement, [*COMMENTS, "Potholes again, call 07700 900123"])
    return services.theme_set_for(engagement=engagement)


@pytest.fixture
def named(theme_set, officer):
    for name, words in [
        ("Libraries", "library, opening hours"),
        ("Bins", "rubbish, recycling"),
        ("Roads", "potholes, pavements"),
    ]:
        services.theme_add(theme_set=theme_set, user=officer, name=name, words=words)
    return {t.name: t for t in Theme.objects.filter(theme_set=theme_set)}


def _page(engagement):
    return reverse("themes_engagement", args=[engagement.pk])


def test_officers_see_the_themes_with_counts_and_masked_quotes(client, officer, engagement, named):
    client.force_login(officer)
    response = client.get(_page(engagement))
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("Libraries", "Bins", "Roads", "Other"):
        assert name in html
    assert "07700" not in html
    assert "Suggest themes" in html and "Add a theme" in html


@pytest.mark.parametrize("who", ["resident", "editor"])
def test_residents_and_editors_without_the_permission_are_refused(
    client, request, who, engagement, theme_set
):
    user = request.getfixturevalue(who)
    if who == "resident":
        user.is_staff = True  # even a staff account without the permission
        user.save()
        from django.contrib.auth.models import Permission as P

        user.user_permissions.add(P.objects.get(codename="access_admin"))
    client.force_login(user)
    assert _refused(client.get(_page(engagement)))
    assert _refused(client.get(reverse("themes_index")))
    assert _refused(client.get(reverse("themes_export", args=[theme_set.pk])))
    add = reverse("themes_add", args=[theme_set.pk])
    assert _refused(client.post(add, {"name": "Libraries"}))
    assert not Theme.objects.exists()


def _refused(response):
    """Wagtail's admin turns PermissionDenied into a redirect home with a message."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    )


def test_an_editor_given_the_permission_sees_but_cannot_change(
    client, editor, engagement, theme_set
):
    editor.user_permissions.add(Permission.objects.get(codename="view_themeset"))
    client.force_login(editor)
    response = client.get(_page(engagement))
    assert response.status_code == 200
    assert "Add a theme" not in response.content.decode()
    assert _refused(client.post(reverse("themes_add", args=[theme_set.pk]), {"name": "X"}))


def test_an_officer_adds_a_theme(client, officer, theme_set, engagement):
    client.force_login(officer)
    response = client.post(
        reverse("themes_add", args=[theme_set.pk]),
        {"name": "Libraries", "words": "library, books"},
    )
    assert response.status_code == 302
    assert Theme.objects.get(theme_set=theme_set).name == "Libraries"
    assert Assignment.objects.filter(theme_set=theme_set).count() == len(COMMENTS) + 1


def test_an_empty_theme_name_gives_a_message_and_keeps_the_words(client, officer, theme_set):
    client.force_login(officer)
    response = client.post(
        reverse("themes_add", args=[theme_set.pk]), {"name": "  ", "words": "library, books"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html and "Enter a name for the theme." in html
    assert 'value="library, books"' in html
    assert not Theme.objects.exists()


def test_a_duplicate_name_gives_a_message(client, officer, theme_set, named):
    client.force_login(officer)
    response = client.post(
        reverse("themes_edit", args=[theme_set.pk, named["Bins"].pk]), {"name": "libraries"}
    )
    assert response.status_code == 400
    assert "There is already a theme called" in response.content.decode()
    assert Theme.objects.get(pk=named["Bins"].pk).name == "Bins"


def test_merging_a_theme_into_itself_gives_a_message(client, officer, theme_set, named):
    client.force_login(officer)
    roads = named["Roads"]
    response = client.post(
        reverse("themes_merge", args=[theme_set.pk, roads.pk]), {"into": roads.pk}
    )
    assert response.status_code == 400
    assert "cannot merge into itself" in response.content.decode()
    assert Theme.objects.filter(pk=roads.pk).exists()


def test_an_officer_merges_splits_renames_and_discards(client, officer, theme_set, named):
    client.force_login(officer)
    url = reverse("themes_merge", args=[theme_set.pk, named["Roads"].pk])
    assert client.post(url, {"into": named["Bins"].pk}).status_code == 302
    url = reverse("themes_split", args=[theme_set.pk, named["Bins"].pk])
    assert client.post(url, {"name": "Potholes", "words": "potholes, roads"}).status_code == 302
    url = reverse("themes_edit", args=[theme_set.pk, named["Bins"].pk])
    assert client.post(url, {"name": "Streets", "words": "rubbish"}).status_code == 302
    url = reverse("themes_discard", args=[theme_set.pk, named["Libraries"].pk])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    names = set(Theme.objects.filter(theme_set=theme_set).values_list("name", flat=True))
    assert names == {"Streets", "Potholes"}


def test_split_needs_describing_words(client, officer, theme_set, named):
    client.force_login(officer)
    url = reverse("themes_split", args=[theme_set.pk, named["Bins"].pk])
    response = client.post(url, {"name": "Recycling", "words": ""})
    assert response.status_code == 400
    assert "Give a few describing words" in response.content.decode()


def test_an_officer_runs_proposals_and_names_one(client, officer, theme_set, engagement):
    client.force_login(officer)
    response = client.post(reverse("themes_propose", args=[theme_set.pk]), {"count": "3"})
    assert response.status_code == 302
    suggestion = theme_set.suggestions.first()
    page = client.get(_page(engagement)).content.decode()
    assert suggestion.label in page
    url = reverse("themes_suggestion_use", args=[theme_set.pk, suggestion.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"name": "Named by me", "words": "x"}).status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.used and Theme.objects.filter(name="Named by me").exists()


def test_a_bad_number_of_proposals_gives_a_message(client, officer, theme_set):
    client.force_login(officer)
    response = client.post(reverse("themes_propose", args=[theme_set.pk]), {"count": "1"})
    assert response.status_code == 400
    assert "from 2 to 30" in response.content.decode()
    assert not theme_set.suggestions.exists()


def test_an_officer_moves_a_response(client, officer, theme_set, named):
    client.force_login(officer)
    assignment = Assignment.objects.get(theme_set=theme_set, text=COMMENTS[0])
    url = reverse("themes_move", args=[theme_set.pk, assignment.pk])
    response = client.post(url, {"theme": named["Roads"].pk, "next": "https://evil.example/"})
    assert response.status_code == 302 and "evil" not in response["Location"]
    moved = Assignment.objects.get(theme_set=theme_set, text=COMMENTS[0])
    assert moved.theme == named["Roads"] and moved.corrected


def test_moving_to_a_theme_of_another_set_gives_a_message(client, officer, theme_set, named):
    client.force_login(officer)
    assignment = Assignment.objects.get(theme_set=theme_set, text=COMMENTS[0])
    url = reverse("themes_move", args=[theme_set.pk, assignment.pk])
    response = client.post(url, {"theme": "999999"})
    assert response.status_code == 400
    assert "Choose one of this set" in response.content.decode()


def test_the_responses_list_and_the_low_confidence_list(client, officer, theme_set, named):
    client.force_login(officer)
    url = reverse("themes_responses", args=[theme_set.pk])
    assert client.get(url, {"which": named["Roads"].pk}).status_code == 200
    assert client.get(url, {"which": "low"}).status_code == 200
    assert client.get(url, {"which": "other"}).status_code == 200
    assert client.get(url, {"which": "nonsense"}).status_code == 404


def test_csv_export_has_every_response_masked(client, officer, theme_set, named):
    client.force_login(officer)
    response = client.get(reverse("themes_export", args=[theme_set.pk]), {"format": "csv"})
    assert response.status_code == 200
    body = response.content.decode("utf-8-sig")
    lines = body.strip().splitlines()
    assert lines[0].startswith("Theme,Response,Where")
    assert len(lines) == 1 + len(COMMENTS) + 1
    assert "07700" not in body and "[phone number removed]" in body


def test_the_index_lists_engagements_with_free_text(client, officer, engagement, text_source):
    client.force_login(officer)
    response = client.get(reverse("themes_index"))
    assert response.status_code == 200
    assert engagement.title in response.content.decode()


def test_the_stage_page(client, officer, programme_page, engagement, text_source):
    text_source.set(engagement, COMMENTS)
    client.force_login(officer)
    url = reverse("themes_stage", args=[programme_page.pk, "analyse"])
    assert client.get(url).status_code == 200
    assert client.get(reverse("themes_stage", args=[programme_page.pk, "x"])).status_code == 404
