"""A stage with 100,000 budget responses and 20,000 comments: tallies, brief and themes.

Run with `python -m benchmarks stage` (a fresh migrated SQLite database, or
the server DATABASE_URL names). A programme's "plan" stage holds a closed
budget conversation with the demo's six proposals and seven simulator lines:
100,000 responses (600,000 stances, 700,000 allocations, 100,000
participations, 20,000 of them by residents who told us about themselves)
and 20,000 published comments written from the labelled evaluation set in
`tests/commissioning/themes/data`.

It measures:

- tallies: the results page's figures counted by value (as while open), the
  first read after closing (counted and stored), the next reads (stored), the
  row-by-row computation they replaced, and the officer brief of the stage;
- themes: proposing themes for the 20,000 comments and mapping them to the
  eight named themes, each through the service its background task runs;
- agreement, on the 320 labelled answers of the evaluation set: NMI of the
  proposals with the true themes, accuracy of the mapping once themes are
  named, and accuracy after an officer has put 5 answers of each theme right
  (on the answers they did not correct); and, as a ceiling, what nearest
  theme centroids learnt from the true labels reach with the same vectors;
- the engine alone mapping 20,000 comments that are all different (the
  generated comments above mostly group as campaigns).

Wall and CPU seconds are both given: the machine is shared.
"""

import os
import random
import statistics
import time
from datetime import timedelta

# Smaller with BENCH_STAGE_RESPONSES (comments and profiled residents are a fifth of it).
RESPONSES = int(os.environ.get("BENCH_STAGE_RESPONSES", 100_000))
PROFILED = RESPONSES // 5  # signed-in residents with a demographic profile
COMMENTS = RESPONSES // 5
BATCH = 5_000
CHOICE_POOL = 2_000  # distinct valid simulator submissions sampled from
RUNS = 3
CORRECTIONS_PER_THEME = 5

PREFIXES = ["", "", "", "Honestly, ", "As a parent, ", "I think ", "Please note: ", "To be fair, "]
SUFFIXES = ["", "", "", " Thanks.", " Please listen.", " It matters to us.", " Simple as that."]


def _timed(function, runs=1):
    """(result of the last run, median wall seconds, median CPU seconds)."""
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        result = function()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return result, round(statistics.median(walls), 3), round(statistics.median(cpus), 3)


# The stage ---------------------------------------------------------------------


def _programme():
    from django.utils.text import slugify
    from wagtail.models import Page

    from commissioning.demo import WARDS
    from commissioning.models import ProgrammePage, Ward

    wards = [
        Ward.objects.create(
            name=name,
            slug=slugify(name),
            postcode_prefixes=prefixes,
            population=population,
            demographics=shares,
        )
        for name, prefixes, population, shares in WARDS
    ]
    programme = ProgrammePage(title="Benchmark programme", slug="benchmark-programme")
    programme.wards = wards
    Page.get_first_root_node().add_child(instance=programme)
    return ProgrammePage.objects.get(pk=programme.pk), wards


def _conversation(programme):
    from django.utils import timezone

    from budget.demo import LINES, PROPOSALS
    from budget.models import BudgetConversationPage, Proposal, SimulatorLine

    now = timezone.now()
    page = BudgetConversationPage(
        title="Benchmark budget",
        slug="benchmark-budget",
        stage="plan",
        opens_at=now - timedelta(days=60),
        closes_at=now - timedelta(days=1),
        net_budget=212_000_000,
        gap=9_800_000,
        target_amount=7_500_000,
    )
    for proposal in PROPOSALS:
        page.proposals.add(Proposal(**proposal))
    for line in LINES:
        page.lines.add(SimulatorLine(**line))
    programme.add_child(instance=page)
    return BudgetConversationPage.objects.get(pk=page.pk)


