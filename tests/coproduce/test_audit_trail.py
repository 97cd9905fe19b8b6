"""The audit trail across the apps: each place that shows, hands out or decides on
personal data leaves one entry, and the officers' report shows it."""

import pytest
from django.urls import reverse

from budget.models import Comment
from budget.services import comment_moderate
from commissioning import audit
from commissioning.models import AuditEntry
from panels.models import LotteryRun
from tests.budget.factories import conversation_factory, make_responses
from tests.consultations.factories import bulk_responses, consultation_page, programme_page
from tests.panels.factories import ApplicationFactory, make_panel
from tests.refusals import assert_sent_to_dashboard

pytestmark = pytest.mark.django_db


def entries(action):
    return list(AuditEntry.objects.filter(action=action).order_by("pk"))


class TestPanelApplications:
    def test_officer_viewing_the_list_and_one_application(self, client, home_page, officer):
        panel = make_panel(home_page, officers=[officer])
        application = ApplicationFactory(panel=panel, name="Ada Applicant")
        client.force_login(officer)

        listing = client.get(reverse("panels_application:index"), {"status": "applied"})
        detail = client.get(reverse("panels_application:inspect", args=[application.pk]))

        assert listing.status_code == detail.status_code == 200
        seen = entries(audit.VIEW)
        assert [(e.label, e.object_id, e.user) for e in seen] == [
            ("Applications (list)", "list", officer),
            (f"Application {application.pk}", str(application.pk), officer),
        ]
        assert seen[0].data == {"filters": {"status": "applied"}}
        # The trail names the record, not the applicant.
        assert "Ada" not in "".join(e.label for e in seen)

    def test_a_refused_look_is_not_recorded(self, client, home_page, officer):
        other_panel = make_panel(home_page)
        application = ApplicationFactory(panel=other_panel)
        client.force_login(officer)

        response = client.get(reverse("panels_application:inspect", args=[application.pk]))
        edit = client.get(reverse("panels_application:edit", args=[application.pk]))

        # Applications are private to the panel's own officers, by id too.
        assert response.status_code == 404
        assert_sent_to_dashboard(edit)
        assert entries(audit.VIEW) == []

    def test_verifying_a_draw(self, client, home_page, officer, monkeypatch):
        panel = make_panel(home_page, officers=[officer])
        run = LotteryRun.objects.create(
            panel=panel,
            seats=1,
            seed=4242,
            algorithm_requested="maximin",
            status=LotteryRun.COMPLETED,
        )
        monkeypatch.setattr("panels.selectors.run_reproduces", lambda *, run: True)
        client.force_login(officer)

        client.get(f"/admin/panels/lottery/run/{run.pk}/")
        assert entries(audit.VERIFY) == []
        client.get(f"/admin/panels/lottery/run/{run.pk}/?verify=1")

        (entry,) = entries(audit.VERIFY)
        assert (entry.user, entry.object_id, entry.data) == (officer, str(run.pk), {"seed": 4242})


class TestBudget:
    def test_moderating_a_comment(self, home_page, officer, user_factory):
        conversation = conversation_factory(home_page)
        make_responses(conversation, 1, user_factory=user_factory)
        comment = Comment.objects.get()

        comment_moderate(
            comment=comment, moderator=officer, status=Comment.REJECTED, reason="Names a neighbour"
        )

        (entry,) = entries(audit.MODERATE)
        assert entry.user == officer
        assert entry.label == f"Comment {comment.pk}"
        assert entry.details == "Decision: Rejected; Reason: Names a neighbour"

    def test_a_refused_moderation_is_not_recorded(self, home_page, officer, user_factory):
        from django.core.exceptions import ValidationError

        conversation = conversation_factory(home_page)
        make_responses(conversation, 1, user_factory=user_factory)

        with pytest.raises(ValidationError):
            comment_moderate(
                comment=Comment.objects.get(), moderator=officer, status=Comment.REJECTED
            )

        assert entries(audit.MODERATE) == []

    def test_downloading_responses(self, client, home_page, officer, resident):
        conversation = conversation_factory(home_page)
        client.force_login(resident)
        assert client.get(conversation.url + "export/responses/csv/").status_code == 403
        client.force_login(officer)

        client.get(conversation.url + "export/comments/xlsx/")

        (entry,) = entries(audit.EXPORT)
        assert (entry.user, entry.label) == (officer, conversation.title)
        assert entry.data == {"data_set": "comments", "format": "xlsx"}


def test_downloading_consultation_responses(client, home_page, officer, resident):
    page = consultation_page(programme_page(home_page))
    bulk_responses(page, 2)
    client.force_login(resident)
    assert client.get(page.url + "results/download/csv/").status_code == 403
    client.force_login(officer)

    assert client.get(page.url + "results/download/csv/").status_code == 200

    (entry,) = entries(audit.EXPORT)
    assert (entry.user, entry.label, entry.data["format"]) == (officer, page.title, "csv")


def test_existing_moderation_and_lottery_actions_are_in_the_trail(home_page, officer):
    """What the apps already logged with wagtail.log_actions.log shows in the same report."""
    from wagtail.log_actions import log

    panel = make_panel(home_page, officers=[officer])
    run = LotteryRun.objects.create(
        panel=panel, seats=1, seed=7, algorithm_requested="maximin", status=LotteryRun.ANNOUNCED
    )
    log(instance=run, action="panels.lottery_start", user=officer, data={"seed": 7})

    (entry,) = AuditEntry.objects.filter(action="panels.lottery_start")
    assert (entry.message, entry.user, entry.details) == (
        "Lottery draw started",
        officer,
        "Seed: 7",
    )
