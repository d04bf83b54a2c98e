"""Where a journey goes next: a safe ``next`` (this site only, no open redirect), the page
after sign-in and the page of each sign-in challenge.

Not a view module (views import only :mod:`cognito_forms.views.base` among views), so every
view and :func:`cognito_forms.views.base.respond` share it.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from .adapter import get_adapter


def safe_next(request: HttpRequest, value: str | None) -> str:
    """``value`` if it is a safe place on this site to go to, else ``""``."""
    if not value:
        return ""
    # Only this host, and only https when the request is https: no open redirect.
    if url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


def next_from(request: HttpRequest) -> str:
    return safe_next(request, request.POST.get("next") or request.GET.get("next"))


def after_signin_url(request: HttpRequest, next_url: str = "") -> str:
    return safe_next(request, next_url) or get_adapter().get_signin_redirect_url(request)


#: Challenge name -> the URL name of its page.
CHALLENGE_PAGES = {
    "SOFTWARE_TOKEN_MFA": "cognito_forms:signin_code",
    "SMS_MFA": "cognito_forms:signin_code",
    "SMS_OTP": "cognito_forms:signin_code",
    "EMAIL_OTP": "cognito_forms:signin_code",
    "NEW_PASSWORD_REQUIRED": "cognito_forms:signin_new_password",
    "SELECT_MFA_TYPE": "cognito_forms:signin_select_mfa",
    "MFA_SETUP": "cognito_forms:signin_mfa_setup",
    "SELECT_CHALLENGE": "cognito_forms:signin_choose",
}
