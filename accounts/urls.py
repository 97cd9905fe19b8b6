from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/about-you/", views.about_you, name="about_you"),
    path("profile/data/", views.data_download, name="data_download"),
    path("profile/delete/", views.account_delete, name="delete"),
    path("profile/deleted/", views.account_deleted, name="deleted"),
    path("confirm-email/again/", views.confirmation_resend, name="confirmation_resend"),
]
