"""The four stages of the commissioning cycle."""

ANALYSE = "analyse"
PLAN = "plan"
DO = "do"
REVIEW = "review"

STAGES = [
    (ANALYSE, "Analyse needs and assets"),
    (PLAN, "Plan and appraise options"),
    (DO, "Commission"),
    (REVIEW, "Review"),
]
STAGE_ORDER = [key for key, _ in STAGES]
STAGE_LABELS = dict(STAGES)

# Where an engagement stands by its dates (`EngagementPage.state()`), and how
# residents see it: one word and one GOV.UK tag colour on every page and list.
OPEN = "open"
UPCOMING = "upcoming"
CLOSED = "closed"
STATE_LABELS = {OPEN: "Open", UPCOMING: "Opens soon", CLOSED: "Closed"}
STATE_TAGS = {OPEN: "govuk-tag--green", UPCOMING: "govuk-tag--blue", CLOSED: "govuk-tag--grey"}
