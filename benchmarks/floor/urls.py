from django.http import HttpResponse
from django.urls import path


def fixed(request):
    return HttpResponse("Coproduce floor: a bare Django view.\n", content_type="text/plain")


urlpatterns = [path("", fixed)]
