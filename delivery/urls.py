from django.urls import path

from . import views

app_name = "delivery"
urlpatterns = [
    path("what-we-said-we-would-do/", views.progress, name="progress"),
    path(
        "what-we-said-we-would-do/commitments.<str:fmt>",
        views.progress_data,
        name="progress_data",
    ),
]
