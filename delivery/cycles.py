"""What each review decision means for the programme's next cycle.

Each kind of decision is a class naming the stages it starts and how long
each lasts; `ReviewDecision.outcome` picks one. The dates are a starting
plan the programme's editors can adjust later on the page.
"""

from datetime import timedelta

from commissioning.stages import ANALYSE, DO, PLAN, REVIEW


class NextCycle:
    key = ""
    # (stage, days) in order.
    stages = ()

    @classmethod
    def plan(cls, starts_on):
        """[(stage, starts_on, ends_on)] one after another from `starts_on`."""
        planned = []
        start = starts_on
        for stage, days in cls.stages:
            end = start + timedelta(days=days - 1)
            planned.append((stage, start, end))
            start = end + timedelta(days=1)
        return planned


class Continue(NextCycle):
    """The service carries on as it is: review it again in a year."""

    key = "continue"
    stages = ((REVIEW, 365),)


class Change(NextCycle):
    """Agree the changes with the provider, put them in place, review again."""

    key = "change"
    stages = ((PLAN, 90), (DO, 90), (REVIEW, 365))


class Recommission(NextCycle):
    """Go round the whole cycle again."""

    key = "recommission"
    stages = ((ANALYSE, 120), (PLAN, 180), (DO, 180), (REVIEW, 365))


class Decommission(NextCycle):
    """Find out who is affected and what else exists, plan the exit, carry it out,
    then check on the people who used the service."""

    key = "decommission"
    stages = ((ANALYSE, 90), (PLAN, 90), (DO, 90), (REVIEW, 180))


NEXT_CYCLES = {kind.key: kind for kind in (Continue, Change, Recommission, Decommission)}
