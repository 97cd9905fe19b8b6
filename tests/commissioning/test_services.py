from datetime import timedelta
from smtplib import SMTPException
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection

from commissioning.exceptions import EngagementNotOpen, NotEligible
from commissioning.models import DecisionNotification, EngagementPage, Participation
from commissioning.services import (
    decision_scope,
    engagement_assert_can_respond,
    participation_record,
    response_for_person,
)
from coproduce.messaging import messages_send
from coproduce.models import OutboundMessage
from tests.commissioning import factories
from tests.commissioning.factories import ParticipationFactory, WardFactory
from tests.threads import at_once

# Constructing a page reads its content type: these tests need the database,
# and fail after any transactional test has flushed the content-type cache.
pytestmark = pytest.mark.django_db


def in_memory(audience=EngagementPage.ANYONE, **window):
    return EngagementPage(title="Have your say", stage="plan", audience=audience, **window)


class TestOpenAndClosed:
    def test_a_closed_engagement_refuses_a_response(self):
        engagement = in_memory(**factories.closed_window())
        with pytest.raises(EngagementNotOpen) as error:
            engagement_assert_can_respond(engagement=engagement, user=None)
        assert error.value.code == "closed"
        assert "closed on" in error.value.messages[0]

    def test_a_not_yet_open_engagement_refuses_a_response(self):
        engagement = in_memory(**factories.upcoming_window())
        with pytest.raises(EngagementNotOpen) as error:
            engagement_assert_can_respond(engagement=engagement, user=None)
        assert error.value.code == "not_yet_open"

    def test_the_closing_moment_itself_is_closed(self):
        engagement = in_memory(**factories.open_window())
        with pytest.raises(EngagementNotOpen):
            engagement_assert_can_respond(
                engagement=engagement, user=None, now=engagement.closes_at
            )
        engagement_assert_can_respond(
            engagement=engagement, user=None, now=engagement.closes_at - timedelta(seconds=1)
        )

    def test_an_open_engagement_accepts_anyone(self):
        engagement_assert_can_respond(engagement=in_memory(**factories.open_window()), user=None)


@pytest.mark.django_db
class TestAudience:
    def test_signed_in_only(self, resident):
        from django.contrib.auth.models import AnonymousUser

        engagement = in_memory(EngagementPage.SIGNED_IN, **factories.open_window())
        with pytest.raises(NotEligible):
            engagement_assert_can_respond(engagement=engagement, user=AnonymousUser())
        engagement_assert_can_respond(engagement=engagement, user=resident)

    def test_borough_residents_need_a_ward(self, resident):
        engagement = in_memory(EngagementPage.BOROUGH, **factories.open_window())
        with pytest.raises(NotEligible) as error:
            engagement_assert_can_respond(engagement=engagement, user=resident)
        assert error.value.code == "not_resident"
        resident.ward = WardFactory()
        engagement_assert_can_respond(engagement=engagement, user=resident)

    def test_paper_responses_are_entered_for_anyone(self):
        engagement = in_memory(EngagementPage.BOROUGH, **factories.open_window())
        engagement_assert_can_respond(engagement=engagement, user=None, channel="paper")


@pytest.mark.django_db
class TestParticipationRecord:
    def test_one_record_per_signed_in_person(self, home_page, resident):
        engagement = factories.engagement(
            factories.programme(factories.programme_index(home_page))
        )
        first = participation_record(engagement=engagement, user=resident)
        second = participation_record(engagement=engagement, user=resident, wants_feedback=True)
        assert first.pk == second.pk
        assert Participation.objects.get().wants_feedback

    def test_anonymous_people_each_get_a_record(self, home_page):
        engagement = factories.engagement(
            factories.programme(factories.programme_index(home_page))
        )
        participation_record(engagement=engagement, email="a@example.org", wants_feedback=True)
        participation_record(engagement=engagement)
        assert Participation.objects.count() == 2


@pytest.mark.django_db
class TestResponseForPerson:
    @pytest.fixture
    def engagement(self, home_page):
        return factories.engagement(factories.programme(factories.programme_index(home_page)))

    def test_creates_once_then_fetches(self, engagement, resident):
        first, created = response_for_person(
            model=Participation, engagement=engagement, user=resident, defaults={"email": ""}
        )
        again, created_again = response_for_person(
            model=Participation, engagement=engagement, user=resident
        )
        assert created and not created_again and first.pk == again.pk

    def test_the_loser_of_a_race_gets_the_winners_row(self, engagement, resident, monkeypatch):
        winner = ParticipationFactory(engagement=engagement, user=resident)
        # This request looked before the winner's row was committed: it saw nothing,
        # so it tries to create one and the unique constraint refuses.
        real = Participation.objects.select_for_update
        looks = []

        def select_for_update(*args, **kwargs):
            looks.append(True)
            rows = real(*args, **kwargs)
            return rows.none() if len(looks) == 1 else rows

        monkeypatch.setattr(Participation.objects, "select_for_update", select_for_update)
        row, created = response_for_person(
            model=Participation, engagement=engagement, user=resident
        )
        assert not created and row.pk == winner.pk
        assert Participation.objects.count() == 1


