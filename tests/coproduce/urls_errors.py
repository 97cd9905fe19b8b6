"""The site's URLconf plus views that fail, to test the error pages through the stack."""

from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.urls import path

from coproduce.urls import handler403, handler404, handler500, urlpatterns  # noqa: F401


def refuse(request):
    raise PermissionDenied("This space is for the panel's members and officers.")


def lose_the_database(request):
    raise OperationalError('connection to server at "db.internal" failed: Connection refused')


def break_down(request):
    raise ValueError("a bug")


urlpatterns = [
    path("forbidden/", refuse),
    path("database-down/", lose_the_database),
    path("broken/", break_down),
    *urlpatterns,
]
