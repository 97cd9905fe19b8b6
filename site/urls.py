from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from accounts.views import frontend_login_redirect

from . import views

urlpatterns = [
    # The admin's sign-in, sign-out and password reset go through allauth.
    path("admin/", include("accounts.admin_urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", views.search, name="search"),
    # Browsers ask for /favicon.ico wherever a page has no <link rel="icon"> (JSON, PDFs).
    path("favicon.ico", views.favicon, name="favicon"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("accounts/", include("allauth.urls")),
    path("my/", include("accounts.urls")),
    path("", include("commissioning.urls")),
    path("", include("assetmap.urls")),
    path("", include("delivery.urls")),
    path("", include("panels.urls")),
]

if settings.DEBUG or getattr(settings, "SERVE_MEDIA", False):
    # Development only (the demo runs with DEBUG off, see settings.dev); in
    # production the web server or the S3 bucket serves media.
    from django.urls import re_path
    from django.views.static import serve

    urlpatterns.append(
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    )

# Wagtail's own front-end sign-in (for private pages and documents) would be a
# second way in, without allauth's verification, rate limits or second step:
# it sends people to allauth's, as the admin's does.
urlpatterns.append(path("_util/login/", frontend_login_redirect, name="frontend_login_redirect"))
urlpatterns.append(path("", include(wagtail_urls)))

handler403 = "coproduce.views.permission_denied"
handler404 = "coproduce.views.page_not_found"
handler500 = "coproduce.views.server_error"
