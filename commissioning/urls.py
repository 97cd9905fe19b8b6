from django.urls import path

from . import views

app_name = "commissioning"
urlpatterns = [
    path("take-part/", views.take_part, name="take_part"),
    path("my/participation/", views.participation, name="my_participation"),
]
