"""Short public addresses printed on invitation letters."""

from django.urls import path

from . import views

urlpatterns = [
    path("join/", views.join, name="panels_join"),
    path("join/register/", views.join_register, name="panels_join_register"),
]
