from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from budget import services
from budget.models import (
    Allocation,
    BudgetConversationPage,
    BudgetResponse,
    Comment,
    CommentFlag,
    ProposalAnswer,
)
from commissioning.exceptions import EngagementNotOpen, NotEligible, Refused
from commissioning.models import Participation
from tests.accounts.factories import staff_with_role
from tests.budget.factories import conversation_factory, valid_choices
from tests.pages import built_once, site_home


@built_once
def tree():
    """The site, an officer and one open conversation, made once for the module."""
    home = site_home()
    return {
        "home": home,
        "officer": staff_with_role("officer", "officer@example.org"),
        "conversation": conversation_factory(home),
    }


@pytest.fixture
def home_page(tree):
    return tree["home"]


@pytest.fixture
def officer(tree):
    return tree["officer"]


@pytest.fixture
def conversation(tree):
    return tree["conversation"]


def record(conversation, user, *, answers=None, allocations=None, **kwargs):
    default_answers, default_allocations = valid_choices(conversation)
    return services.budget_response_record(
        conversation=conversation,
        user=user,
        answers=default_answers if answers is None else answers,
        allocations=default_allocations if allocations is None else allocations,
        **kwargs,
    )


def lines_of(conversation):
    return list(conversation.lines.all())


def test_records_answers_allocations_comments_and_participation(conversation, resident):
    proposal = conversation.proposals.first()
    response = record(
        conversation,
        resident,
        comments={proposal.pk: "Keep Fernhill open.", None: "Charge for parking."},
        wants_feedback=True,
    )
    assert response.channel == BudgetResponse.WEB
    assert response.answers.count() == 2
    assert response.allocations.count() == 2
    assert set(response.comments.values_list("status", flat=True)) == {Comment.PENDING}
    participation = Participation.objects.get(engagement=conversation, user=resident)
    assert participation.wants_feedback is True


def test_second_submission_edits_the_same_response(conversation, resident):
    first = record(conversation, resident)
    answers, allocations = valid_choices(conversation)
    answers = dict.fromkeys(answers, ProposalAnswer.OPPOSE)
    second = record(conversation, resident, answers=answers)
    assert first.pk == second.pk
    assert BudgetResponse.objects.count() == 1
    assert set(ProposalAnswer.objects.values_list("stance", flat=True)) == {"oppose"}
    assert Participation.objects.filter(engagement=conversation, user=resident).count() == 1


