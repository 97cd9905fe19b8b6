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
