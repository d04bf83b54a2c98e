from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CognitoFormsConfig(AppConfig):
    name = "cognito_forms"
    verbose_name = _("Cognito forms")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
