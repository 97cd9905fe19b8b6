"""Importing readings from a CSV file, in the Wagtail admin (officers only)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from . import rules
from .admin_forms import ReadingsImportForm
from .services import ImportRefused, readings_import


def readings_import_view(request):
    if not rules.can_record_readings(request.user):
        raise PermissionDenied
    problems = []
    if request.method == "POST":
        form = ReadingsImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                created = readings_import(data=form.cleaned_data["file"].read(), user=request.user)
            except ImportRefused as refusal:
                problems = refusal.problems
                form.add_error("file", refusal.messages[0])
            else:
                messages.success(request, f"Imported {len(created)} reading(s).")
                return redirect(reverse("wagtailsnippets_delivery_reading:list"))
    else:
        form = ReadingsImportForm()
    return TemplateResponse(
        request,
        "delivery/admin/readings_import.html",
        {"form": form, "problems": problems, "page_title": "Import readings"},
    )
