"""Every change to themes: proposals, officers' naming, mapping and corrections.

Views, the demo and tasks all come through here. Officers' changes mark the
set's themes as changed and queue a mapping, so every response follows the
officers' themes; proposal runs replace only the machine's suggestions.
"""

import hashlib
from collections import Counter

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from commissioning.exceptions import Refused

from . import engine, rules
from .campaigns import group_near_duplicates, normalise
from .embeddings import embedder
from .masking import mask_contact_details
from .models import Assignment, Campaign, Correction, Suggestion, Theme, ThemeSet
from .scopes import scope_for

NAME_MAX = 80


def _require(user, theme_set):
    if user is not None and not rules.can_manage_themes(user, theme_set):
        raise Refused("Only officers can change themes.")


def theme_set_for(*, engagement=None, programme=None, stage=""):
    """The theme set of an engagement or of a programme's stage, created if new."""
    if engagement is not None:
        theme_set, _ = ThemeSet.objects.get_or_create(engagement=engagement)
    else:
        theme_set, _ = ThemeSet.objects.get_or_create(programme=programme, stage=stage)
    return theme_set


# Reading the responses ------------------------------------------------------


class Corpus:
    """The scope's responses, masked, with campaigns found.

    `units` are the texts the machine reads: each response on its own, and
    each campaign once (its most common wording).
    """

    def __init__(self, items):
        self.items = items
        self.texts = [mask_contact_details(item.text) for item in items]
        self.groups = group_near_duplicates(self.texts)
        self.group_of = {i: g for g, members in enumerate(self.groups) for i in members}
        self.units = [i for i in range(len(items)) if i not in self.group_of]
        self.unit_of_group = [self._wording(members) for members in self.groups]
        self.units += self.unit_of_group
        self.units.sort()

    def _wording(self, members):
        counts = Counter(normalise(self.texts[i]) for i in members)
        common = max(counts.values())
        return next(i for i in members if counts[normalise(self.texts[i])] == common)

    def unit_texts(self):
        return [self.texts[i] for i in self.units]

    def members(self, unit):
        group = self.group_of.get(unit)
        return self.groups[group] if group is not None else [unit]

    def fingerprint(self):
        digest = hashlib.sha256()
        for item, text in zip(self.items, self.texts, strict=True):
            digest.update(item.key.encode() + b"\0" + text.encode() + b"\0")
        return digest.hexdigest()


def corpus_for(theme_set):
    return Corpus(scope_for(theme_set).items())


# Proposals ------------------------------------------------------------------


def themes_propose_start(*, theme_set, user, count=None):
    """Queue a proposal run; one at a time per set (a conditional update)."""
    from .tasks import themes_propose_task

    _require(user, theme_set)
    if count is not None and not 2 <= count <= 30:
        raise ValidationError(
            {"count": "Enter a number of themes from 2 to 30, or leave it empty."}
        )
    with transaction.atomic():
        started = (
            ThemeSet.objects.filter(pk=theme_set.pk)
            .exclude(status__in=ThemeSet.ACTIVE)
            .update(
                status=ThemeSet.QUEUED,
                requested_count=count,
                progress=1,
                progress_message="Waiting to start",
                error="",
            )
        )
        if not started:
            raise ValidationError(
                "Themes are already being suggested for these responses.", code="running"
            )
        transaction.on_commit(lambda: themes_propose_task.enqueue(theme_set.pk))
    theme_set.refresh_from_db()
    return theme_set


def _progress(theme_set_id):
    def report(percent, message):
        ThemeSet.objects.filter(pk=theme_set_id).update(progress=percent, progress_message=message)

    return report


def themes_propose_execute(*, theme_set_id):
    """Run a queued proposal (called by the task) and keep its suggestions."""
    claimed = ThemeSet.objects.filter(pk=theme_set_id, status=ThemeSet.QUEUED).update(
        status=ThemeSet.RUNNING, progress=5, progress_message="Collecting the responses"
    )
    if not claimed:
        return None
    theme_set = ThemeSet.objects.get(pk=theme_set_id)
    try:
        corpus = corpus_for(theme_set)
        texts = corpus.unit_texts()
        suggested = engine.propose(
            texts,
            embedder=embedder(),
            count=theme_set.requested_count,
            seed=theme_set.seed,
            progress=_progress(theme_set.pk),
        )
    except Exception as error:  # noqa: BLE001 - a failed run must not stay "running"
        ThemeSet.objects.filter(pk=theme_set.pk).update(
            status=ThemeSet.FAILED, error=f"{type(error).__name__}: {error}"[:2000]
        )
        return None
    _save_suggestions(theme_set, corpus, suggested)
    theme_set.refresh_from_db()
    if theme_set.themes.exists():
        themes_map(theme_set=theme_set)
    return theme_set