def test_recording_a_response_costs_the_same_few_queries_for_everyone(conversation, user_factory):
    """Every resident's response costs the same handful of queries, none of them
    Wagtail's reference index (responses are not content an editor places)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    proposal = conversation.proposals.first()
    answers, allocations = valid_choices(conversation)
    counts = []
    for number in range(3):
        resident = user_factory(email=f"resident{number}@example.org")
        with CaptureQueriesContext(connection) as queries:
            services.budget_response_record(
                conversation=conversation,
                user=resident,
                answers=answers,
                allocations=allocations,
                comments={proposal.pk: "Keep it open.", None: "Share the building."},
            )
        assert not [q for q in queries.captured_queries if "referenceindex" in q["sql"]]
        counts.append(len(queries.captured_queries))
    assert counts[1] == counts[2]
    assert counts[2] <= 26, counts


def test_database_refuses_a_second_response_set_for_one_person(conversation, resident):
    BudgetResponse.objects.create(conversation=conversation, user=resident)
    with pytest.raises(IntegrityError):
        BudgetResponse.objects.create(conversation=conversation, user=resident)


def test_concurrent_submissions_leave_one_record(conversation, resident, monkeypatch):
    from commissioning import services as spine

    record(conversation, resident)
    # The second request looked before the first committed: it saw nothing.
    looked = spine.response_for_person

    def looked_too_early(*, model, **kwargs):
        if model is BudgetResponse:
            monkeypatch.setattr(model.objects, "select_for_update", _saw_nothing(model))
        return looked(model=model, **kwargs)

    monkeypatch.setattr(services, "response_for_person", looked_too_early)
    answers, _ = valid_choices(conversation)
    record(conversation, resident, answers=dict.fromkeys(answers, "unsure"))
    assert BudgetResponse.objects.filter(conversation=conversation, user=resident).count() == 1
    assert set(ProposalAnswer.objects.values_list("stance", flat=True)) == {"unsure"}
    assert Allocation.objects.count() == 2


def _saw_nothing(model):
    """select_for_update() whose first look finds nothing, as if the row came just after."""
    real = model.objects.select_for_update
    seen = []

    def select_for_update(*args, **kwargs):
        rows = real(*args, **kwargs)
        if not seen:
            seen.append(True)
            return rows.none()
        return rows

    return select_for_update


def test_refused_after_close_and_before_opening(conversation, resident):
    with pytest.raises(EngagementNotOpen):
        record(conversation, resident, now=conversation.closes_at + timedelta(minutes=1))
    with pytest.raises(EngagementNotOpen):
        record(conversation, resident, now=conversation.opens_at - timedelta(minutes=1))
    assert not BudgetResponse.objects.exists()


def test_closed_conversation_cannot_be_edited(conversation, resident):
    record(conversation, resident)
    BudgetConversationPage.objects.filter(pk=conversation.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )
    conversation.refresh_from_db()
    answers, _ = valid_choices(conversation)
    with pytest.raises(EngagementNotOpen):
        record(conversation, resident, answers=dict.fromkeys(answers, "oppose"))
    assert set(ProposalAnswer.objects.values_list("stance", flat=True)) == {"support"}


def test_anonymous_web_response_refused(conversation):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotEligible):
        record(conversation, AnonymousUser())
    with pytest.raises(NotEligible):
        record(conversation, None)


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (350_000, "below the minimum of £400,000 (by £50,000)"),
        (1_250_000, "above the maximum of £1,200,000 (by £50,000)"),
        (625_000, "not one of the steps of £50,000"),
        (-5, "cannot be negative"),
        ("lots", "whole number of pounds"),
        (None, "Enter an amount for Libraries"),
    ],
)
def test_bad_line_amounts_name_the_line(conversation, resident, amount, expected):
    libraries = lines_of(conversation)[0]
    _, allocations = valid_choices(conversation)
    allocations[libraries.pk] = amount
    if amount is None:
        del allocations[libraries.pk]
    with pytest.raises(ValidationError) as caught:
        record(conversation, resident, allocations=allocations)
    messages = caught.value.message_dict[f"line:{libraries.pk}"]
    assert any(expected in m for m in messages), messages
    assert not BudgetResponse.objects.exists()
    assert not Participation.objects.exists()


def test_off_step_message_suggests_neighbours(conversation, resident):
    libraries = lines_of(conversation)[0]
    _, allocations = valid_choices(conversation)
    allocations[libraries.pk] = 625_000
    with pytest.raises(ValidationError) as caught:
        record(conversation, resident, allocations=allocations)
    assert "Choose £600,000 or £650,000" in caught.value.message_dict[f"line:{libraries.pk}"][0]


def test_missing_the_target_says_by_how_much(conversation, resident):
    libraries = lines_of(conversation)[0]
    _, allocations = valid_choices(conversation)
    allocations[libraries.pk] = 800_000  # saves £200,000 of £500,000
    with pytest.raises(ValidationError) as caught:
        record(conversation, resident, allocations=allocations)
    message = caught.value.message_dict["target"][0]
    assert "save £200,000" in message
    assert "£300,000 short" in message
    assert not BudgetResponse.objects.exists()


def test_revenue_lines_count_towards_savings(conversation, resident):
    libraries, council_tax = lines_of(conversation)
    _, allocations = valid_choices(conversation)
    allocations[libraries.pk] = libraries.current
    allocations[council_tax.pk] = 500_000
    assert record(conversation, resident, allocations=allocations).pk


def test_ceiling_target(home_page, resident):
    conversation = conversation_factory(
        home_page,
        title="Ceiling",
        target_kind=BudgetConversationPage.CEILING,
        target_amount=900_000,
    )
    libraries, council_tax = lines_of(conversation)
    allocations = {libraries.pk: 1_000_000, council_tax.pk: 0}
    with pytest.raises(ValidationError) as caught:
        record(conversation, resident, allocations=allocations)
    assert "£100,000 over the limit of £900,000" in caught.value.message_dict["target"][0]
    allocations[council_tax.pk] = 100_000
    assert record(conversation, resident, allocations=allocations).pk


def test_line_from_another_conversation_refused(home_page, conversation, resident):
    other = conversation_factory(home_page, title="Other")
    _, allocations = valid_choices(conversation)
    allocations[lines_of(other)[0].pk] = 1_000_000
    with pytest.raises(ValidationError) as caught:
        record(conversation, resident, allocations=allocations)
    assert "not part of this conversation" in caught.value.message_dict["__all__"][0]
    assert not BudgetResponse.objects.exists()


def test_proposal_from_another_conversation_refused(home_page, conversation, resident):
    other = conversation_factory(home_page, title="Other")
    answers, _ = valid_choices(conversation)
    answers[other.proposals.first().pk] = "support"
    with pytest.raises(ValidationError) as caught:
        record(conversation, resident, answers=answers)
    assert "not part of this conversation" in caught.value.message_dict["__all__"][0]


def test_every_proposal_needs_a_valid_stance(conversation, resident):
    answers, _ = valid_choices(conversation)
    first, second = list(answers)
    answers[first] = "maybe"
    del answers[second]
    with pytest.raises(ValidationError) as caught:
        record(conversation, resident, answers=answers)
    assert f"proposal:{first}" in caught.value.message_dict
    assert f"proposal:{second}" in caught.value.message_dict


def test_failed_edit_keeps_the_earlier_response(conversation, resident):
    record(conversation, resident, comments={None: "Sell the old depot."})
    libraries = lines_of(conversation)[0]
    answers, allocations = valid_choices(conversation)
    allocations[libraries.pk] = 1_500_000
    with pytest.raises(ValidationError):
        record(
            conversation,
            resident,
            answers=dict.fromkeys(answers, "oppose"),
            allocations=allocations,
        )
    assert set(ProposalAnswer.objects.values_list("stance", flat=True)) == {"support"}
    assert Allocation.objects.get(line=libraries).amount == 500_000
    assert Comment.objects.get().text == "Sell the old depot."


def test_overlong_comment_refused(conversation, resident):
    proposal = conversation.proposals.first()
    with pytest.raises(ValidationError) as caught:
        record(conversation, resident, comments={proposal.pk: "x" * 2001})
    assert f"comment:{proposal.pk}" in caught.value.message_dict


def test_edited_comment_goes_back_to_moderation(conversation, resident, officer):
    proposal = conversation.proposals.first()
    record(conversation, resident, comments={proposal.pk: "Keep it open."})
    comment = Comment.objects.get()
    services.comment_moderate(comment=comment, moderator=officer, status=Comment.APPROVED)
    record(conversation, resident, comments={proposal.pk: "Keep it open."})
    assert Comment.objects.get().status == Comment.APPROVED
    record(conversation, resident, comments={proposal.pk: "Keep it open, please."})
    assert Comment.objects.get().status == Comment.PENDING
    record(conversation, resident, comments={proposal.pk: ""})
    assert not Comment.objects.exists()


def test_paper_response_needs_no_account_and_records_channel(conversation, officer):
    response = record(
        conversation,
        None,
        channel=BudgetResponse.PAPER,
        entered_by=officer,
        paper_reference="P-17",
    )
    assert response.channel == BudgetResponse.PAPER
    assert response.user is None
    assert response.entered_by == officer
    assert Participation.objects.get(engagement=conversation).channel == Participation.PAPER
    with pytest.raises(ValidationError) as caught:
        record(
            conversation,
            None,
            channel=BudgetResponse.PAPER,
            entered_by=officer,
            paper_reference="P-17",
        )
    assert "already been entered" in caught.value.message_dict["paper_reference"][0]
    assert BudgetResponse.objects.count() == 1


def test_rejection_needs_a_reason(conversation, resident, officer):
    record(conversation, resident, comments={None: "Rude words"})
    comment = Comment.objects.get()
    with pytest.raises(ValidationError) as caught:
        services.comment_moderate(comment=comment, moderator=officer, status=Comment.REJECTED)
    assert "rejection_reason" in caught.value.message_dict
    services.comment_moderate(
        comment=comment, moderator=officer, status=Comment.REJECTED, reason="Offensive language."
    )
    comment.refresh_from_db()
    assert comment.status == Comment.REJECTED
    assert comment.rejection_reason == "Offensive language."
    assert comment.moderated_by == officer


def test_three_distinct_flags_hide_a_comment_until_reviewed(
    conversation, resident, officer, user_factory
):
    proposal = conversation.proposals.first()
    record(conversation, resident, comments={proposal.pk: "Close them all."})
    comment = Comment.objects.get()
    services.comment_moderate(comment=comment, moderator=officer, status=Comment.APPROVED)
    flaggers = [user_factory() for _ in range(3)]
    assert services.comment_flag(comment=comment, user=flaggers[0]) is True
    assert services.comment_flag(comment=comment, user=flaggers[0]) is False  # once per person
    services.comment_flag(comment=comment, user=flaggers[1])
    comment.refresh_from_db()
    assert comment.hidden_by_flags is False
    services.comment_flag(comment=comment, user=flaggers[2])
    comment.refresh_from_db()
    assert comment.hidden_by_flags is True
    assert not Comment.objects.visible().exists()
    with pytest.raises(ValidationError):
        services.comment_flag(comment=comment, user=user_factory())
    # The officer reviews it and reinstates it: earlier flags no longer count.
    services.comment_moderate(comment=comment, moderator=officer, status=Comment.APPROVED)
    comment.refresh_from_db()
    assert comment.hidden_by_flags is False
    services.comment_flag(comment=comment, user=user_factory())
    comment.refresh_from_db()
    assert comment.hidden_by_flags is False
    assert CommentFlag.objects.count() == 4


def test_author_cannot_flag_own_comment_and_pending_cannot_be_flagged(
    conversation, resident, officer, user_factory
):
    record(conversation, resident, comments={None: "Mine"})
    comment = Comment.objects.get()
    with pytest.raises(ValidationError):
        services.comment_flag(comment=comment, user=user_factory())  # still pending
    services.comment_moderate(comment=comment, moderator=officer, status=Comment.APPROVED)
    with pytest.raises(ValidationError):
        services.comment_flag(comment=comment, user=resident)


def test_every_simulator_problem_at_once_and_target_counts_lines_at_their_bounds(
    conversation,
):
    libraries, council_tax = lines_of(conversation)
    errors = services.simulator_errors(
        conversation=conversation,
        lines=[libraries, council_tax],
        # Libraries £2m under its minimum would "meet" the target if counted as given.
        allocations={libraries.pk: 0, council_tax.pk: 12_345},
    )
    assert "below the minimum" in errors[f"line:{libraries.pk}"][0]
    assert "not one of the steps" in errors[f"line:{council_tax.pk}"][0]
    # Counted at its minimum (£400,000), Libraries saves £600,000: the target is met.
    assert "target" not in errors
    errors = services.simulator_errors(
        conversation=conversation,
        lines=[libraries, council_tax],
        allocations={libraries.pk: 1_300_000, council_tax.pk: 0},
    )
    assert "below" not in errors[f"line:{libraries.pk}"][0]
    assert "you are £700,000 short" in errors["target"][0]
    assert "counts Libraries at the nearest amount allowed" in errors["target"][0]


def test_the_service_refuses_paper_entry_by_anyone_but_an_officer(conversation, resident):
    """Not only the paper page: the service itself asks `rules.can_enter_paper`."""
    for who in (resident, None):
        with pytest.raises(Refused) as caught:
            record(conversation, None, channel=BudgetResponse.PAPER, entered_by=who)
        assert caught.value.code == "forbidden"
    assert not BudgetResponse.objects.exists()
    assert not Participation.objects.exists()


def test_the_service_refuses_moderation_by_a_resident(conversation, resident, user_factory):
    record(conversation, resident, comments={None: "Keep the library."})
    comment = Comment.objects.get()
    with pytest.raises(Refused):
        services.comment_moderate(comment=comment, moderator=resident, status=Comment.APPROVED)
    with pytest.raises(Refused):
        services.comments_approve(comment_ids=[comment.pk], moderator=resident)
    assert Comment.objects.get().status == Comment.PENDING


def test_flags_are_refused_with_the_reason(conversation, resident, officer):
    from django.contrib.auth.models import AnonymousUser

    record(conversation, resident, comments={None: "Keep the library."})
    comment = Comment.objects.get()
    with pytest.raises(Refused) as caught:
        services.comment_flag(comment=comment, user=officer)
    assert caught.value.code == "unpublished"
    services.comment_moderate(comment=comment, moderator=officer, status=Comment.APPROVED)
    with pytest.raises(Refused) as caught:
        services.comment_flag(comment=comment, user=resident)
    assert caught.value.code == "own_comment"
    with pytest.raises(NotEligible):
        services.comment_flag(comment=comment, user=AnonymousUser())
    assert not CommentFlag.objects.exists()
