"""The link between a Cognito user (``sub``) and a local Django user.

A link model rather than a custom user model, so the app drops into any site whatever its
``AUTH_USER_MODEL``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CognitoIdentity(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="cognito_identity",
        verbose_name=_("user"),
    )
    # sub is Cognito's immutable user id; email and username may change, sub never does.
    sub = models.CharField(_("Cognito sub"), max_length=128, unique=True)
    username = models.CharField(_("Cognito username"), max_length=255, blank=True)
    issuer = models.CharField(_("issuer"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("linked at"), auto_now_add=True)
    synced_at = models.DateTimeField(_("last synced at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Cognito identity")
        verbose_name_plural = _("Cognito identities")

    def __str__(self) -> str:
        return f"{self.sub}"