def _residents(rng):
    from accounts.models import User
    from commissioning.demographics import PROFILE_ATTRIBUTES
    from commissioning.models import DemographicProfile

    users = User.objects.bulk_create(
        [User(email=f"resident{n}@bench.example", password="!") for n in range(PROFILED)],
        batch_size=BATCH,
    )
    if users[0].pk is None:
        users = list(User.objects.filter(email__endswith="@bench.example").order_by("pk"))
    DemographicProfile.objects.bulk_create(
        [
            DemographicProfile(
                user=user,
                **{
                    attribute: rng.choice(choices)[0]
                    for attribute, (_, choices) in PROFILE_ATTRIBUTES.items()
                },
            )
            for user in users
        ],
        batch_size=BATCH,
    )
    return users


def _texts(rng):
    """COMMENTS comments written from the evaluation set, with their theme, and one campaign."""
    from tests.commissioning.themes.factories import evaluation_set

    texts, labels, _ = evaluation_set()
    written = []
    campaign = "Keep our library open late, it is the only quiet place my children can study"
    for n in range(COMMENTS):
        if n % 50 == 0:  # 2% a campaign, sent with small changes
            written.append((campaign + rng.choice(SUFFIXES), "libraries"))
            continue
        i = rng.randrange(len(texts))
        written.append((rng.choice(PREFIXES) + texts[i] + rng.choice(SUFFIXES), labels[i]))
    return written


def _batch_responses(conversation, wards, users, batch):
    from budget.models import BudgetResponse

    responses = BudgetResponse.objects.bulk_create(
        [
            BudgetResponse(
                conversation=conversation,
                user=users[n] if n < PROFILED else None,
                channel="web" if n < PROFILED else "paper",
                ward=wards[n % len(wards)],
            )
            for n in batch
        ]
    )
    if responses[0].pk is None:  # backends that do not return ids
        responses = list(BudgetResponse.objects.order_by("-pk")[: len(responses)])[::-1]
    return responses


def _comments(conversation, proposals, numbered, texts):
    """The comments of the (n, response) pairs with n < COMMENTS: {source key: theme}."""
    from budget.models import Comment

    commented = [(n, r) for n, r in numbered if n < COMMENTS]
    comments = Comment.objects.bulk_create(
        Comment(
            response=r,
            conversation=conversation,
            proposal=proposals[n % len(proposals)],
            text=texts[n][0],
            status=Comment.APPROVED,
        )
        for n, r in commented
    )
    return {
        f"budget.comment:{comment.pk}": texts[n][1]
        for (n, _), comment in zip(commented, comments, strict=True)
    }


def _responses(conversation, wards, users, rng):
    """RESPONSES responses in bulk: answers, allocations, participations, comments."""
    from budget.demo import _choices
    from budget.models import Allocation, ProposalAnswer
    from commissioning.models import Participation

    proposals = list(conversation.proposals.all())
    lines = list(conversation.lines.all())
    pool = [_choices(rng, lines, conversation.target_amount) for _ in range(CHOICE_POOL)]
    stances = [s for s, _ in ProposalAnswer.STANCES]
    texts = _texts(rng)
    labels = {}
    for start in range(0, RESPONSES, BATCH):
        batch = range(start, min(start + BATCH, RESPONSES))
        responses = _batch_responses(conversation, wards, users, batch)
        ProposalAnswer.objects.bulk_create(
            ProposalAnswer(response=r, proposal=p, stance=rng.choice(stances))
            for r in responses
            for p in proposals
        )
        Allocation.objects.bulk_create(
            Allocation(response=r, line_id=line_id, amount=amount)
            for r in responses
            for line_id, amount in rng.choice(pool).items()
        )
        Participation.objects.bulk_create(
            Participation(
                engagement_id=conversation.pk,
                user_id=r.user_id,
                channel=r.channel,
                ward_id=r.ward_id,
                created_at=conversation.opens_at + timedelta(minutes=n % 80_000),
            )
            for n, r in zip(batch, responses, strict=True)
        )
        labels.update(
            _comments(conversation, proposals, zip(batch, responses, strict=True), texts)
        )
    return labels


