"""What pages remember between requests (site, routes, restrictions, breadcrumbs,
"what we heard", permissions) shows a change on the very next request, and never
one person's answer to another."""

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import PageViewRestriction, Site

from commissioning.models import HeardSummary
from coproduce.models import StandardPage
from tests.pages import ConsultationPageFactory, StandardPageFactory, programme_under

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]


@pytest.fixture
def signed_in(client, resident):
    client.force_login(resident)
    return client


def warm(client, url):
    client.get(url)
    return client.get(url)


def test_a_publish_is_visible_at_once_to_a_signed_in_resident(signed_in, home_page):
    page = StandardPageFactory(parent=home_page, title="Bin days")
    assert b"Bin days" in warm(signed_in, page.url).content
    page.title = "Bin collection days"
    page.save_revision().publish()
    assert b"Bin collection days" in signed_in.get(page.url).content


def test_an_unpublished_page_is_gone_at_once(signed_in, home_page):
    page = StandardPageFactory(parent=home_page)
    assert warm(signed_in, page.url).status_code == 200
    page.unpublish()
    assert signed_in.get(page.url).status_code == 404


def test_a_routable_pages_sub_route_is_routed_again_from_the_remembered_page(signed_in, home_page):
    from tests.budget.factories import conversation_factory
    from tests.pages import closed_window

    conversation = conversation_factory(home_page, **closed_window())
    url = conversation.url + "results/"
    assert warm(signed_in, url).status_code == 200
    assert signed_in.get(conversation.url + "no-such-route/").status_code == 404
    assert signed_in.get(url).status_code == 200
    assert signed_in.get(url).context["page"].pk == conversation.pk