def _save_suggestions(theme_set, corpus, suggested):
    rows = []
    for position, suggestion in enumerate(suggested):
        units = [corpus.units[i] for i in suggestion.members]
        rows.append(
            Suggestion(
                theme_set=theme_set,
                position=position,
                label=suggestion.label[:200],
                key_terms=suggestion.key_terms,
                quotes=[corpus.texts[corpus.units[i]] for i in suggestion.representatives],
                size=sum(len(corpus.members(unit)) for unit in units),
            )
        )
    with transaction.atomic():
        theme_set.suggestions.all().delete()
        Suggestion.objects.bulk_create(rows)
        ThemeSet.objects.filter(pk=theme_set.pk).update(
            status=ThemeSet.DONE, progress=100, progress_message="Done", proposed_at=timezone.now()
        )


# Mapping --------------------------------------------------------------------


def _specs(theme_set, corpus):
    index = {item.key: i for i, item in enumerate(corpus.items)}
    corrections = dict(theme_set.corrections.values_list("source_key", "theme_id"))
    exemplars = {}
    for key, theme_id in sorted(corrections.items()):
        if theme_id is not None and key in index:
            exemplars.setdefault(theme_id, []).append(corpus.texts[index[key]])
    themes = list(theme_set.themes.order_by("pk"))
    specs = [
        engine.ThemeSpec(
            id=theme.pk,
            name=theme.name,
            words=theme.words,
            exemplars=tuple(exemplars.get(theme.pk, ())),
        )
        for theme in themes
    ]
    return specs, corrections


def _unit_decision(corpus, unit, mapped, corrections):
    """(theme id, similarity, confidence, corrected) for one unit and its members."""
    for member in corpus.members(unit):
        key = corpus.items[member].key
        if key in corrections:
            return corrections[key], mapped.similarity, 1.0, True
    return mapped.theme, mapped.similarity, mapped.confidence, False


def themes_map(*, theme_set):
    """Assign every response in scope to the officers' themes (or other).

    Computed outside the transaction; written only if the officers' themes
    did not change meanwhile (that change queued a mapping of its own).
    """
    changed_at = ThemeSet.objects.values_list("themes_changed_at", flat=True).get(pk=theme_set.pk)
    corpus = corpus_for(theme_set)
    specs, corrections = _specs(theme_set, corpus)
    chosen = embedder()
    mapped = engine.map_texts(corpus.unit_texts(), specs, embedder=chosen)
    decisions = [
        _unit_decision(corpus, unit, m, corrections)
        for unit, m in zip(corpus.units, mapped, strict=True)
    ]
    ids = [spec.id for spec in specs]
    labels = [ids.index(d[0]) if d[0] in ids else -1 for d in decisions]
    terms = engine.key_terms(corpus.unit_texts(), _array(labels), len(ids)) if ids else []
    with transaction.atomic():
        locked = ThemeSet.objects.select_for_update().get(pk=theme_set.pk)
        if locked.themes_changed_at != changed_at:
            return None
        _write_mapping(locked, corpus, decisions)
        for spec, theme_terms in zip(specs, terms, strict=True):
            Theme.objects.filter(pk=spec.id).update(key_terms=theme_terms)
        ThemeSet.objects.filter(pk=theme_set.pk).update(
            mapped_at=timezone.now(),
            method=chosen.label,
            source_fingerprint=corpus.fingerprint(),
        )
    theme_set.refresh_from_db()
    return theme_set


def _array(values):
    import numpy as np

    return np.asarray(values)


# The columns a mapping writes, in the order `_write_mapping` gives them.
ASSIGNMENT_FIELDS = (
    "theme_set",
    "source_key",
    "context",
    "text",
    "theme",
    "similarity",
    "confidence",
    "low_confidence",
    "corrected",
    "campaign",
)


def _insert_assignments(rows):
    """One parameterised INSERT run for every row.

    `bulk_create` spent longer building and compiling 20,000 model instances
    than the mapping itself took; the rows here are plain values and the
    model has no `save()` logic or signals to skip.
    """
    meta = Assignment._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(name).column) for name in ASSIGNMENT_FIELDS)
    marks = ", ".join(["%s"] * len(ASSIGNMENT_FIELDS))
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks})"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start : start + 5000])


def _write_mapping(theme_set, corpus, decisions):
    theme_set.assignments.all().delete()
    theme_set.campaigns.all().delete()
    campaigns = {}
    for unit in corpus.units:
        if len(corpus.members(unit)) > 1:
            campaigns[unit] = Campaign(
                theme_set=theme_set, text=corpus.texts[unit], size=len(corpus.members(unit))
            )
    Campaign.objects.bulk_create(campaigns.values())
    rows = []
    for unit, (theme_id, similarity, confidence, corrected) in zip(
        corpus.units, decisions, strict=True
    ):
        campaign = campaigns.get(unit)
        low = confidence < engine.LOW_CONFIDENCE and not corrected
        for member in corpus.members(unit):
            item = corpus.items[member]
            rows.append(
                (
                    theme_set.pk,
                    item.key[:120],
                    item.context[:255],
                    corpus.texts[member],
                    theme_id,
                    float(similarity),
                    float(confidence),
                    low,
                    corrected,
                    campaign.pk if campaign else None,
                )
            )
    _insert_assignments(rows)


