"""Proposals, officers' themes, mapping and corrections through the services."""

import pytest
from django.core.exceptions import ValidationError

from commissioning.themes import services
from commissioning.themes.models import Assignment, Campaign, Correction, Theme, ThemeSet

from .conftest import COMMENTS

pytestmark = pytest.mark.django_db


@pytest.fixture
def theme_set(engagement, text_source):
    text_source.set(engagement, COMMENTS)
    return services.theme_set_for(engagement=engagement)


def _propose(theme_set, user, count=3):
    services.themes_propose_start(theme_set=theme_set, user=user, count=count)
    theme_set.refresh_from_db()
    return theme_set


def _named(theme_set, officer):
    return {
        "lib": services.theme_add(
            theme_set=theme_set, user=officer, name="Libraries", words="library, opening hours"
        ),
        "bins": services.theme_add(
            theme_set=theme_set, user=officer, name="Bins", words="rubbish, recycling"
        ),
        "roads": services.theme_add(
            theme_set=theme_set, user=officer, name="Roads", words="potholes, pavements"
        ),
    }


def _themes_of(theme_set):
    return dict(
        Assignment.objects.filter(theme_set=theme_set).values_list("source_key", "theme__name")
    )


def test_a_proposal_run_is_recorded_with_its_suggestions(theme_set, officer):
    theme_set = _propose(theme_set, officer)
    assert theme_set.status == ThemeSet.DONE and theme_set.progress == 100
    suggestions = list(theme_set.suggestions.all())
    assert len(suggestions) == 3
    assert sum(s.size for s in suggestions) == len(COMMENTS)
    assert all(s.quotes and s.key_terms for s in suggestions)


def test_the_same_responses_give_the_same_suggestions(theme_set, officer):
    def labels():
        return list(theme_set.suggestions.values_list("label", "size", "quotes"))

    first = labels() or (_propose(theme_set, officer) and labels())
    _propose(theme_set, officer)
    assert labels() == first


def test_officers_themes_and_corrections_survive_a_rerun(theme_set, officer):
    _propose(theme_set, officer)
    named = _named(theme_set, officer)
    wrong = Assignment.objects.get(theme_set=theme_set, text=COMMENTS[8])
    services.response_move(assignment=wrong, theme=named["lib"], user=officer)

    _propose(theme_set, officer, count=4)
    services.themes_map(theme_set=theme_set)

    assert set(theme_set.themes.values_list("name", flat=True)) == {"Libraries", "Bins", "Roads"}
    assert Correction.objects.get(theme_set=theme_set).theme == named["lib"]
    moved = Assignment.objects.get(theme_set=theme_set, text=COMMENTS[8])
    assert moved.theme == named["lib"] and moved.corrected
    assert theme_set.suggestions.count() == 4


def test_every_response_is_mapped_to_the_named_themes(theme_set, officer):
    _named(theme_set, officer)  # each change queues a mapping (run inline in tests)
    placed = _themes_of(theme_set)
    assert len(placed) == len(COMMENTS)
    assert list(placed.values()) == ["Libraries"] * 3 + ["Bins"] * 3 + ["Roads"] * 3


def test_responses_arriving_later_are_mapped_when_the_themes_are_next_read(
    theme_set, officer, engagement, text_source
):
    _named(theme_set, officer)
    text_source.add(engagement, ["The library should stay open until eight"])
    theme_set.refresh_from_db()
    services.themes_refresh(theme_set=theme_set)
    assert Assignment.objects.filter(theme_set=theme_set).count() == len(COMMENTS) + 1
    late = Assignment.objects.get(theme_set=theme_set, text__startswith="The library should")
    assert late.theme.name == "Libraries"


def test_a_correction_keeps_its_response_and_teaches_the_theme(theme_set, officer):
    named = _named(theme_set, officer)
    assignment = Assignment.objects.get(theme_set=theme_set, text=COMMENTS[0])
    services.response_move(assignment=assignment, theme=named["bins"], user=officer)
    assignment = Assignment.objects.get(theme_set=theme_set, text=COMMENTS[0])  # remapped
    assert assignment.theme == named["bins"] and assignment.confidence == 1.0
    specs, corrections = services._specs(theme_set, services.corpus_for(theme_set))
    bins = next(spec for spec in specs if spec.id == named["bins"].pk)
    assert bins.exemplars == (COMMENTS[0],)


def test_a_response_can_be_moved_to_other(theme_set, officer):
    _named(theme_set, officer)
    assignment = Assignment.objects.get(theme_set=theme_set, text=COMMENTS[3])
    services.response_move(assignment=assignment, theme=None, user=officer)
    services.themes_map(theme_set=theme_set)
    assert Assignment.objects.get(theme_set=theme_set, text=COMMENTS[3]).theme is None


def test_merge_moves_words_and_corrections(theme_set, officer):
    named = _named(theme_set, officer)
    assignment = Assignment.objects.get(theme_set=theme_set, text=COMMENTS[6])
    services.response_move(assignment=assignment, theme=named["roads"], user=officer)
    into = services.theme_merge(theme=named["roads"], into=named["bins"], user=officer)
    assert "potholes" in into.words and "Roads" in into.words
    assert not Theme.objects.filter(pk=named["roads"].pk).exists()
    assert Correction.objects.get(theme_set=theme_set).theme == named["bins"]
    placed = _themes_of(theme_set)
    assert set(placed.values()) <= {"Libraries", "Bins", None}
    assert placed[assignment.source_key] == "Bins"


def test_a_theme_cannot_merge_into_itself(theme_set, officer):
    named = _named(theme_set, officer)
    with pytest.raises(ValidationError) as raised:
        services.theme_merge(theme=named["lib"], into=named["lib"], user=officer)
    assert "cannot merge into itself" in str(raised.value)
    assert Theme.objects.filter(pk=named["lib"].pk).exists()