@pytest.mark.parametrize("who", ["anonymous", "resident"])
def test_a_new_view_restriction_applies_at_once(client, home_page, resident, who):
    if who == "resident":
        client.force_login(resident)
    section = StandardPageFactory(parent=home_page, title="Staff guidance")
    page = StandardPageFactory(parent=section)
    assert warm(client, page.url).status_code == 200
    restriction = PageViewRestriction.objects.create(
        page=section, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.create(name="Staff only"))
    response = client.get(page.url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_restricted_section_leaves_listings_at_once(signed_in, home_page):
    programme = programme_under(home_page)
    ConsultationPageFactory(parent=programme, title="Open to all")
    hidden = ConsultationPageFactory(parent=programme, title="Members only")
    assert b"Members only" in warm(signed_in, programme.url).content
    PageViewRestriction.objects.create(page=hidden, restriction_type=PageViewRestriction.LOGIN)
    html = signed_in.get(programme.url).content
    assert b"Members only" not in html
    assert b"Open to all" in html


def test_a_restriction_on_an_aliased_page_covers_its_alias(client, home_page):
    source = StandardPageFactory(parent=home_page, title="Source")
    alias = source.create_alias(parent=home_page, update_slug="alias-of-source")
    assert warm(client, alias.url).status_code == 200
    PageViewRestriction.objects.create(page=source, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(alias.url).status_code == 302


def test_a_changed_site_root_shows_at_once(signed_in, home_page):
    assert b"Welcome." in warm(signed_in, "/").content
    other = StandardPage(title="New front door", slug="new-front-door", introduction="Hello.")
    home_page.get_parent().add_child(instance=other)
    site = Site.objects.get()
    site.root_page = other
    site.save()
    response = signed_in.get("/")
    assert b"New front door" in response.content
    assert b"Welcome." not in response.content


@pytest.mark.parametrize(
    "sql",
    [
        'INSERT INTO "accounts_user_groups" ("user_id", "group_id") VALUES (1, 2)',
        # SQLite adds many-to-many links with INSERT OR IGNORE.
        'INSERT OR IGNORE INTO "accounts_user_groups" ("user_id", "group_id") VALUES (1, 2)',
        'DELETE FROM "auth_group_permissions" WHERE "group_id" = 2',
    ],
)
def test_writes_to_permissions_renew_their_generation(sql):
    from coproduce.cache import PERMISSIONS_GENERATION_KEY, _written_generations

    assert PERMISSIONS_GENERATION_KEY in _written_generations(sql)


def test_a_session_write_renews_nothing():
    from coproduce.cache import _written_generations

    assert _written_generations('UPDATE "django_session" SET "session_data" = 1') == []


def test_breadcrumbs_follow_a_renamed_parent_at_once(signed_in, home_page):
    parent = StandardPageFactory(parent=home_page, title="Guides")
    page = StandardPageFactory(parent=parent)
    assert b"Guides" in warm(signed_in, page.url).content
    parent.title = "Help and guides"
    parent.save_revision().publish()
    assert b"Help and guides" in signed_in.get(page.url).content


def test_what_we_heard_shows_once_published(signed_in, home_page):
    programme = programme_under(home_page)
    page = ConsultationPageFactory(parent=programme)
    summary = HeardSummary.objects.create(engagement=page, content={})
    assert b"What we heard" not in warm(signed_in, page.url).content
    summary.published_at = timezone.now()
    summary.save()
    assert b"What we heard" in signed_in.get(page.url).content


def test_the_admin_bar_follows_a_persons_own_permissions_at_once(client, home_page, resident):
    from accounts.roles import roles_sync

    editors = roles_sync()["editor"]
    client.force_login(resident)
    assert b"wagtail-userbar" not in warm(client, "/").content
    resident.groups.add(editors)
    assert b"wagtail-userbar" in client.get("/").content
    resident.groups.remove(editors)
    assert b"wagtail-userbar" not in client.get("/").content


def test_one_persons_permissions_are_never_anothers(client, home_page, resident, editor):
    client.force_login(editor)
    assert b"wagtail-userbar" in warm(client, "/").content
    client.force_login(resident)
    assert b"wagtail-userbar" not in client.get("/").content
    client.force_login(editor)
    assert b"wagtail-userbar" in client.get("/").content


def test_a_removed_permission_is_refused_at_once(resident):
    from django.contrib.auth.models import Permission

    from accounts.models import User

    permission = Permission.objects.get(codename="access_admin")
    resident.user_permissions.add(permission)
    assert User.objects.get(pk=resident.pk).has_perm("wagtailadmin.access_admin")
    resident.user_permissions.remove(permission)
    fresh = User.objects.get(pk=resident.pk)
    assert not fresh.has_perm("wagtailadmin.access_admin")
    assert not fresh.has_module_perms("wagtailadmin")


def test_a_deactivated_person_has_no_permission(editor):
    from accounts.models import User

    assert User.objects.get(pk=editor.pk).has_perm("wagtailadmin.access_admin")
    User.objects.filter(pk=editor.pk).update(is_active=False)
    assert not User.objects.get(pk=editor.pk).has_perm("wagtailadmin.access_admin")


def test_every_authentication_backend_answers_permissions_as_django_s_model_backend(settings):
    # accounts.models.User answers has_perm from the remembered set of all
    # permissions, which is right only for backends that do the same.
    from django.contrib.auth import load_backend
    from django.contrib.auth.backends import ModelBackend

    for path in settings.AUTHENTICATION_BACKENDS:
        assert isinstance(load_backend(path), ModelBackend), path


def _edit_link(page):
    return f"/admin/pages/{page.pk}/edit/".encode()


@pytest.fixture
def admin_only(user_factory):
    """Someone who may open the admin but edit no page: the bar without its page items."""
    from django.contrib.auth.models import Permission

    person = user_factory(email="reader@example.org")
    person.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return person


def test_the_user_bar_is_each_persons_own(client, home_page, editor, admin_only):
    page = StandardPageFactory(parent=home_page, title="Parks")
    client.force_login(editor)
    assert _edit_link(page) in warm(client, page.url).content
    client.force_login(admin_only)
    response = client.get(page.url)
    assert b"wagtail-userbar" in response.content
    assert _edit_link(page) not in response.content
    client.force_login(editor)
    assert _edit_link(page) in client.get(page.url).content


def test_the_user_bar_is_each_pages_own(client, home_page, editor):
    parks, bins = (StandardPageFactory(parent=home_page, title=t) for t in ("Parks", "Bins"))
    client.force_login(editor)
    warm(client, parks.url)
    response = client.get(bins.url)
    assert _edit_link(bins) in response.content
    assert _edit_link(parks) not in response.content


def test_the_user_bar_follows_a_page_permission_at_once(client, home_page, editor):
    from wagtail.models import GroupPagePermission

    page = StandardPageFactory(parent=home_page, title="Parks")
    client.force_login(editor)
    assert _edit_link(page) in warm(client, page.url).content
    GroupPagePermission.objects.filter(group__in=editor.groups.all()).delete()
    assert _edit_link(page) not in client.get(page.url).content
