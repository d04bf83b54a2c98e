from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteProjectConfig(AppConfig):
    name = "site_project"
    verbose_name = _("cognito-forms demo site")