@pytest.mark.parametrize("name", ["", "   "])
def test_a_theme_needs_a_name(theme_set, officer, name):
    with pytest.raises(ValidationError) as raised:
        services.theme_add(theme_set=theme_set, user=officer, name=name)
    assert raised.value.message_dict == {"name": ["Enter a name for the theme."]}
    assert not theme_set.themes.exists()


def test_theme_names_are_unique_in_a_set_whatever_the_case(theme_set, officer):
    services.theme_add(theme_set=theme_set, user=officer, name="Libraries")
    with pytest.raises(ValidationError):
        services.theme_add(theme_set=theme_set, user=officer, name="libraries")


def test_split_adds_a_theme_and_divides_the_responses(theme_set, officer):
    services.theme_add(
        theme_set=theme_set, user=officer, name="Streets", words="bins, roads, potholes"
    )
    streets = Theme.objects.get(theme_set=theme_set, name="Streets")
    services.theme_split(theme=streets, user=officer, name="Bins", words="bins, recycling")
    placed = _themes_of(theme_set)
    assert "Bins" in placed.values() and "Streets" in placed.values()


def test_discard_removes_the_theme_and_remaps(theme_set, officer):
    named = _named(theme_set, officer)
    services.theme_discard(theme=named["roads"], user=officer)
    assert set(_themes_of(theme_set).values()) <= {"Libraries", "Bins", None}


def test_only_officers_change_themes(theme_set, resident):
    with pytest.raises(ValidationError):
        services.theme_add(theme_set=theme_set, user=resident, name="Libraries")
    with pytest.raises(ValidationError):
        services.themes_propose_start(theme_set=theme_set, user=resident)


def test_a_running_proposal_is_not_started_twice(theme_set, officer):
    ThemeSet.objects.filter(pk=theme_set.pk).update(status=ThemeSet.RUNNING)
    with pytest.raises(ValidationError) as raised:
        services.themes_propose_start(theme_set=theme_set, user=officer)
    assert raised.value.code == "running"


def test_a_failed_run_says_why_and_can_run_again(theme_set, officer, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("out of memory")

    working = services.engine.propose
    monkeypatch.setattr(services.engine, "propose", broken)
    theme_set = _propose(theme_set, officer)
    assert theme_set.status == ThemeSet.FAILED and "out of memory" in theme_set.error
    monkeypatch.setattr(services.engine, "propose", working)
    assert _propose(theme_set, officer).status == ThemeSet.DONE


def test_campaigns_are_grouped_counted_and_kept(engagement, text_source, officer):
    letter = (
        "I object to closing Moor Lane library, it is a lifeline for older people and "
        "children on the estate. {}"
    )
    texts = [letter.format(name) for name in ("Jo", "Sam", "Ali", "Mo", "Liz")]
    text_source.set(engagement, [*texts, *COMMENTS])
    theme_set = services.theme_set_for(engagement=engagement)
    _named(theme_set, officer)
    campaign = Campaign.objects.get(theme_set=theme_set)
    assert campaign.size == 5
    members = Assignment.objects.filter(theme_set=theme_set, campaign=campaign)
    assert members.count() == 5  # counted in full, never dropped
    assert {a.theme.name for a in members} == {"Libraries"}
    assert Assignment.objects.filter(theme_set=theme_set).count() == len(COMMENTS) + 5


def test_moving_one_campaign_response_moves_the_campaign(engagement, text_source, officer):
    text_source.set(engagement, ["Save our library now please"] * 4 + COMMENTS)
    theme_set = services.theme_set_for(engagement=engagement)
    named = _named(theme_set, officer)
    one = Assignment.objects.filter(theme_set=theme_set, campaign__isnull=False).first()
    services.response_move(assignment=one, theme=named["roads"], user=officer)
    services.themes_map(theme_set=theme_set)
    themes = set(
        Assignment.objects.filter(theme_set=theme_set, campaign__isnull=False).values_list(
            "theme__name", flat=True
        )
    )
    assert themes == {"Roads"}


def test_contact_details_are_masked_in_what_is_kept(engagement, text_source, officer):
    text_source.set(
        engagement, ["Fix the potholes, ring me on 07700 900123 or jo@example.org", *COMMENTS]
    )
    theme_set = services.theme_set_for(engagement=engagement)
    _propose(theme_set, officer)
    _named(theme_set, officer)
    kept = Assignment.objects.get(theme_set=theme_set, text__startswith="Fix the potholes")
    assert "07700" not in kept.text and "jo@example.org" not in kept.text
    assert "[phone number removed]" in kept.text and "[email removed]" in kept.text
    quotes = [q for s in theme_set.suggestions.all() for q in s.quotes]
    assert not any("07700" in q or "@example.org" in q for q in quotes)


def test_a_stage_set_reads_every_engagement_of_the_stage(
    programme_page, engagement, text_source, officer
):
    from tests.commissioning import factories as spine

    other = spine.engagement(programme_page, stage="analyse")
    later = spine.engagement(programme_page, stage="plan")
    text_source.set(engagement, COMMENTS[:3])
    text_source.set(other, COMMENTS[3:6])
    text_source.set(later, COMMENTS[6:])
    theme_set = services.theme_set_for(programme=programme_page, stage="analyse")
    _named(theme_set, officer)
    contexts = set(
        Assignment.objects.filter(theme_set=theme_set).values_list("context", flat=True)
    )
    assert Assignment.objects.filter(theme_set=theme_set).count() == 6
    assert contexts == {f"{engagement.title}: Comment", f"{other.title}: Comment"}
