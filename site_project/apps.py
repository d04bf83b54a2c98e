from __future__ import annotations

from django.apps import AppConfig


class SiteProjectConfig(AppConfig):
    name = "site_project"
    verbose_name = "cognito-forms demo site"
