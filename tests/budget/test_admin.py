"""The rules lock, moderation and response listing, through the Wagtail admin."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from budget.admin_forms import LOCK_MESSAGE
from budget.models import BudgetConversationPage, BudgetResponse, Comment, SimulatorLine
from tests.budget.factories import conversation_factory, make_responses


@pytest.fixture
def conversation(home_page):
    return conversation_factory(home_page)


def _local(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


PROPOSAL_FIELDS = ["reference", "title", "service_area", "current_budget", "change", "rationale"]
LINE_FIELDS = ["name", "kind", "unit", "current", "minimum", "maximum", "step", "proposed"]


def edit_data(
    page,
    *,
    line_changes=None,
    proposal_changes=None,
    extra_line=None,
    extra_proposal=None,
    drop_line=None,
    **changes,
):
    """The editor's form as it would be posted, with some values changed."""
    line_changes = line_changes or {}
    proposal_changes = proposal_changes or {}
    lines = []
    for line in page.lines.exclude(name=drop_line):
        row = {"id": line.pk, **{f: getattr(line, f) for f in LINE_FIELDS}}
        row.update(line_changes.get(line.name, {}))
        lines.append(row)
    if extra_line:
        lines.append(extra_line)
    proposals = []
    for proposal in page.proposals.all():
        row = {"id": proposal.pk, **{f: getattr(proposal, f) for f in PROPOSAL_FIELDS}}
        row.update(proposal_changes.get(proposal.reference, {}))
        proposals.append(row)
    if extra_proposal:
        proposals.append(extra_proposal)
    data = {
        "title": page.title,
        "slug": page.slug,
        "introduction": page.introduction,
        "stage": page.stage,
        "opens_at": _local(page.opens_at),
        "closes_at": _local(page.closes_at),
        "audience": page.audience,
        "net_budget": page.net_budget,
        "gap": page.gap,
        "financial_context": rich_text(page.financial_context or ""),
        "simulator_introduction": page.simulator_introduction,
        "target_kind": page.target_kind,
        "target_amount": page.target_amount,
        "proposals": inline_formset(proposals, initial=len(page.proposals.all())),
        "lines": inline_formset(lines, initial=len(page.lines.exclude(name=drop_line))),
        "comments": inline_formset([]),
        "action-publish": "publish",
    }
    data.update(changes)
    return nested_form_data(data)


def post_edit(client, page, data):
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data, follow=True)


def test_rules_can_change_before_anyone_responds(client, officer, conversation):
    client.force_login(officer)
    response = post_edit(
        client,
        conversation,
        edit_data(
            conversation, target_amount=600_000, line_changes={"Libraries": {"minimum": 300_000}}
        ),
    )
    assert response.status_code == 200
    conversation.refresh_from_db()
    assert conversation.target_amount == 600_000
    assert SimulatorLine.objects.get(name="Libraries").minimum == 300_000


@pytest.mark.parametrize(
    "change",
    [
        {"target_amount": 600_000},
        {"target_kind": BudgetConversationPage.CEILING},
        {"line_changes": {"Libraries": {"minimum": 300_000}}},
        {"line_changes": {"Libraries": {"maximum": 1_150_000}}},
        {"line_changes": {"Libraries": {"step": 25_000}}},
        {"line_changes": {"Council tax rise": {"DELETE": "1"}}},
        {
            "extra_line": {
                "name": "Parks",
                "kind": "spending",
                "unit": "",
                "current": 100,
                "minimum": 0,
                "maximum": 200,
                "step": 10,
                "proposed": 100,
            }
        },
        {"proposal_changes": {"ASC-03": {"DELETE": "1"}}},
    ],
)
def test_rules_are_locked_once_anyone_responded(
    client, officer, conversation, user_factory, change
):
    make_responses(conversation, 1, user_factory=user_factory)
    before_lines = sorted(line.rule_values() for line in SimulatorLine.objects.all())
    client.force_login(officer)
    response = post_edit(client, conversation, edit_data(conversation, **change))
    html = response.content.decode()
    assert "its rules are locked" in html
    conversation.refresh_from_db()
    assert conversation.target_amount == 500_000
    assert conversation.target_kind == BudgetConversationPage.SAVINGS
    assert sorted(line.rule_values() for line in SimulatorLine.objects.all()) == before_lines
    assert conversation.proposals.count() == 2


NEW_LINE = {
    "name": "Parks",
    "kind": "spending",
    "unit": "",
    "current": 100,
    "minimum": 0,
    "maximum": 200,
    "step": 10,
    "proposed": 100,
}
NEW_PROPOSAL = {
    "reference": "PRK-01",
    "title": "Let volunteers mow the parks",
    "service_area": "Parks",
    "current_budget": 900_000,
    "change": -50_000,
    "rationale": "Friends groups offered.",
}
LINE_RULES = "the kind, current amount, minimum, maximum and step of “{}” cannot change"


