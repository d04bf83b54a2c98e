"""Template context every cognito-forms page can rely on (branding and shared labels)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


def cognito_forms(request: HttpRequest) -> dict[str, Any]:
    brand = {
        "site_name": getattr(settings, "COGNITO_BRAND_SITE_NAME", "") or _("cognito-forms demo"),
        "logo_url": getattr(settings, "COGNITO_BRAND_LOGO_URL", ""),
    }
    return {"cf_brand": brand, "cf_optional_label": _("optional")}