# Measurements ------------------------------------------------------------------


def _tallies(conversation, programme):
    from budget import tallies
    from budget.selectors import conversation_results
    from commissioning.brief import programme_brief
    from tests.budget import reference_results as before

    proposals = list(conversation.proposals.all())
    lines = list(conversation.lines.all())
    figures = {}

    def measure(key, function, runs=1):
        result, figures[f"{key}_seconds_wall"], figures[f"{key}_seconds_cpu"] = _timed(
            function, runs
        )
        return result

    measure(
        "results_open_by_value",
        lambda: tallies.results_from_tallies(
            tallies=tallies.count_tallies(conversation=conversation),
            proposals=proposals,
            lines=lines,
        ),
        RUNS,
    )
    measure(
        "results_row_by_row_before",
        lambda: (
            before.proposal_results(conversation=conversation, proposals=proposals),
            before.line_results(conversation=conversation, lines=lines),
        ),
    )
    measure("results_closed_first_read", lambda: conversation_results(conversation=conversation))
    results = measure(
        "results_closed_stored", lambda: conversation_results(conversation=conversation), RUNS
    )
    measure("brief", lambda: programme_brief(programme=programme, stage="plan"), RUNS)
    first = results["line_rows"][0]
    figures["participants_counted"] = results["participants"]
    figures["first_line_median_and_iqr"] = [first["q1"], first["median"], first["q3"]]
    return figures


def _theme_set(conversation, labels):
    from commissioning.themes import services
    from commissioning.themes.models import Theme
    from tests.commissioning.themes.factories import evaluation_set

    theme_set = services.theme_set_for(engagement=conversation)
    _, wall, cpu = _timed(
        lambda: services.themes_propose_start(theme_set=theme_set, user=None)  # inline task
    )
    theme_set.refresh_from_db()
    figures = {
        "propose_status": theme_set.status,
        "propose_seconds_wall": wall,
        "propose_seconds_cpu": cpu,
        "proposed_themes": theme_set.suggestions.count(),
    }
    _, _, themes = evaluation_set()
    keys = {}
    for spec in themes:
        theme = Theme.objects.create(theme_set=theme_set, name=spec["name"], words=spec["words"])
        keys[theme.pk] = spec["key"]
    _, wall, cpu = _timed(lambda: services.themes_map(theme_set=theme_set))
    assigned = list(theme_set.assignments.values_list("source_key", "theme_id"))
    figures.update(
        {
            "map_seconds_wall": wall,
            "map_seconds_cpu": cpu,
            "mapped_responses": len(assigned),
            # The generated comments repeat 320 answers with small changes, so
            # most group as campaigns: the machine reads far fewer texts.
            "mapped_distinct_texts": len(services.corpus_for(theme_set).units),
            "campaigns": theme_set.campaigns.count(),
            "map_accuracy_generated_comments": round(
                sum(keys.get(theme) == labels[key] for key, theme in assigned) / len(assigned), 3
            ),
        }
    )
    return figures


def _distinct_mapping(rng):
    """The engine alone mapping COMMENTS texts that are all different (no campaigns).

    Each is two answers of the evaluation set joined, so every text is read.
    """
    from commissioning.themes import embeddings, engine
    from tests.commissioning.themes.factories import evaluation_set

    texts, _, themes = evaluation_set()
    pairs = sorted(rng.sample(range(len(texts) ** 2), COMMENTS))
    written = [f"{texts[p // len(texts)]}. {texts[p % len(texts)]}" for p in pairs]
    specs = [engine.ThemeSpec(id=t["key"], name=t["name"], words=t["words"]) for t in themes]
    chosen = embeddings.embedder()
    _, wall, cpu = _timed(lambda: engine.map_texts(written, specs, embedder=chosen))
    return {
        "map_distinct_texts": len(written),
        "map_distinct_seconds_wall": wall,
        "map_distinct_seconds_cpu": cpu,
    }