@pytest.mark.parametrize(
    ("change", "changes"),
    [
        (
            {"target_amount": 600_000, "target_kind": BudgetConversationPage.CEILING},
            ["the target cannot change"],
        ),
        (
            {"line_changes": {"Libraries": {"name": "Library hours", "step": 25_000}}},
            [LINE_RULES.format("Library hours")],
        ),
        (
            {"line_changes": {"Council tax rise": {"DELETE": "1"}}},
            ["the line “Council tax rise” cannot be removed"],
        ),
        ({"drop_line": "Council tax rise"}, ["lines cannot be removed"]),
        ({"extra_line": NEW_LINE}, ["a line (“Parks”) cannot be added"]),
        (
            {"proposal_changes": {"ASC-03": {"DELETE": "1"}}},
            ["the proposal “ASC-03 Review day centre transport” cannot be removed"],
        ),
        ({"extra_proposal": NEW_PROPOSAL}, ["proposals cannot be added"]),
        (
            {
                "target_amount": 600_000,
                "line_changes": {"Libraries": {"minimum": 300_000}},
                "extra_line": NEW_LINE,
                "extra_proposal": NEW_PROPOSAL,
            },
            [
                "the target cannot change",
                LINE_RULES.format("Libraries"),
                "a line (“Parks”) cannot be added",
                "proposals cannot be added",
            ],
        ),
    ],
)
def test_the_lock_says_which_rules_would_change(
    client, officer, conversation, user_factory, change, changes
):
    make_responses(conversation, 1, user_factory=user_factory)
    client.force_login(officer)
    response = post_edit(client, conversation, edit_data(conversation, **change))
    assert escape(LOCK_MESSAGE.format(changes="; ".join(changes))) in response.content.decode()


def test_wording_can_still_be_corrected_after_responses(
    client, officer, conversation, user_factory
):
    make_responses(conversation, 1, user_factory=user_factory)
    client.force_login(officer)
    response = post_edit(
        client,
        conversation,
        edit_data(
            conversation,
            line_changes={"Libraries": {"name": "Library opening hours"}},
            proposal_changes={"LIB-01": {"title": "Close two small branch libraries"}},
        ),
    )
    assert "its rules are locked" not in response.content.decode()
    assert SimulatorLine.objects.filter(name="Library opening hours").exists()


def test_line_bounds_are_validated_in_the_editor(client, officer, conversation):
    client.force_login(officer)
    response = post_edit(
        client,
        conversation,
        edit_data(conversation, line_changes={"Libraries": {"proposed": 825_000}}),
    )
    assert "not one of the steps" in response.content.decode()
    assert SimulatorLine.objects.get(name="Libraries").proposed == 800_000


def test_officer_moderates_in_the_admin(client, officer, conversation, user_factory):
    make_responses(conversation, 1, user_factory=user_factory)
    comment = Comment.objects.get()
    Comment.objects.filter(pk=comment.pk).update(status=Comment.PENDING)
    client.force_login(officer)
    index = client.get(reverse("budget_comments:index"))
    assert index.status_code == 200
    url = reverse("budget_comments:edit", args=[comment.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert comment.text in form.content.decode()
    refused = client.post(url, {"status": Comment.REJECTED, "rejection_reason": ""})
    assert refused.status_code == 200
    assert "Give the reason" in refused.content.decode()
    comment.refresh_from_db()
    assert comment.status == Comment.PENDING
    client.post(url, {"status": Comment.REJECTED, "rejection_reason": "Off topic."})
    comment.refresh_from_db()
    assert comment.status == Comment.REJECTED
    assert comment.rejection_reason == "Off topic."
    assert comment.moderated_by == officer


def test_officer_lists_responses_but_residents_cannot(
    client, officer, resident, conversation, user_factory
):
    make_responses(conversation, 2, user_factory=user_factory)
    client.force_login(officer)
    response = client.get(reverse("budget_responses:index"))
    assert response.status_code == 200
    assert "R-" in response.content.decode()
    one = BudgetResponse.objects.first()
    inspect = client.get(reverse("budget_responses:inspect", args=[one.pk]))
    assert inspect.status_code == 200
    client.force_login(resident)
    assert client.get(reverse("budget_responses:index")).status_code == 302


def test_page_tree_offers_officers_results_paper_and_downloads(client, officer, conversation):
    client.force_login(officer)
    html = client.get(reverse("wagtailadmin_explore", args=[conversation.get_parent().pk]))
    html = html.content.decode()
    assert conversation.url + "results/" in html
    assert conversation.url + "paper/" in html
    assert conversation.url + "export/responses/csv/" in html
