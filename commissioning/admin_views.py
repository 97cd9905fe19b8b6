"""The officer brief and the audit trail, served inside the Wagtail admin."""

import django_filters
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from wagtail.admin.filters import ContentTypeFilter
from wagtail.admin.views.generic.history import HistoryFilterSet
from wagtail.admin.views.reports import ReportView
from wagtail.coreutils import get_content_type_label

from . import audit, rules
from .audit import audit_record
from .brief import programme_brief
from .exports import FORMATS, table_response
from .models import AuditEntry, ProgrammePage
from .services import decision_draft_from_brief
from .stages import STAGES


def brief_index(request):
    if not rules.can_view_brief(request.user):
        raise PermissionDenied
    programmes = ProgrammePage.objects.order_by("title").prefetch_related("stages")
    return TemplateResponse(
        request, "commissioning/admin/brief_index.html", {"programmes": programmes}
    )


def _stage(request):
    stage = request.GET.get("stage", "") or request.POST.get("stage", "")
    return stage if stage in dict(STAGES) else ""


def brief(request, pk):
    programme = get_object_or_404(ProgrammePage, pk=pk)
    if not rules.can_view_brief(request.user, programme):
        raise PermissionDenied
    stage = _stage(request)
    result = programme_brief(programme=programme, stage=stage)
    fmt = request.GET.get("format")
    if fmt in FORMATS:
        tables = result.tables()
        key = request.GET.get("table")
        key = key if key in tables else "reach-by-ward"
        name = f"{programme.slug}-{key}" + (f"-{stage}" if stage else "")
        return table_response(tables[key], fmt=fmt, filename=name)
    return TemplateResponse(
        request,
        "commissioning/admin/brief.html",
        {
            "brief": result,
            "reach_table": result.reach_table(),
            "group_reach_table": result.group_reach_table(),
            "stages": STAGES,
            "can_draft_decision": rules.can_draft_decision(request.user, programme),
        },
    )


@require_POST
def brief_draft_decision(request, pk):
    """ "Draft a decision from this brief": one draft per stage, then its editor."""
    programme = get_object_or_404(ProgrammePage, pk=pk)
    if not rules.can_draft_decision(request.user, programme):
        raise PermissionDenied
    stage = _stage(request)
    try:
        page, created = decision_draft_from_brief(
            programme=programme, stage=stage, user=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(reverse("commissioning_brief", args=[programme.pk]))
    if created:
        messages.success(
            request,
            f"Draft decision created with {page.items.count()} “you said” items from the "
            "approved themes. Add what was decided and why, then publish it.",
        )
    else:
        messages.warning(
            request, "A draft decision for this stage already exists: here it is to edit."
        )
    return redirect(reverse("wagtailadmin_pages:edit", args=[page.pk]))


def heard(request, pk):
    """ "What we heard" of one engagement: preview, publish, unpublish (officers)."""
    from .models import EngagementPage, HeardSummary
    from .services import heard_summary_content, heard_summary_publish, heard_summary_unpublish

    engagement = get_object_or_404(EngagementPage, pk=pk)
    if not rules.can_publish_heard(request.user, engagement):
        raise PermissionDenied
    if request.method == "POST":
        action = {"publish": heard_summary_publish, "unpublish": heard_summary_unpublish}.get(
            request.POST.get("action")
        )
        if action is not None:
            try:
                action(engagement=engagement, user=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                done = "published" if action is heard_summary_publish else "taken down"
                messages.success(request, f"What we heard is {done}.")
        return redirect(reverse("commissioning_heard", args=[engagement.pk]))
    record = (
        HeardSummary.objects.filter(engagement=engagement)
        .select_related("published_by", "unpublished_by")
        .first()
    )
    published = record is not None and record.is_published
    return TemplateResponse(
        request,
        "commissioning/admin/heard.html",
        {
            "engagement": engagement,
            "record": record,
            "is_closed": engagement.state() == "closed",
            "heard": record if published else None,
            "preview": None if published else heard_summary_content(engagement=engagement),
            "programme": engagement.get_parent(),
        },
    )


class AuditTrailFilterSet(HistoryFilterSet):
    """By action, person and date (Wagtail's history filters), and by record."""

    object_type = ContentTypeFilter(
        label="Type of record",
        method="filter_object_type",
        queryset=lambda request: ContentType.objects.filter(
            pk__in=AuditEntry.objects.values("content_type")
        ).order_by("model"),
    )
    label = django_filters.CharFilter(label="Record", lookup_expr="icontains")

    class Meta:
        model = AuditEntry
        fields = []

    def filter_object_type(self, queryset, name, value):
        return queryset.filter(content_type=value)


class AuditTrailView(ReportView):
    """Reports → Audit trail: read, filter and download; there is no edit or delete."""

    page_title = "Audit trail"
    header_icon = "list-ul"
    model = AuditEntry
    filterset_class = AuditTrailFilterSet
    results_template_name = "commissioning/admin/audit_trail_results.html"
    index_url_name = "commissioning_audit_trail"
    index_results_url_name = "commissioning_audit_trail_results"
    list_export = [
        "timestamp",
        "user_display_name",
        "message",
        "content_type",
        "label",
        "object_id",
        "details",
    ]
    export_headings = {
        "timestamp": "Date and time",
        "user_display_name": "Person",
        "message": "Action",
        "content_type": "Type of record",
        "label": "Record",
        "object_id": "Record id",
        "details": "Details",
    }

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.custom_field_preprocess = {
            **self.custom_field_preprocess,
            "content_type": {
                self.FORMAT_CSV: get_content_type_label,
                self.FORMAT_XLSX: get_content_type_label,
            },
            "message": {self.FORMAT_CSV: str, self.FORMAT_XLSX: str},
        }

    def dispatch(self, request, *args, **kwargs):
        if not rules.can_view_audit_trail(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return AuditEntry.objects.select_related("user", "content_type").order_by(
            "-timestamp", "-pk"
        )

    def get_filename(self):
        return f"audit-trail-{timezone.localdate():%Y-%m-%d}"

    def render_to_response(self, context, **response_kwargs):
        if self.is_export:
            # Downloading the trail is itself downloading personal data.
            audit_record(
                user=self.request.user,
                action=audit.EXPORT,
                instance=AuditEntry,
                data={
                    "filters": audit.listing_filters(self.request),
                    "format": self.request.GET.get("export"),
                },
            )
        return super().render_to_response(context, **response_kwargs)
