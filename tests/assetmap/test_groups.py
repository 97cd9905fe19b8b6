"""Community groups on the public side: registering a group, its members' page,
and the rules and services behind them."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from assetmap import rules, services
from assetmap.models import CommunityGroup, GroupMembership
from commissioning.exceptions import Refused

from .factories import GroupMembershipFactory

REGISTER = reverse("assetmap:group_register")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def lead(group, user_factory):
    user = user_factory(email="lead@example.org", display_name="Lee Lead")
    GroupMembershipFactory(group=group, user=user, role=GroupMembership.LEAD)
    return user


def page_url(group):
    return reverse("assetmap:group_detail", args=[group.slug])


def membership_of(group, user):
    return GroupMembership.objects.get(group=group, user=user)


# Registering --------------------------------------------------------------


def test_register_creates_the_group_with_the_user_as_lead(client, resident):
    client.force_login(resident)
    response = client.post(
        REGISTER,
        {
            "name": "  Kelderby   Allotment Society ",
            "description": "Plots on Mill Lane.",
            "website": "kelderby-allotments.org.uk",
            "email": "hello@kelderby-allotments.org.uk",
        },
    )
    group = CommunityGroup.objects.get()
    assert response.status_code == 302 and response["Location"] == page_url(group)
    assert group.name == "Kelderby Allotment Society"
    assert group.slug == "kelderby-allotment-society"
    assert group.website == "https://kelderby-allotments.org.uk"
    assert membership_of(group, resident).role == GroupMembership.LEAD
    page = client.get(page_url(group)).content.decode()
    assert "is registered" in page and "Invite a member" in page


def test_register_refuses_a_duplicate_name_next_to_the_field_and_keeps_input(
    client, resident, group
):
    client.force_login(resident)
    response = client.post(REGISTER, {"name": "fernhill friends", "description": "Our own text"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "already registered" in html and 'id="id_name-error"' in html
    assert "Our own text" in html and 'value="fernhill friends"' in html
    assert CommunityGroup.objects.count() == 1
    assert not GroupMembership.objects.filter(user=resident).exists()


def test_register_service_refuses_duplicates_and_a_clashing_slug_gets_a_suffix(resident):
    services.group_register(user=resident, name="Fernhill Friends")
    with pytest.raises(ValidationError) as error:
        services.group_register(user=resident, name="FERNHILL FRIENDS")
    assert "name" in error.value.error_dict
    other = services.group_register(user=resident, name="Fernhill Friends!")
    assert other.slug == "fernhill-friends-2"


def test_register_bad_input_shows_messages_and_saves_nothing(client, resident):
    client.force_login(resident)
    response = client.post(REGISTER, {"name": "", "website": "not a url", "email": "nope"})
    html = response.content.decode()
    assert "Enter the name of the group." in html
    assert "Enter an email address like name@example.org." in html
    assert "Enter the website address" in html
    assert CommunityGroup.objects.count() == 0


def test_register_honeypot_refuses_bots(client, resident):
    client.force_login(resident)
    response = client.post(REGISTER, {"name": "Spam group", "website_url": "http://spam.example"})
    assert response.status_code == 200
    assert "could not be accepted" in response.content.decode()
    assert CommunityGroup.objects.count() == 0


def test_register_is_rate_limited(client, resident):
    client.force_login(resident)
    for n in range(5):
        assert client.post(REGISTER, {"name": f"Group {n}"}).status_code == 302
    response = client.post(REGISTER, {"name": "One too many"})
    assert response.status_code == 200
    assert "too many times" in response.content.decode()
    assert 'value="One too many"' in response.content.decode()
    assert CommunityGroup.objects.count() == 5


def test_register_needs_sign_in(client):
    response = client.get(REGISTER)
    assert response.status_code == 302 and "login" in response["Location"]
    with pytest.raises(Refused):
        services.group_register(user=AnonymousUser(), name="Nobody's group")


# Permissions ----------------------------------------------------------------


@pytest.mark.parametrize(
    "who, can_view, can_manage",
    [
        ("lead", True, True),
        ("member", True, False),
        ("outsider", False, False),
        ("anonymous", False, False),
        ("officer", True, True),
    ],
)
def test_permissions_matrix(who, can_view, can_manage, group, lead, member, resident, officer):
    user = {
        "lead": lead,
        "member": member,
        "outsider": resident,
        "anonymous": AnonymousUser(),
        "officer": officer,
    }[who]
    assert rules.can_view_group_members(user, group) is can_view
    assert rules.can_manage_group(user, group) is can_manage


@pytest.mark.parametrize(
    "who, status", [("lead", 200), ("member", 200), ("outsider", 404), ("officer", 200)]
)
def test_group_page_access(client, who, status, group, lead, member, resident, officer):
    client.force_login(
        {"lead": lead, "member": member, "outsider": resident, "officer": officer}[who]
    )
    response = client.get(page_url(group))
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert "Lee Lead" in html and "Group lead" in html
        # Only those who manage see email addresses and the forms.
        assert ("lead@example.org" in html) is (who in ("lead", "officer"))
        assert ("Invite a member" in html) is (who in ("lead", "officer"))


def test_anonymous_is_sent_to_sign_in(client, group):
    response = client.get(page_url(group))
    assert response.status_code == 302 and "login" in response["Location"]


def test_an_ordinary_member_cannot_change_members(client, group, lead, member, user_factory):
    user_factory(email="new@example.org")
    client.force_login(member)
    assert (
        client.post(page_url(group), {"email": "new@example.org", "role": "member"}).status_code
        == 403
    )
    remove = reverse(
        "assetmap:group_member_remove", args=[group.slug, membership_of(group, lead).pk]
    )
    # The service refuses; the page says why rather than showing an error page.
    refused = client.post(remove, follow=True)
    assert "Only a lead of the group can change its members." in refused.text
    assert GroupMembership.objects.filter(group=group).count() == 2
    with pytest.raises(Refused):
        services.group_member_remove(user=member, membership=membership_of(group, lead))
    with pytest.raises(Refused):
        services.group_member_role_change(
            user=member, membership=membership_of(group, member), role=GroupMembership.LEAD
        )
    assert membership_of(group, member).role == GroupMembership.MEMBER


# Adding by email --------------------------------------------------------------


def _invite(client, group, email, role="member"):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(page_url(group), {"email": email, "role": role}, follow=True)


def _link_token(message):
    match = re.search(r"/community-groups/invitations/([^/\s]+)/", message.body)
    assert match, message.body
    return match.group(1)


def test_inviting_says_the_same_whether_or_not_the_address_has_an_account(
    client, group, lead, user_factory
):
    user_factory(email="newcomer@example.org", display_name="Nia New")
    client.force_login(lead)
    known = _invite(client, group, "newcomer@example.org")
    unknown = _invite(client, group, "stranger@example.org")
    known_html = known.content.decode().replace("newcomer@example.org", "ADDRESS")
    unknown_html = unknown.content.decode().replace("stranger@example.org", "ADDRESS")
    message = "We have emailed an invitation to ADDRESS."
    assert message in known_html and message in unknown_html
    # The form's hint mentions accounts; nothing else on the page may.
    assert unknown_html.count("no account") == known_html.count("no account") == 1
    assert _messages_text(known_html) == _messages_text(unknown_html)
    assert [m.to for m in mail.outbox] == [["newcomer@example.org"], ["stranger@example.org"]]


def _messages_text(html):
    return re.findall(r"We have emailed[^<]*", html)


def test_nobody_is_a_member_before_accepting(client, group, lead, user_factory):
    newcomer = user_factory(email="newcomer@example.org")
    client.force_login(lead)
    _invite(client, group, "Newcomer@Example.org", role="lead")
    assert not GroupMembership.objects.filter(group=group, user=newcomer).exists()
    token = _link_token(mail.outbox[0])
    client.force_login(newcomer)
    url = reverse("assetmap:group_invitation", args=[token])
    assert f"Join {group.name}" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302
    assert membership_of(group, newcomer).role == GroupMembership.LEAD
    # The link works once.
    again = client.post(url)
    assert "This invitation cannot be used" in again.content.decode()


def test_accepting_with_another_account_is_refused(client, group, lead, user_factory):
    client.force_login(lead)
    _invite(client, group, "newcomer@example.org")
    token = _link_token(mail.outbox[0])
    other = user_factory(email="someone-else@example.org")
    client.force_login(other)
    response = client.post(reverse("assetmap:group_invitation", args=[token]))
    assert response.status_code == 200
    assert "sent to a different email address" in response.content.decode()
    assert not GroupMembership.objects.filter(group=group, user=other).exists()


def test_accepting_needs_sign_in(client, group, lead):
    invitation, token = services.group_member_invite(
        user=lead, group=group, email="newcomer@example.org"
    )
    url = reverse("assetmap:group_invitation", args=[token])
    response = client.post(url)
    assert response.status_code == 302 and "login" in response["Location"]
    assert GroupMembership.objects.filter(group=group).count() == 1


def test_an_expired_or_wrong_token_is_refused(group, lead, user_factory):
    newcomer = user_factory(email="newcomer@example.org")
    invitation, token = services.group_member_invite(
        user=lead, group=group, email="newcomer@example.org"
    )
    with pytest.raises(ValidationError):
        services.group_invitation_accept(user=newcomer, token=token + "x")
    invitation.expires_at = timezone.now() - timedelta(minutes=1)
    invitation.save()
    with pytest.raises(ValidationError):
        services.group_invitation_accept(user=newcomer, token=token)
    assert not GroupMembership.objects.filter(group=group, user=newcomer).exists()


def test_only_the_digest_of_the_token_is_stored(group, lead):
    invitation, token = services.group_member_invite(user=lead, group=group, email="n@example.org")
    invitation.refresh_from_db()
    assert token not in invitation.token_digest and len(token) >= 40


def test_a_new_invitation_replaces_the_open_one(group, lead, user_factory):
    newcomer = user_factory(email="n@example.org")
    _, first = services.group_member_invite(user=lead, group=group, email="n@example.org")
    _, second = services.group_member_invite(user=lead, group=group, email="n@example.org")
    with pytest.raises(ValidationError):
        services.group_invitation_accept(user=newcomer, token=first)
    services.group_invitation_accept(user=newcomer, token=second)
    assert membership_of(group, newcomer).role == GroupMembership.MEMBER


def test_only_leads_and_officers_invite(group, member, officer):
    with pytest.raises(Refused):
        services.group_member_invite(user=member, group=group, email="n@example.org")
    services.group_member_invite(user=officer, group=group, email="n@example.org")


# Roles and removing, and the last lead ---------------------------------------


def test_lead_promotes_demotes_and_removes(client, group, lead, member):
    client.force_login(lead)
    target = membership_of(group, member)
    role_url = reverse("assetmap:group_member_role", args=[group.slug, target.pk])
    client.post(role_url, {f"member-{target.pk}-role": "lead"})
    assert membership_of(group, member).role == GroupMembership.LEAD
    # With two leads, the first may step down.
    own = membership_of(group, lead)
    client.post(
        reverse("assetmap:group_member_role", args=[group.slug, own.pk]),
        {f"member-{own.pk}-role": "member"},
    )
    assert membership_of(group, lead).role == GroupMembership.MEMBER
    services.group_member_remove(user=member, membership=membership_of(group, lead))
    assert not GroupMembership.objects.filter(group=group, user=lead).exists()


def test_the_last_lead_cannot_be_demoted_or_removed(client, group, lead, member):
    own = membership_of(group, lead)
    with pytest.raises(ValidationError, match="at least one lead"):
        services.group_member_role_change(user=lead, membership=own, role=GroupMembership.MEMBER)
    with pytest.raises(ValidationError, match="at least one lead"):
        services.group_member_remove(user=lead, membership=own)
    client.force_login(lead)
    response = client.post(
        reverse("assetmap:group_member_remove", args=[group.slug, own.pk]), follow=True
    )
    assert "A group needs at least one lead" in response.content.decode()
    response = client.post(
        reverse("assetmap:group_member_role", args=[group.slug, own.pk]),
        {f"member-{own.pk}-role": "member"},
        follow=True,
    )
    assert "A group needs at least one lead" in response.content.decode()
    assert membership_of(group, lead).role == GroupMembership.LEAD


def test_an_invalid_role_is_refused(client, group, lead, member):
    target = membership_of(group, member)
    with pytest.raises(ValidationError):
        services.group_member_role_change(user=lead, membership=target, role="owner")
    client.force_login(lead)
    response = client.post(
        reverse("assetmap:group_member_role", args=[group.slug, target.pk]),
        {f"member-{target.pk}-role": "owner"},
        follow=True,
    )
    assert "Choose a role." in response.content.decode()
    assert membership_of(group, member).role == GroupMembership.MEMBER


def test_a_membership_of_another_group_is_not_found(client, group, lead, user_factory):
    other = GroupMembershipFactory(user=user_factory())
    client.force_login(lead)
    url = reverse("assetmap:group_member_remove", args=[group.slug, other.pk])
    assert client.post(url).status_code == 404
    assert GroupMembership.objects.filter(pk=other.pk).exists()


# Links and query counts ---------------------------------------------------------


def test_my_assets_links_to_groups_and_to_registering(client, group, member):
    client.force_login(member)
    html = client.get(reverse("assetmap:my_assets")).content.decode()
    assert page_url(group) in html and REGISTER in html


def test_group_page_queries_do_not_grow_with_members(
    client, group, lead, user_factory, count_queries
):
    client.force_login(lead)
    client.get(page_url(group))  # warm the session and site caches

    def page():
        response = client.get(page_url(group))
        assert response.status_code == 200
        return response.content.decode()

    GroupMembershipFactory(group=group, user=user_factory())
    small, html = count_queries(page)
    assert html.count("Change role<") == 2
    for _ in range(28):
        GroupMembershipFactory(group=group, user=user_factory())
    large, html = count_queries(page)
    assert html.count("Change role<") == 30
    assert large == small
