"""Reach by group: who took part, by what residents told us about themselves,
against the wards' population shares.

Counts come from residents' `DemographicProfile`s (given with consent, once,
in their account) of the people who took part; they are never joined to what
anyone said. Every group of fewer than `SUPPRESS_BELOW` people is suppressed:
its count and share are never shown or exported, and when one group alone is
suppressed the next smallest is too, so it cannot be worked out by
subtraction.

A flagged group can lead somewhere to close the gap: an app declares an
action in its manifest (the panels app: its quota form pre-filled):

    AppManifest(..., reach_actions={"Set a panel quota": quota_url})

`quota_url(*, programme, stage, gap)` returns a URL (or None when it does not
apply); `gap` is a `GroupReach` with `attribute`, `value`, `population_share`
and `participant_share` (None when suppressed). The brief calls it once per
flagged group, so a builder that reads the database remembers what it read
for the programme and stage (`panels.reach` does).
"""

from dataclasses import dataclass

from django.db.models import Count

from .demographics import PREFER_NOT_TO_SAY, PROFILE_ATTRIBUTES

SUPPRESS_BELOW = 5
# A group is flagged below this fraction of its share of the population.
UNDER_REPRESENTED = 0.5
SUPPRESSED_TEXT = "Fewer than 5"


@dataclass
class GroupReach:
    attribute: str
    attribute_label: str
    value: str
    value_label: str
    participants: int | None  # None when suppressed
    participant_share: float | None
    population_share: float | None  # None when the wards carry no share for it
    under_represented: bool = False

    @property
    def suppressed(self):
        return self.participants is None

    @property
    def ratio(self):
        if self.participant_share is None or not self.population_share:
            return None
        return self.participant_share / self.population_share


def population_shares(wards):
    """{attribute: {value: share}}: the wards' shares weighted by their population."""
    totals, weights = {}, {}
    for ward in wards:
        for attribute, shares in (ward.demographics or {}).items():
            weights[attribute] = weights.get(attribute, 0) + ward.population
            for value, share in shares.items():
                by_value = totals.setdefault(attribute, {})
                by_value[value] = by_value.get(value, 0) + share * ward.population
    return {
        attribute: {value: amount / weights[attribute] for value, amount in values.items()}
        for attribute, values in totals.items()
        if weights[attribute]
    }


def _counts(participations):
    """{attribute: {value: people}} in one query: people counted once each.

    Grouped by every attribute at once: each person has one profile, so one
    combination of answers, and the sums over combinations count each person
    once per answer however many engagements they took part in.
    """
    fields = [f"user__demographic_profile__{attribute}" for attribute in PROFILE_ATTRIBUTES]
    rows = (
        participations.filter(user__demographic_profile__isnull=False)
        .values(*fields)
        .annotate(n=Count("user", distinct=True))
        .order_by()
        .values_list(*fields, "n")
    )
    counts = {attribute: {} for attribute in PROFILE_ATTRIBUTES}
    for *answers, n in rows:
        for attribute, value in zip(PROFILE_ATTRIBUTES, answers, strict=True):
            if value not in ("", PREFER_NOT_TO_SAY[0]):
                counts[attribute][value] = counts[attribute].get(value, 0) + n
    return counts


def _suppressed(counts, values):
    small = {value for value in values if counts.get(value, 0) < SUPPRESS_BELOW}
    if len(small) == 1 and sum(counts.get(v, 0) for v in small):
        # One suppressed group could be worked out from the others: hide the
        # next smallest too.
        others = sorted((counts.get(v, 0), v) for v in values if v not in small)
        if others:
            small.add(others[0][1])
    return small


def _attribute_rows(attribute, counts, shares):
    label, choices = PROFILE_ATTRIBUTES[attribute]
    values = [value for value, _ in choices]
    answered = sum(counts.values())
    hidden = _suppressed(counts, values)
    rows = []
    for value, value_label in choices:
        n = counts.get(value, 0)
        share = n / answered if answered else 0.0
        population = shares.get(value)
        row = GroupReach(
            attribute=attribute,
            attribute_label=label,
            value=value,
            value_label=value_label,
            participants=None if value in hidden else n,
            participant_share=None if value in hidden else share,
            population_share=population,
        )
        row.under_represented = bool(
            answered and population and share / population < UNDER_REPRESENTED
        )
        rows.append(row)
    return rows


def group_reach(*, participations, wards):
    """Rows per attribute value (PROFILE_ATTRIBUTES order); one query."""
    shares = population_shares(wards)
    counts = _counts(participations)
    rows = []
    for attribute in PROFILE_ATTRIBUTES:
        rows += _attribute_rows(attribute, counts[attribute], shares.get(attribute, {}))
    return rows


def _percent(share):
    return "" if share is None else round(100 * share, 1)


def group_reach_table_rows(rows):
    """Table rows for the page and the downloads: suppressed counts never appear."""
    return [
        [
            f"{row.attribute_label}: {row.value_label}",
            SUPPRESSED_TEXT if row.suppressed else row.participants,
            SUPPRESSED_TEXT if row.suppressed else _percent(row.participant_share),
            "Not known" if row.population_share is None else _percent(row.population_share),
            "Yes" if row.under_represented else "No",
        ]
        for row in rows
    ]


GROUP_REACH_COLUMNS = [
    "Group",
    "People taking part",
    "Share of people who said (%)",
    "Share of population (%)",
    "Under-represented",
]


# Actions from a flag --------------------------------------------------------


@dataclass(frozen=True)
class ReachAction:
    label: str
    url_builder: object


_ACTIONS: dict[str, ReachAction] = {}


def register_reach_action(label, url_builder):
    """Offer `label` beside each under-represented group (replaces one of the same label)."""
    _ACTIONS[label] = ReachAction(label=label, url_builder=url_builder)


def reach_actions(*, programme, stage, gap):
    """[(label, url)] of the registered actions that apply to `gap`."""
    links = []
    for action in _ACTIONS.values():
        url = action.url_builder(programme=programme, stage=stage, gap=gap)
        if url:
            links.append((action.label, url))
    return links
