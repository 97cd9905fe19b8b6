"""The Wagtail admin's own sign-in, sign-out and password reset, sent through allauth.

Included before Wagtail's admin URLs (see `coproduce.urls`), so these paths
answer first: there is one way in, with allauth's verification, rate limits
and enumeration protection. `WAGTAILADMIN_LOGIN_URL` sends the admin's
"please sign in" redirects to allauth too.
"""

from allauth.account.views import LogoutView
from django.urls import path, re_path

from . import views

urlpatterns = [
    path("login/", views.admin_login_redirect, name="admin_login_redirect"),
    path("logout/", LogoutView.as_view(), name="admin_logout"),
    re_path(r"^password_reset/", views.admin_password_reset_redirect),
]