def _ceilings(vectors, labels):
    """What any theme-centroid mapping could reach with these vectors.

    Nearest centroid of the true themes, with the centroids learnt from the
    true labels of 4/5 of the answers and tested on the other 1/5 (five folds),
    and learnt from all of them and tested on the same answers.
    """
    import numpy as np
    from sklearn.model_selection import StratifiedKFold

    from commissioning.themes.embeddings import unit_rows

    labels = np.asarray(labels)
    keys = sorted(set(labels))

    def nearest(train, test):
        centres = unit_rows(
            np.array([vectors[train][labels[train] == k].mean(axis=0) for k in keys])
        )
        return np.asarray(keys)[np.argmax(vectors[test] @ centres.T, axis=1)]

    right = 0
    for train, test in StratifiedKFold(5, shuffle=True, random_state=0).split(vectors, labels):
        right += int(np.sum(nearest(train, test) == labels[test]))
    everything = np.arange(len(labels))
    return {
        "ceiling_true_centroids_5_fold": round(right / len(labels), 3),
        "ceiling_true_centroids_same_answers": round(
            float(np.mean(nearest(everything, everything) == labels)), 3
        ),
    }


def _agreement():
    """The three agreement figures on the labelled evaluation set (no database)."""
    import numpy as np
    from sklearn.metrics import normalized_mutual_info_score

    from commissioning.themes import embeddings, engine
    from tests.commissioning.themes.factories import evaluation_set

    texts, labels, themes = evaluation_set()
    chosen = embeddings.embedder()

    def nmi(proposals):
        found = np.empty(len(texts), dtype=int)
        for n, proposal in enumerate(proposals):
            found[proposal.members] = n
        return round(normalized_mutual_info_score(labels, found), 3)

    def accuracy(specs, indices):
        mapped = engine.map_texts(texts, specs, embedder=chosen)
        return round(float(np.mean([mapped[i].theme == labels[i] for i in indices])), 3)

    corrected = {}
    for i, label in enumerate(labels):
        if len(corrected.setdefault(label, [])) < CORRECTIONS_PER_THEME:
            corrected[label].append(i)
    named = [engine.ThemeSpec(id=t["key"], name=t["name"], words=t["words"]) for t in themes]
    taught = [
        engine.ThemeSpec(
            id=t["key"],
            name=t["name"],
            words=t["words"],
            exemplars=tuple(texts[i] for i in corrected[t["key"]]),
        )
        for t in themes
    ]
    held_out = sorted(set(range(len(texts))) - {i for c in corrected.values() for i in c})
    return {
        "evaluation_answers": len(texts),
        "evaluation_themes": len(themes),
        "embedder": chosen.label,
        "proposals_nmi": nmi(engine.propose(texts, embedder=chosen, seed=0)),
        "proposals_nmi_true_count": nmi(
            engine.propose(texts, embedder=chosen, count=len(themes), seed=0)
        ),
        "mapping_accuracy_named": accuracy(named, range(len(texts))),
        "mapping_accuracy_after_5_corrections_per_theme": accuracy(taught, held_out),
        **_ceilings(embeddings.embedder().fit_transform(texts), labels),
    }


def run() -> dict:
    from budget.models import Allocation, BudgetResponse, Comment, ProposalAnswer

    rng = random.Random(100_000)
    programme, wards = _programme()
    conversation = _conversation(programme)
    start = time.perf_counter()
    labels = _responses(conversation, wards, _residents(rng), rng)
    build_seconds = round(time.perf_counter() - start, 1)
    figures = {
        "responses": BudgetResponse.objects.count(),
        "proposal_answers": ProposalAnswer.objects.count(),
        "allocations": Allocation.objects.count(),
        "comments": Comment.objects.count(),
        "build_seconds": build_seconds,
    }
    figures.update(_tallies(conversation, programme))
    figures.update(_theme_set(conversation, labels))
    figures.update(_distinct_mapping(rng))
    figures.update(_agreement())
    return figures
