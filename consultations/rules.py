"""Who may do what with consultations. Plain functions, tested directly."""


def can_view_responses(user):
    """Officers read individual responses, free text and equality monitoring."""
    return user.is_authenticated and user.has_perm("consultations.view_response")


def can_export_responses(user):
    return user.is_authenticated and user.has_perm("consultations.export_responses")


def can_enter_paper_responses(user):
    return user.is_authenticated and user.has_perm("consultations.enter_paper_responses")


def can_view_results(user, consultation, now=None):
    """Everyone once closed, if the editor chose to publish; officers always."""
    return consultation.results_visible_to_public(now) or can_view_responses(user)


def can_view_free_text(user, consultation):
    # Free text can hold personal details, so it is never published as is.
    return can_view_responses(user)
