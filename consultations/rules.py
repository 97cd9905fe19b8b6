"""Who may do what with consultations. Plain functions `(user, obj)`, tested
directly; the services ask them too, so no entry point bypasses them."""

from commissioning.rules import has_perm


def can_view_responses(user, consultation=None):
    """Officers read individual responses, free text and equality monitoring."""
    return has_perm(user, "consultations.view_response")


def can_export_responses(user, consultation=None):
    return has_perm(user, "consultations.export_responses")


def can_enter_paper_responses(user, consultation=None):
    return has_perm(user, "consultations.enter_paper_responses")


def can_view_results(user, consultation, now=None):
    """Everyone once closed, if the editor chose to publish; officers always."""
    return consultation.results_visible_to_public(now) or can_view_responses(user, consultation)


def can_view_free_text(user, consultation):
    # Free text can hold personal details, so it is never published as is.
    return can_view_responses(user, consultation)
