from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from . import views

# A request Django cannot read (e.g. a form in another charset) gets a page in the site's layout.
handler400 = "cognito_forms.views.errors.bad_request"

urlpatterns = [
    path("", views.home, name="home"),
    path("private/", views.private, name="private"),
    path("accounts/", include("cognito_forms.urls")),
    path("_local/", include("site_project.outbox_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
