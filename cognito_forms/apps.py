from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CognitoFormsConfig(AppConfig):
    name = "cognito_forms"
    verbose_name = _("Cognito forms")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
        from .security_log import install_log_redaction

        # botocore at DEBUG prints passwords and tokens: redact them whatever the log level.
        install_log_redaction()

        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, post_save

        from .backends import forget_cached_users

        # A user changed in this process (deactivated, deleted, renamed) is re-read at once.
        user_model = get_user_model()
        post_save.connect(forget_cached_users, sender=user_model, dispatch_uid="cf_forget_users")
        post_delete.connect(
            forget_cached_users, sender=user_model, dispatch_uid="cf_forget_users_delete"
        )
