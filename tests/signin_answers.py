"""What a visitor sees of a sign-in answer, for comparing answers about different accounts
(docs/security.md S6, S9): status, the page with the CSRF token and the typed address taken
out, the Location, and the cookies set (names and flags; values are random)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.test import Client

from tests.journeys import cookie_shape, text, without_tokens

URL = "/accounts/signin/"


def answer(response: HttpResponse, email: str) -> tuple[Any, ...]:
    page = without_tokens(text(response)).replace(email, "EMAIL")
    return (
        response.status_code,
        response.get("Location"),
        response.get("Retry-After"),
        page,
        cookie_shape(response),
    )


def sign_in(email: str, password: str, ip: str = "203.0.113.10", **extra: Any) -> HttpResponse:
    """One sign-in POST from a fresh browser at ``ip``."""
    return Client().post(URL, {"email": email, "password": password}, REMOTE_ADDR=ip, **extra)
