"""From a reach gap in the officer brief to a panel's quotas.

The brief flags a group under-represented among the people who took part in
a programme (or one of its stages). Beside the flag, this app offers a link
to the quota form of a citizen panel of that programme, with the group's
quota filled in from its share of the population: the panel can then seat
the people the earlier stages did not hear. Declared in the manifest
(`reach_actions`); the spine calls `quota_url` for each flagged group.

The link carries the gap in its query string, so the quota form checks it
again (`quota_prefill`): a link edited by hand, or one to an attribute the
panel no longer stratifies on, fills nothing in and says why.
"""

import math
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.urls import reverse

from commissioning.demographics import PREFER_NOT_TO_SAY

from .attributes import ATTRIBUTE_LABELS, DECLINABLE, attribute_choices

# The brief asks for the quota form of one of these panels: remembered per
# programme and stage on the programme it was given, so a brief with many
# flags reads the programme's panels once.
_CACHE_ATTRIBUTE = "_panels_for_quotas"


def _programme_panels(programme):
    from .models import PanelPage

    cached = programme.__dict__.get(_CACHE_ATTRIBUTE)
    if cached is None:
        cached = list(
            PanelPage.objects.child_of(programme)
            .only("pk", "stage", "attributes", "opens_at")
            .order_by("opens_at", "pk")
        )
        programme.__dict__[_CACHE_ATTRIBUTE] = cached
    return cached


def panel_for_quotas(*, programme, stage):
    """The programme's panel of this stage, else its first panel; None if it has none."""
    panels = _programme_panels(programme)
    same_stage = [panel for panel in panels if panel.stage == stage]
    return (same_stage or panels or [None])[0]


def quota_url(*, programme, stage, gap):
    """The quota form of the programme's panel, pre-filled for `gap` (None if it cannot be)."""
    if gap.attribute not in DECLINABLE:  # only what panels and profiles both ask
        return None
    panel = panel_for_quotas(programme=programme, stage=stage)
    if panel is None or gap.attribute not in panel.attributes:
        return None
    query = {"attribute": gap.attribute, "value": gap.value}
    if gap.population_share is not None:
        query["share"] = f"{gap.population_share:.4f}"
    return f"{reverse('panels_lottery:panel', args=[panel.pk])}?{urlencode(query)}#quotas"


def seats_around(share, seats):
    """(fair number of seats, slack minimum, slack maximum) for a population share.

    The fair number is the share of the seats, rounded; the proposals from
    the population (`selectors.quota_proposals`) allow one fewer to one more.
    """
    fair = math.floor(share * seats + 0.5)
    return fair, max(0, fair - 1), min(seats, fair + 1)


@dataclass(frozen=True)
class QuotaPrefill:
    attribute: str
    value: str
    label: str
    share: float | None
    minimum: int | None
    maximum: int | None


def _share(raw):
    if raw in (None, ""):
        return None
    try:
        share = float(raw)
    except ValueError:
        share = math.nan
    if not 0 < share <= 1:  # also refuses nan and inf
        raise ValidationError("the population share in the link is not a share between 0 and 1")
    return share


def quota_prefill(*, panel, params):
    """The quota a reach gap asks for, from the link's query string.

    A group the earlier stages under-heard gets at least its fair number of
    seats (its population share of the seats, rounded) and one more at most.
    Raises ValidationError, in words for the officer, when the link names an
    attribute the panel does not stratify on, an answer that question does
    not have, or a share that is not one.
    """
    attribute, value = params.get("attribute", ""), params.get("value", "")
    if attribute not in DECLINABLE or attribute not in panel.attributes:
        raise ValidationError("this panel is not stratified on the group's question")
    labels = dict(attribute_choices(attribute))
    labels.pop(PREFER_NOT_TO_SAY[0], None)
    if value not in labels:
        raise ValidationError(f"“{value}” is not an answer to {ATTRIBUTE_LABELS[attribute]}")
    share = _share(params.get("share"))
    minimum = maximum = None
    if share is not None:
        fair, _low, maximum = seats_around(share, panel.seats)
        minimum = min(fair, maximum)
    return QuotaPrefill(
        attribute=attribute,
        value=value,
        label=f"{ATTRIBUTE_LABELS[attribute]}: {labels[value]}",
        share=share,
        minimum=minimum,
        maximum=maximum,
    )
