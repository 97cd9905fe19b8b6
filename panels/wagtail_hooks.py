"""Admin registration only: the panels menu, its viewsets and the lottery log actions."""

from wagtail import hooks

from .viewsets import PanelsGroup


@hooks.register("register_admin_viewset")
def register_panels_viewsets():
    return PanelsGroup()


@hooks.register("register_log_actions")
def register_panel_log_actions(actions):
    actions.register_action(
        "panels.quotas_propose", "Propose quotas", "Quotas proposed from population"
    )
    actions.register_action("panels.lottery_announce", "Announce seed", "Lottery seed announced")
    actions.register_action("panels.lottery_cancel", "Cancel draw", "Announced draw cancelled")
    actions.register_action("panels.lottery_start", "Start draw", "Lottery draw started")
    actions.register_action("panels.lottery_complete", "Complete draw", "Lottery draw completed")
    actions.register_action("panels.lottery_fail", "Draw failed", "Lottery draw failed")
    actions.register_action("panels.member_withdraw", "Withdraw member", "Member withdrew")
    actions.register_action(
        "panels.recommendation_publish", "Publish recommendation", "Recommendation published"
    )
    actions.register_action(
        "panels.applications_close", "Close applications", "Applications closed early"
    )
    actions.register_action(
        "panels.addresses_import", "Import addresses", "Invitation addresses imported"
    )
    actions.register_action(
        "panels.addresses_clear", "Remove addresses", "Invitation addresses removed"
    )
    actions.register_action(
        "panels.addresses_purge", "Purge addresses", "Invitation addresses purged (retention)"
    )
    actions.register_action("panels.invitations_draw", "Draw invitations", "Invitations drawn")
    actions.register_action(
        "panels.appraisal_reopen", "Reopen appraisal", "Appraisal reopened by an officer"
    )
