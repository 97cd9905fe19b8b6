"""Officer views in the Wagtail admin: the moderation queue and coverage report.

Thin: they read through selectors, decide through services, and check the
moderator rule from `rules.py`.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from wagtail.admin.views.generic import CreateView, DeleteView, EditView, InspectView

from commissioning.models import Outcome, ProgrammePage
from coproduce.forms import ServiceSaveMixin, add_service_errors

from . import rules, selectors, services
from .admin_forms import GroupMembershipInviteAdminForm
from .forms import DecisionForm
from .models import Asset, AssetCallPage, AssetRevision, CommunityGroup, GroupMembership

GAP_THRESHOLD = 3  # fewer published assets than this for an outcome in a ward is a gap


def _require_moderator(request):
    if not rules.can_moderate_asset(request.user):
        raise PermissionDenied


def moderation_queue(request):
    _require_moderator(request)
    assets = (
        Asset.objects.awaiting_moderation()
        .select_related("category", "ward", "group", "submitted_by")
        .order_by("created_at", "id")
    )
    revisions = (
        AssetRevision.objects.pending()
        .select_related("asset", "asset__ward", "submitted_by")
        .order_by("created_at", "id")
    )
    return TemplateResponse(
        request,
        "assetmap/admin/moderation_queue.html",
        {
            "page_title": "Assets awaiting moderation",
            "header_icon": "tick-inverse",
            "assets": assets,
            "revisions": revisions,
        },
    )


def _decide(request, form, approve, reject):
    try:
        if form.cleaned_data["decision"] == DecisionForm.APPROVE:
            approve()
            messages.success(request, "Approved and published.")
        else:
            reject(form.cleaned_data["reason"])
            messages.success(request, "Rejected. The submitter can see the reason.")
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    return True


def moderate_asset(request, pk):
    _require_moderator(request)
    asset = get_object_or_404(
        Asset.objects.select_related("category", "ward", "group", "submitted_by"), pk=pk
    )
    form = DecisionForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _decide(
            request,
            form,
            lambda: services.asset_approve(asset=asset, user=request.user),
            lambda reason: services.asset_reject(asset=asset, user=request.user, reason=reason),
        )
    ):
        return redirect("assetmap_moderation")
    return TemplateResponse(
        request,
        "assetmap/admin/moderate.html",
        {
            "page_title": f"Moderate “{asset.name}”",
            "header_icon": "tick-inverse",
            "asset": asset,
            "values": _display_values(asset, None),
            "photos": list(asset.photos.all()),
            "form": form,
            "can_decide": asset.status == Asset.PENDING,
        },
    )


def field_display(field, value):
    """What people see for a value of an asset field: the chosen label, never the code."""
    if value is None or value == "":
        return None
    choices = dict(Asset._meta.get_field(field).choices or [])
    return choices.get(value, value)


def _display_values(asset, revision_values):
    """Rows of (label, current value, proposed value) for the moderation screen."""
    rows = []
    tags = ", ".join(t.name for t in asset.tags.all())
    outcomes = ", ".join(o.title for o in asset.outcomes.all())
    for field in services.FIELDS:
        label = Asset._meta.get_field(field).verbose_name.capitalize()
        current = getattr(asset, field)
        proposed = revision_values.get(field, current) if revision_values is not None else None
        rows.append(
            (
                label,
                field_display(field, current),
                field_display(field, proposed),
                revision_values is not None and proposed != current,
            )
        )
    if revision_values is not None:
        new_tags = ", ".join(revision_values.get("tags", []))
        new_outcomes = ", ".join(o.title for o in revision_values.get("outcomes", []))
        rows.append(("Tags", tags, new_tags, new_tags != tags))
        rows.append(("Outcomes", outcomes, new_outcomes, new_outcomes != outcomes))
    else:
        rows.append(("Tags", tags, None, False))
        rows.append(("Outcomes", outcomes, None, False))
    return rows


def revision_proposed_rows(revision):
    """(label, value people read) for each value a proposed edit sets, in form order."""
    values = services.revision_values(revision)
    rows = [
        (
            Asset._meta.get_field(field).verbose_name.capitalize(),
            field_display(field, values[field]),
        )
        for field in services.FIELDS
        if field in values
    ]
    if "tags" in values:
        rows.append(("Tags", ", ".join(values["tags"]) or None))
    if "outcomes" in values:
        rows.append(("Outcomes", ", ".join(o.title for o in values["outcomes"]) or None))
    return rows


def moderate_revision(request, pk):
    _require_moderator(request)
    revision = get_object_or_404(
        AssetRevision.objects.select_related(
            "asset", "asset__category", "asset__ward", "submitted_by"
        ),
        pk=pk,
    )
    form = DecisionForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _decide(
            request,
            form,
            lambda: services.revision_approve(revision=revision, user=request.user),
            lambda reason: services.revision_reject(
                revision=revision, user=request.user, reason=reason
            ),
        )
    ):
        return redirect("assetmap_moderation")
    return TemplateResponse(
        request,
        "assetmap/admin/moderate.html",
        {
            "page_title": f"Moderate changes to “{revision.asset.name}”",
            "header_icon": "tick-inverse",
            "asset": revision.asset,
            "revision": revision,
            "values": _display_values(revision.asset, services.revision_values(revision)),
            "photos": list(revision.photos.all()),
            "form": form,
            "can_decide": revision.status == AssetRevision.PENDING,
        },
    )


def _programme_outcomes(programme):
    """The outcomes a programme asks about: its own, if it has any, and its asset calls'."""
    outcome_ids = set()
    own = getattr(programme, "outcomes", None)
    if own is not None and hasattr(own, "values_list"):
        outcome_ids.update(own.values_list("id", flat=True))
    outcome_ids.update(
        AssetCallPage.objects.descendant_of(programme)
        .filter(outcomes__isnull=False)
        .values_list("outcomes", flat=True)
    )
    return list(Outcome.objects.filter(pk__in=outcome_ids))


