"""Template context every cognito-forms page can rely on (branding and shared labels).

``cf_brand``: ``site_name``, ``logo_url``, ``logo_alt`` and ``stylesheet_url`` (the generated
branding stylesheet, empty when no style is configured). ``cf_outbox_url``: the local outbox
page (``COGNITO_LOCAL_OUTBOX_URL``) when the embedded Cognito is used with DEBUG on (else
empty). ``cf_signin_unavailable``: the session could not be checked because the pool's keys are
out of reach.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from . import request_auth
from .branding import DEFAULT_SITE_NAME, current_brand
from .conf import app_settings


def _url(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def outbox_url() -> str:
    """The local outbox page, only in local development with the embedded Cognito.

    The site says where it is (``COGNITO_LOCAL_OUTBOX_URL``): the app knows no URL of the
    site's own."""
    if not (settings.DEBUG and app_settings.LOCAL_EMULATOR):
        return ""
    return configured_outbox_url()


def configured_outbox_url() -> str:
    """``COGNITO_LOCAL_OUTBOX_URL`` resolved (a path or a URL name), ``""`` when unset."""
    configured = app_settings.LOCAL_OUTBOX_URL
    if not configured:
        return ""
    try:
        return resolve_url(configured)
    except NoReverseMatch:
        return ""


def cognito_forms(request: HttpRequest) -> dict[str, Any]:
    brand = current_brand()
    stylesheet = _url("cognito_forms:brand_css") if brand.styles else ""
    return {
        "cf_brand": {
            "site_name": brand.site_name or DEFAULT_SITE_NAME,
            "logo_url": brand.logo_url,
            "logo_alt": brand.logo_alt,
            "stylesheet_url": f"{stylesheet}?v={brand.version}" if stylesheet else "",
        },
        "cf_optional_label": _("optional"),
        "cf_outbox_url": outbox_url(),
        # The pool's signing keys cannot be fetched: this browser's session cannot be checked.
        "cf_signin_unavailable": request_auth.of(request).keys_unavailable,
    }