def themes_refresh(*, theme_set):
    """Map again when responses arrived, changed or left since the last mapping."""
    if not theme_set.themes.exists():
        return theme_set
    if theme_set.mapping_is_current:
        corpus = corpus_for(theme_set)
        if corpus.fingerprint() == theme_set.source_fingerprint:
            return theme_set
    return themes_map(theme_set=theme_set) or theme_set


# Officers' themes -----------------------------------------------------------


def _clean_name(theme_set, name, *, exclude=None):
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": "Enter a name for the theme."})
    if len(name) > NAME_MAX:
        raise ValidationError({"name": f"Theme names must be {NAME_MAX} characters or fewer."})
    clash = theme_set.themes.filter(name__iexact=name)
    if exclude is not None:
        clash = clash.exclude(pk=exclude.pk)
    if clash.exists():
        raise ValidationError({"name": f"There is already a theme called “{name}”."})
    return name


def _clean_words(words):
    words = " ".join((words or "").split())
    if len(words) > 400:
        raise ValidationError({"words": "Use 400 characters or fewer for the describing words."})
    return words


def _changed(theme_set):
    """Record that the officers' themes changed and queue a fresh mapping."""
    from .tasks import themes_map_task

    ThemeSet.objects.filter(pk=theme_set.pk).update(themes_changed_at=timezone.now())
    transaction.on_commit(lambda: themes_map_task.enqueue(theme_set.pk))


def _locked(theme_set):
    return ThemeSet.objects.select_for_update().get(pk=theme_set.pk)


def theme_add(*, theme_set, user, name, words=""):
    _require(user, theme_set)
    with transaction.atomic():
        _locked(theme_set)
        theme = Theme.objects.create(
            theme_set=theme_set,
            name=_clean_name(theme_set, name),
            words=_clean_words(words),
            created_by=user,
        )
        _changed(theme_set)
    return theme


def theme_update(*, theme, user, name, words=""):
    """Rename a theme or change its describing words."""
    _require(user, theme.theme_set)
    with transaction.atomic():
        _locked(theme.theme_set)
        theme.name = _clean_name(theme.theme_set, name, exclude=theme)
        theme.words = _clean_words(words)
        theme.save(update_fields=["name", "words", "updated_at"])
        _changed(theme.theme_set)
    return theme


def theme_merge(*, theme, into, user):
    """Fold `theme` into `into`: its words and corrections go with it."""
    _require(user, theme.theme_set)
    if into is None:
        raise ValidationError({"into": "Choose the theme to merge into."})
    if into.pk == theme.pk:
        raise ValidationError(
            {"into": "Choose a different theme: a theme cannot merge into itself."}
        )
    if into.theme_set_id != theme.theme_set_id:
        raise ValidationError({"into": "Choose one of this set's themes."})
    with transaction.atomic():
        _locked(theme.theme_set)
        extra = ", ".join(part for part in (theme.name, theme.words) if part)
        into.words = ", ".join(part for part in (into.words, extra) if part)[:400]
        into.save(update_fields=["words", "updated_at"])
        theme.corrections.update(theme=into)
        theme.delete()
        _changed(into.theme_set)
    return into


def theme_split(*, theme, user, name, words=""):
    """Take part of a theme out as a new theme; mapping divides its responses."""
    _require(user, theme.theme_set)
    if not (words or "").strip():
        raise ValidationError(
            {"words": "Give a few describing words, so responses can be told apart."}
        )
    return theme_add(theme_set=theme.theme_set, user=user, name=name, words=words)


def theme_discard(*, theme, user):
    """Remove an officer's theme; its responses are mapped to the others."""
    _require(user, theme.theme_set)
    with transaction.atomic():
        _locked(theme.theme_set)
        theme.delete()
        _changed(theme.theme_set)


def suggestion_use(*, suggestion, user, name, words=""):
    """Make a machine suggestion an officer's theme, under the officer's name."""
    with transaction.atomic():
        theme = theme_add(theme_set=suggestion.theme_set, user=user, name=name, words=words)
        Suggestion.objects.filter(pk=suggestion.pk).update(used=True)
    return theme


def suggestion_dismiss(*, suggestion, user):
    _require(user, suggestion.theme_set)
    Suggestion.objects.filter(pk=suggestion.pk).update(dismissed=True)


def response_move(*, assignment, theme, user):
    """Put a response (and its campaign) in `theme`, or in other when None.

    Kept as a correction across every later run, and used as an example of
    its theme when the rest are mapped.
    """
    theme_set = assignment.theme_set
    _require(user, theme_set)
    if theme is not None and theme.theme_set_id != theme_set.pk:
        raise ValidationError({"theme": "Choose one of this set's themes."})
    with transaction.atomic():
        _locked(theme_set)
        Correction.objects.update_or_create(
            theme_set=theme_set,
            source_key=assignment.source_key,
            defaults={"theme": theme, "corrected_by": user, "created_at": timezone.now()},
        )
        moved = Assignment.objects.filter(pk=assignment.pk)
        if assignment.campaign_id:
            moved = Assignment.objects.filter(campaign_id=assignment.campaign_id)
        moved.update(theme=theme, corrected=True, low_confidence=False, confidence=1.0)
        _changed(theme_set)
