"""The officer brief and the audit trail, served inside the Wagtail admin."""

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from wagtail.admin.filters import ContentTypeFilter
from wagtail.admin.views.generic.history import HistoryFilterSet
from wagtail.admin.views.reports import ReportView
from wagtail.coreutils import get_content_type_label

from . import audit, rules
from .audit import audit_record
from .brief import programme_brief
from .exports import FORMATS, table_response
from .models import AuditEntry, ProgrammePage
from .stages import STAGES


def brief_index(request):
    if not rules.can_view_brief(request.user):
        raise PermissionDenied
    programmes = ProgrammePage.objects.order_by("title").prefetch_related("stages")
    return TemplateResponse(
        request, "commissioning/admin/brief_index.html", {"programmes": programmes}
    )


def brief(request, pk):
    programme = get_object_or_404(ProgrammePage, pk=pk)
    if not rules.can_view_brief(request.user, programme):
        raise PermissionDenied
    stage = request.GET.get("stage", "")
    if stage not in dict(STAGES):
        stage = ""
    result = programme_brief(programme=programme, stage=stage)
    fmt = request.GET.get("format")
    if fmt in FORMATS:
        name = f"{programme.slug}-reach-by-ward" + (f"-{stage}" if stage else "")
        return table_response(result.reach_table(), fmt=fmt, filename=name)
    return TemplateResponse(
        request,
        "commissioning/admin/brief.html",
        {"brief": result, "reach_table": result.reach_table(), "stages": STAGES},
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
