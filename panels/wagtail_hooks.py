"""Admin registration only: the panels menu, its viewsets and the lottery log actions."""

from django import forms
from django.http import Http404
from django.urls import path
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from commissioning.audit import AuditedViewMixin

from . import admin_views, invitation_admin_views
from .models import Application, Criterion, Meeting, Option
from .rules import officer_scope, panels_officered_by


class ScopedQuerysetMixin:
    """Officers see only the records of panels they are assigned to."""

    def get_base_queryset(self):
        return super().get_base_queryset().filter(officer_scope(self.request.user))

    def get_object(self, queryset=None):
        # Inspect, edit and delete look a record up by its id, not in the listing's queryset.
        obj = super().get_object(queryset)
        scope = self.model._default_manager.filter(officer_scope(self.request.user))
        if not scope.filter(pk=obj.pk).exists():
            raise Http404
        return obj


class ScopedIndexView(ScopedQuerysetMixin, generic.IndexView):
    pass


class ApplicationIndexView(ScopedIndexView):
    def get_base_queryset(self):
        # The listing shows each row's panel and ward: fetch them with the rows.
        return super().get_base_queryset().select_related("panel", "ward")


class ScopedEditView(ScopedQuerysetMixin, generic.EditView):
    pass


class ScopedDeleteView(ScopedQuerysetMixin, generic.DeleteView):
    pass


class ScopedInspectView(ScopedQuerysetMixin, generic.InspectView):
    pass


class ApplicationAuditedIndexView(AuditedViewMixin, ApplicationIndexView):
    pass


class ApplicationAuditedInspectView(AuditedViewMixin, ScopedInspectView):
    pass


class PanelChoiceForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "panel" in self.fields and self.for_user is not None:
            self.fields["panel"].queryset = panels_officered_by(self.for_user)


class ScopedViewSet(ModelViewSet):
    index_view_class = ScopedIndexView
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    inspect_view_class = ScopedInspectView
    add_to_admin_menu = False
    # Wagtail's "copy" is an add form filled from another row, and it is not
    # scoped: an officer could open another panel's row through it, and an
    # application (which comes only through the public form) fails to copy.
    copy_view_enabled = False

    def get_edit_handler(self):
        fields = getattr(self, "form_fields", None)
        if fields is None:
            return super().get_edit_handler()
        handler = ObjectList(
            [FieldPanel(name) for name in fields], base_form_class=PanelChoiceForm
        )
        return handler.bind_to_model(self.model)


class ApplicationViewSet(ScopedViewSet):
    model = Application
    index_view_class = ApplicationAuditedIndexView
    inspect_view_class = ApplicationAuditedInspectView
    icon = "form"
    menu_label = "Applications"
    list_display = ["name", "panel", "ward", "channel", "status", "created_at"]
    list_filter = ["panel", "status", "channel"]
    search_fields = ["name", "email"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "panel", "name", "email", "phone", "postcode", "ward", "age_band", "gender",
        "ethnicity", "disability", "service_user", "availability", "access_needs",
        "consent", "channel", "entered_by", "status", "confirmed_at", "withdrawn_at",
        "created_at",
    ]  # fmt: skip
    form_fields = ["status"]

    def get_urlpatterns(self):
        # Applications come only through the public form.
        return [p for p in super().get_urlpatterns() if getattr(p, "name", "") != "add"]

    def get_common_view_kwargs(self, **kwargs):
        # No "add" URL, so no view may build an "Add" button (a superuser's
        # listing would otherwise fail to reverse it).
        return super().get_common_view_kwargs(**{**kwargs, "add_url_name": None})


class MeetingForm(PanelChoiceForm):
    online_url = forms.URLField(
        label="Online meeting link", required=False, assume_scheme="https", max_length=200
    )


class MeetingViewSet(ScopedViewSet):
    model = Meeting
    icon = "date"
    menu_label = "Meetings"
    list_display = ["title", "panel", "starts_at"]
    list_filter = ["panel"]

    def get_edit_handler(self):
        return ObjectList(Meeting.panels, base_form_class=MeetingForm).bind_to_model(Meeting)


class OptionViewSet(ScopedViewSet):
    model = Option
    icon = "list-ul"
    menu_label = "Options to appraise"
    list_display = ["title", "panel", "sort_order"]
    list_filter = ["panel"]
    form_fields = ["panel", "title", "description", "sort_order"]


class CriterionViewSet(ScopedViewSet):
    model = Criterion
    icon = "pick"
    menu_label = "Criteria"
    list_display = ["title", "panel", "weight", "social_value"]
    list_filter = ["panel"]
    form_fields = ["panel", "title", "description", "weight", "social_value", "sort_order"]


class LotteryViewSet(ViewSet):
    name = "panels_lottery"
    icon = "resubmit"
    menu_label = "Lottery"
    url_prefix = "panels/lottery"

    def get_urlpatterns(self):
        return [
            path("", admin_views.index, name="index"),
            path("panel/<int:panel_id>/", admin_views.lottery, name="panel"),
            path("run/<int:run_id>/", admin_views.run_detail, name="run"),
        ]


class InvitationViewSet(ViewSet):
    name = "panels_invitations"
    icon = "mail"
    menu_label = "Invitations by post"
    url_prefix = "panels/invitations"

    def get_urlpatterns(self):
        views = invitation_admin_views
        return [
            path("", admin_views.index, {"target": "invitations"}, name="index"),
            path("panel/<int:panel_id>/", views.panel, name="panel"),
            path("panel/<int:panel_id>/register/", views.assisted, name="assisted"),
            path("panel/<int:panel_id>/responses/", views.tracking, name="tracking"),
            path("letters/<int:batch_id>/", views.letters_download, name="download"),
        ]


class PanelsGroup(ViewSetGroup):
    menu_label = "Citizen panels"
    menu_icon = "group"
    menu_order = 330
    items = (
        LotteryViewSet,
        InvitationViewSet,
        ApplicationViewSet("panels_application"),
        MeetingViewSet("panels_meeting"),
        OptionViewSet("panels_option"),
        CriterionViewSet("panels_criterion"),
    )


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