@pytest.fixture
def stage_with_people(home_page, user_factory):
    """A programme whose analyse stage has people who did and did not opt in."""
    programme = factories.programme(factories.programme_index(home_page))
    analyse = factories.engagement(programme, stage="analyse")
    analyse_2 = factories.engagement(programme, stage="analyse")
    plan = factories.engagement(programme, stage="plan")
    other_programme = factories.programme(home_page.get_children().get().specific)
    elsewhere = factories.engagement(other_programme, stage="analyse")

    people = {
        "opted_in": user_factory(email="yes@example.org"),
        "opted_in_twice": user_factory(email="twice@example.org"),
        "not_opted_in": user_factory(email="no@example.org"),
        "notifications_off": user_factory(email="off@example.org", notify_decisions=False),
        "other_stage": user_factory(email="plan@example.org"),
        "other_programme": user_factory(email="elsewhere@example.org"),
    }
    ParticipationFactory(engagement=analyse, user=people["opted_in"], wants_feedback=True)
    ParticipationFactory(engagement=analyse, user=people["opted_in_twice"], wants_feedback=True)
    ParticipationFactory(engagement=analyse_2, user=people["opted_in_twice"], wants_feedback=True)
    ParticipationFactory(engagement=analyse, user=people["not_opted_in"], wants_feedback=False)
    ParticipationFactory(engagement=analyse, user=people["notifications_off"], wants_feedback=True)
    ParticipationFactory(engagement=plan, user=people["other_stage"], wants_feedback=True)
    ParticipationFactory(engagement=elsewhere, user=people["other_programme"], wants_feedback=True)
    # Anonymous: one asked to hear back (and gave the opted-in user's address
    # in capitals), one did not leave an address.
    ParticipationFactory(engagement=analyse, email="Anon@Example.org", wants_feedback=True)
    ParticipationFactory(engagement=analyse_2, email="YES@example.org", wants_feedback=True)
    ParticipationFactory(engagement=analyse, email="", wants_feedback=True)
    return programme


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def decision_messages(status=None):
    """The decision emails in the outbox (of `status`)."""
    messages = OutboundMessage.objects.filter(scope__startswith=decision_scope(""))
    return messages.filter(status=status) if status else messages


