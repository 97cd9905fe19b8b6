"""The site's URLconf plus one view that refuses, to test the 403 page through the stack."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from coproduce.urls import handler403, handler404, handler500, urlpatterns  # noqa: F401


def refuse(request):
    raise PermissionDenied("This space is for the panel's members and officers.")


urlpatterns = [path("forbidden/", refuse), *urlpatterns]
