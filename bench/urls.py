"""The demo site's URLs plus the bench-only baseline (Django session authentication)."""

from __future__ import annotations

from django.urls import re_path

from site_project.urls import urlpatterns as site_urlpatterns

from . import baseline

ENGINE = r"(?P<engine>signed|db)"

urlpatterns = [
    re_path(
        rf"^bench/django/{ENGINE}/login/$",
        baseline.BaselineLoginView.as_view(),
        name="bench_login",
    ),
    re_path(rf"^bench/django/{ENGINE}/private/$", baseline.private, name="bench_private"),
    *site_urlpatterns,
]