@pytest.mark.django_db
class TestDecisionNotifications:
    def publish(self, programme, django_capture_on_commit_callbacks, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return factories.decision(programme, stage="analyse", **kwargs)

    def test_exactly_once_to_each_opted_in_participant(
        self, stage_with_people, django_capture_on_commit_callbacks
    ):
        decision = self.publish(stage_with_people, django_capture_on_commit_callbacks)
        assert recipients() == ["anon@example.org", "twice@example.org", "yes@example.org"]
        message = mail.outbox[0]
        assert message.subject == "Coproduce Kelderby: Decision: What we decided"
        assert decision.full_url in message.body
        assert decision_messages(OutboundMessage.SENT).count() == 3
        assert not decision_messages(OutboundMessage.PENDING).exists()
        # Each address's notification links the email the outbox sent it.
        notifications = DecisionNotification.objects.select_related("message")
        assert {(n.email, n.message.recipient, n.message.status) for n in notifications} == {
            (a, a, OutboundMessage.SENT)
            for a in ("anon@example.org", "twice@example.org", "yes@example.org")
        }

    def test_publishing_again_sends_nothing_twice(
        self, stage_with_people, django_capture_on_commit_callbacks
    ):
        decision = self.publish(stage_with_people, django_capture_on_commit_callbacks)
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            decision.save_revision().publish()
        call_command("send_messages", stdout=mock.Mock())
        assert mail.outbox == []
        assert DecisionNotification.objects.count() == 3
        assert decision_messages().count() == 3

    def test_a_newcomer_after_publication_gets_one_on_republication(
        self, stage_with_people, django_capture_on_commit_callbacks, user_factory
    ):
        decision = self.publish(stage_with_people, django_capture_on_commit_callbacks)
        mail.outbox.clear()
        late = user_factory(email="late@example.org")
        engagement = EngagementPage.objects.child_of(stage_with_people).filter(stage="analyse")[0]
        ParticipationFactory(engagement=engagement, user=late, wants_feedback=True)
        with django_capture_on_commit_callbacks(execute=True):
            decision.save_revision().publish()
        assert recipients() == ["late@example.org"]

    def test_a_failing_mail_server_keeps_the_queue(
        self, stage_with_people, django_capture_on_commit_callbacks
    ):
        with mock.patch(
            "django.core.mail.backends.locmem.EmailBackend.send_messages",
            side_effect=SMTPException("Connection refused"),
        ):
            decision = self.publish(stage_with_people, django_capture_on_commit_callbacks)
        assert mail.outbox == []
        pending = decision_messages(OutboundMessage.PENDING)
        assert pending.count() == 3
        assert all("Connection refused" in m.last_error for m in pending)
        assert all(m.attempts == 1 for m in pending)

        # The mail server is back: a later run of the outbox sends each one, once.
        out = mock.Mock()
        call_command("send_messages", stdout=out)
        assert recipients() == ["anon@example.org", "twice@example.org", "yes@example.org"]
        assert not decision_messages(OutboundMessage.PENDING).exists()
        assert "3 sent, 0 still waiting" in out.write.call_args[0][0]
        assert messages_send(scope=decision_scope(decision)) == (0, 0)

    def test_one_failure_does_not_stop_the_others(
        self, stage_with_people, django_capture_on_commit_callbacks
    ):
        from django.core.mail.backends.locmem import EmailBackend

        real_send = EmailBackend.send_messages

        def flaky(self, messages):
            if messages[0].to == ["twice@example.org"]:
                raise SMTPException("Mailbox busy")
            return real_send(self, messages)

        with mock.patch.object(EmailBackend, "send_messages", flaky):
            self.publish(stage_with_people, django_capture_on_commit_callbacks)
        assert recipients() == ["anon@example.org", "yes@example.org"]
        failed = decision_messages(OutboundMessage.PENDING)
        assert list(failed.values_list("recipient", flat=True)) == ["twice@example.org"]
        assert "Mailbox busy" in failed.get().last_error

    def test_a_draft_decision_notifies_no_one(self, stage_with_people):
        factories.decision(stage_with_people, live=False)
        assert DecisionNotification.objects.count() == 0
        assert not decision_messages().exists()
        assert messages_send() == (0, 0)
        assert mail.outbox == []

    def test_pending_notifications_of_an_unpublished_decision_wait(
        self, stage_with_people, django_capture_on_commit_callbacks
    ):
        with mock.patch(
            "django.core.mail.backends.locmem.EmailBackend.send_messages",
            side_effect=SMTPException("down"),
        ):
            decision = self.publish(stage_with_people, django_capture_on_commit_callbacks)
        decision.unpublish()
        assert messages_send() == (0, 0)
        assert mail.outbox == []
        held = decision_messages(OutboundMessage.FAILED)
        assert held.count() == 3
        assert all("unpublished" in m.last_error for m in held)

        # Published again, they go, once.
        with django_capture_on_commit_callbacks(execute=True):
            decision.save_revision().publish()
        assert recipients() == ["anon@example.org", "twice@example.org", "yes@example.org"]
        assert decision_messages(OutboundMessage.SENT).count() == 3

    def test_the_queue_survives_until_the_transaction_commits(self, stage_with_people):
        # Without the commit, nothing is sent (the task is queued on commit).
        factories.decision(stage_with_people, stage="analyse")
        assert mail.outbox == []
        assert decision_messages(OutboundMessage.PENDING).count() == 3


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    connection.vendor == "sqlite", reason="threads need a database that allows concurrent writers"
)
def test_publishing_at_once_from_several_workers_tells_each_address_once(stage_with_people):
    from commissioning.models import DecisionPage
    from commissioning.services import decision_notifications_queue

    decision_id = factories.decision(stage_with_people, stage="analyse", live=False).pk
    outcomes = at_once(
        lambda: decision_notifications_queue(decision=DecisionPage.objects.get(pk=decision_id)),
        workers=4,
    )
    assert sorted(outcomes) == [0, 0, 0, 3]  # one worker queued them all
    assert recipients() == ["anon@example.org", "twice@example.org", "yes@example.org"]
    assert (
        sorted(decision_messages().values_list("status", "attempts"))
        == [(OutboundMessage.SENT, 1)] * 3
    )
    assert not DecisionNotification.objects.filter(message=None).exists()


@pytest.mark.django_db
def test_decision_emails_are_personal_data(stage_with_people, django_capture_on_commit_callbacks):
    from accounts.models import User
    from commissioning.personal_data import personal_data_anonymise, personal_data_export

    with django_capture_on_commit_callbacks(execute=True):
        factories.decision(stage_with_people, stage="analyse")
    user = User.objects.get(email="yes@example.org")
    exported = personal_data_export(user)["decision_notifications"]
    assert exported[0]["email"] == "yes@example.org" and exported[0]["sent_at"]
    personal_data_anonymise(user)
    assert not DecisionNotification.objects.filter(user=user).exists()
    assert list(decision_messages().order_by("recipient").values_list("recipient", flat=True)) == [
        "anon@example.org",
        "twice@example.org",
    ]


@pytest.mark.django_db
def test_the_email_reads_well(stage_with_people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        factories.decision(
            stage_with_people,
            stage="analyse",
            title="What we heard",
            decision_maker="Cabinet Member for Adult Social Care",
            record_url="https://democracy.example/d/1",
        )
    by_address = {message.to[0]: message.body for message in mail.outbox}
    signed_in = by_address["yes@example.org"]
    assert stage_with_people.title in signed_in
    assert "Decided by Cabinet Member for Adult Social Care" in signed_in
    assert "https://democracy.example/d/1" in signed_in
    assert "http://testserver/my/profile/" in signed_in
    assert "&amp;" not in signed_in and "&#x27;" not in signed_in
    assert "account settings" not in by_address["anon@example.org"]
