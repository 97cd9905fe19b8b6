import io

from budget import demo
from budget.models import BudgetConversationPage, BudgetResponse, Comment, SimulatorLine
from commissioning.models import Participation
from tests.budget.factories import programme_for


def test_demo_is_realistic_valid_and_idempotent(home_page, resident, user_factory):
    programme_for(home_page)
    demo.load(stdout=io.StringIO())
    open_page = BudgetConversationPage.objects.get(slug=demo.OPEN_SLUG)
    closed_page = BudgetConversationPage.objects.get(slug=demo.CLOSED_SLUG)
    assert open_page.is_open()
    assert closed_page.state() == "closed"
    assert "£9.8m" in open_page.title
    council_tax = SimulatorLine.objects.get(page=open_page, name="Council tax rise")
    assert council_tax.maximum == 4_990_000
    counts = (
        BudgetResponse.objects.count(),
        Comment.objects.count(),
        Participation.objects.count(),
    )
    assert counts[0] >= 300 * 2
    assert counts[1] > 100
    assert counts[2] == counts[0]
    assert not BudgetResponse.objects.filter(conversation=open_page, user=resident).exists()
    # Every generated response obeys the simulator's rules.
    from budget.services import simulator_errors

    lines = list(open_page.lines.all())
    for response in BudgetResponse.objects.filter(conversation=open_page).prefetch_related(
        "allocations"
    )[:50]:
        chosen = {a.line_id: a.amount for a in response.allocations.all()}
        assert simulator_errors(conversation=open_page, lines=lines, allocations=chosen) == {}
    demo.load(stdout=io.StringIO())
    assert (
        BudgetResponse.objects.count(),
        Comment.objects.count(),
        Participation.objects.count(),
    ) == counts
    assert BudgetConversationPage.objects.count() == 2


def test_demo_skips_without_programme(db):
    out = io.StringIO()
    demo.load(stdout=out)
    assert "skipped" in out.getvalue()
    assert not BudgetConversationPage.objects.exists()


def test_demo_activity_is_in_the_past_and_has_wards(home_page, resident):
    from django.db.models import Max, Min
    from django.utils import timezone

    from tests.commissioning.factories import WardFactory

    WardFactory.create_batch(3)
    programme_for(home_page)
    demo.load(stdout=io.StringIO())
    now = timezone.now()
    for page in BudgetConversationPage.objects.all():
        for model in (BudgetResponse, Comment, Participation):
            field = "engagement" if model is Participation else "conversation"
            span = model.objects.filter(**{field: page}).aggregate(
                first=Min("created_at"), last=Max("created_at")
            )
            assert page.opens_at <= span["first"], (model, page)
            assert span["last"] <= min(now, page.closes_at), (model, page)
        assert not BudgetResponse.objects.filter(conversation=page, ward__isnull=True).exists()
        assert not Participation.objects.filter(engagement=page, ward__isnull=True).exists()


def test_demo_proposals_and_lines_keep_their_order(home_page):
    programme_for(home_page)
    demo.load(stdout=io.StringIO())
    page = BudgetConversationPage.objects.get(slug=demo.OPEN_SLUG)
    assert [p.reference for p in page.proposals.all()] == [p["reference"] for p in demo.PROPOSALS]
    assert list(page.proposals.values_list("sort_order", flat=True)) == list(
        range(len(demo.PROPOSALS))
    )
    assert list(page.lines.values_list("sort_order", flat=True)) == list(range(len(demo.LINES)))
