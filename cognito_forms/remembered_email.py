"""The last email a browser signed in with, so the sign-in page can fill it in.

Kept in its own cookie, encrypted like the session (an email is personal data) and HttpOnly;
never a password. ``COGNITO_REMEMBER_EMAIL = False`` turns it off; deleting the account
forgets it.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase

from . import sealed_cookies
from .conf import app_settings

PURPOSE = "remembered_email"
MAX_AGE = 90 * 24 * 3600


def remember(response: HttpResponseBase, request: HttpRequest, email: str) -> None:
    if not app_settings.REMEMBER_EMAIL or not email:
        return
    sealed = sealed_cookies.seal(email.encode("utf-8"), PURPOSE)
    sealed_cookies.write_chunked(response, request, app_settings.EMAIL_COOKIE_NAME, sealed, MAX_AGE)


def recall(request: HttpRequest) -> str:
    """The remembered email, or "" (off, absent, tampered with or under an old key)."""
    if not app_settings.REMEMBER_EMAIL:
        return ""
    try:
        sealed = sealed_cookies.read_chunked(request, app_settings.EMAIL_COOKIE_NAME)
        if sealed is None:
            return ""
        return sealed_cookies.unseal(sealed, PURPOSE).decode("utf-8")
    except (sealed_cookies.CookieInvalid, UnicodeDecodeError):
        return ""


def forget(response: HttpResponseBase, request: HttpRequest) -> None:
    sealed_cookies.clear_chunked(response, request, app_settings.EMAIL_COOKIE_NAME)
