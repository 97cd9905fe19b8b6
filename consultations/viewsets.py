"""Officers' admin views: consultation responses, read only.

Equality monitoring records are deliberately not listed: they are only ever
shown in aggregate, on the results page.
"""

from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from .models import Response


class ResponseViewSet(ModelViewSet):
    # No copy: it would create a record without the app's service.
    copy_view_enabled = False
    model = Response
    icon = "list-ul"
    menu_label = "Responses"
    name = "consultation_responses"
    url_prefix = "consultations/responses"
    list_display = [
        Column("id", label="Response"),
        "consultation",
        "status",
        "channel",
        "submitted_at",
    ]
    list_filter = ["status", "channel", "consultation"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "consultation",
        "status",
        "channel",
        "received_on",
        "entered_by",
        "submitted_at",
        "answers_display",
    ]
    form_fields = ["status"]
    add_to_admin_menu = False

    def get_queryset(self, request):
        return Response.objects.select_related("consultation")


class ConsultationViewSetGroup(ModelViewSetGroup):
    menu_label = "Consultations"
    menu_icon = "form"
    menu_order = 340
    items = (ResponseViewSet,)