def coverage(request):
    """Where the strengths are: ward × category, and a programme's outcomes × ward."""
    _require_moderator(request)
    wards, categories, counts = selectors.coverage_ward_category()
    ward_rows = []
    for ward in wards:
        cells = [counts.get((ward.pk, c.pk), 0) for c in categories]
        ward_rows.append((ward, cells, sum(cells)))
    category_totals = [sum(row[1][i] for row in ward_rows) for i in range(len(categories))]
    programmes = list(ProgrammePage.objects.live().order_by("title").only("id", "title"))
    programme = None
    outcome_rows = []
    raw = request.GET.get("programme")
    if raw and raw.isdigit():
        programme = next((p for p in programmes if p.pk == int(raw)), None)
    if programme is not None:
        outcomes = _programme_outcomes(programme)
        _, outcome_counts = selectors.coverage_outcome_ward(outcomes=outcomes)
        for outcome in outcomes:
            cells = [outcome_counts.get((outcome.pk, ward.pk), 0) for ward in wards]
            outcome_rows.append((outcome, [(n, n < GAP_THRESHOLD) for n in cells]))
    return TemplateResponse(
        request,
        "assetmap/admin/coverage.html",
        {
            "page_title": "Asset coverage",
            "header_icon": "table",
            "wards": wards,
            "categories": categories,
            "ward_rows": ward_rows,
            "category_totals": category_totals,
            "programmes": programmes,
            "programme": programme,
            "outcome_rows": outcome_rows,
            "gap_threshold": GAP_THRESHOLD,
            "csv_url": reverse("assetmap:csv"),
        },
    )


class AssetRevisionInspectView(InspectView):
    """A proposed edit as people read it: field labels and chosen labels, not stored ids."""

    def get_data_display_value(self):
        rows = revision_proposed_rows(self.object)
        items = format_html_join(
            "",
            "<li><strong>{}:</strong> {}</li>",
            ((label, value or "—") for label, value in rows),
        )
        return format_html('<ul class="assetmap-proposed">{}</ul>', items)

    def get_field_label(self, field_name, field):
        if field_name == "data":
            return "Proposed values"
        return super().get_field_label(field_name, field)

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        if value is None or value == "":
            return "Not decided yet" if field_name.startswith("decided_") else "—"
        return value


# Admin create, edit and delete go through the same services as the public site,
# so the rules (location, borough bounds, a group's last lead) hold here too.


class ServiceDeleteMixin:
    """Deleting calls a service; a refusal shows on the confirmation page."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            messages.error(self.request, " ".join(error.messages))
            return self.render_to_response(self.get_context_data(form=form))


class AssetCreateView(ServiceSaveMixin, CreateView):
    def save_instance(self):
        return services.asset_submit(user=self.request.user, data=self.form.service_data())

    def get_success_message(self, instance):
        return f"“{instance.name}” is added and waits in the moderation queue."


class AssetEditView(ServiceSaveMixin, EditView):
    def save_instance(self):
        # The form has already written its values onto `self.form.instance`;
        # the service compares them with the stored asset.
        asset = Asset.objects.get(pk=self.form.instance.pk)
        return services.asset_curate(
            user=self.request.user, asset=asset, data=self.form.service_data()
        )


class AssetDeleteView(ServiceDeleteMixin, DeleteView):
    def delete_action(self):
        services.asset_delete(user=self.request.user, asset=self.object)


class CommunityGroupCreateView(ServiceSaveMixin, CreateView):
    def save_instance(self):
        return services.group_register(user=self.request.user, **self.form.service_data())

    def get_success_message(self, instance):
        return (
            f"“{instance.name}” is registered with you as its lead. Add the group’s own "
            "lead from the group’s page, then step down."
        )


class CommunityGroupEditView(ServiceSaveMixin, EditView):
    def save_instance(self):
        group = CommunityGroup.objects.get(pk=self.form.instance.pk)
        return services.group_update(
            user=self.request.user, group=group, **self.form.service_data()
        )


class CommunityGroupDeleteView(ServiceDeleteMixin, DeleteView):
    def delete_action(self):
        services.group_delete(user=self.request.user, group=self.object)


class GroupMembershipCreateView(ServiceSaveMixin, CreateView):
    page_title = "Invite a member"

    def get_form_class(self):
        return GroupMembershipInviteAdminForm

    def save_instance(self):
        cleaned = self.form.cleaned_data
        invitation, _ = services.group_member_invite(
            user=self.request.user,
            group=cleaned["group"],
            email=cleaned["email"],
            role=cleaned["role"],
        )
        return invitation

    def get_success_message(self, instance):
        # The same answer whether or not the address has an account.
        return (
            f"We have emailed an invitation to {instance.email}. They join "
            f"{instance.group.name} when they accept it."
        )

    def get_success_buttons(self):
        return []


class GroupMembershipEditView(ServiceSaveMixin, EditView):
    def save_instance(self):
        membership = GroupMembership.objects.select_related("group").get(pk=self.form.instance.pk)
        return services.group_member_role_change(
            user=self.request.user, membership=membership, role=self.form.cleaned_data["role"]
        )


class GroupMembershipDeleteView(ServiceDeleteMixin, DeleteView):
    def delete_action(self):
        services.group_member_remove(user=self.request.user, membership=self.object)
