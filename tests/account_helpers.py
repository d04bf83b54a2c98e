"""Helpers for the account self-service tests (profile, verification, password, MFA, deletion).

Users are created in the embedded Cognito and signed in through the real sign-in page, so the
tests cover what a browser does; ``make_sign_in_old`` moves both clocks (ours and the
emulator's) forward so the last sign-in is older than ``COGNITO_REAUTH_MAX_AGE``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from cognito_forms import gateway
from cognito_forms import tokens as token_verifier

from .session_helpers import idp_client

PASSWORD = "Correct-Horse-9!"
NEW_PASSWORD = "Battery-Staple-7?"


def sign_in(client: Client, email: str, password: str = PASSWORD) -> None:
    response = client.post(reverse("cognito_forms:signin"), {"email": email, "password": password})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "/signin" not in response["Location"]


def member(
    cognito: Any,
    client: Client,
    email: str = "ann@example.com",
    *,
    attributes: dict[str, str] | None = None,
    **kwargs: Any,
) -> str:
    """Create a confirmed user, sign ``client`` in as them; returns the user's sub. The call
    counter starts at zero afterwards."""
    token_verifier.reset_caches()
    sub = cognito.create_user(email, PASSWORD, attributes=attributes or {}, **kwargs)
    sign_in(client, email)
    gateway.reset_counters()
    return str(sub)


def make_sign_in_old(cognito: Any, monkeypatch: pytest.MonkeyPatch, seconds: int = 600) -> None:
    """Move time forward: the tokens stay valid (60 min) but auth_time is ``seconds`` old."""
    cognito.lc.clock.advance(seconds)
    # Our verifier follows the emulator's clock: tokens issued after this are fresh again.
    monkeypatch.setattr(token_verifier, "now", cognito.lc.clock.now)


def cognito_user(cognito: Any, email: str) -> dict[str, str]:
    """The user's attributes as the embedded Cognito holds them (an admin read, not counted)."""
    user = idp_client(cognito).admin_get_user(UserPoolId=cognito.seed.pool_id, Username=email)
    return {a["Name"]: a["Value"] for a in user["UserAttributes"]}


admin_client = idp_client  # the name the account tests use for the same set-up client


def page(response: Any) -> str:
    return str(response.content.decode())


def spy(monkeypatch: pytest.MonkeyPatch, name: str) -> list[dict[str, Any]]:
    """Record the keyword arguments of every call to ``gateway.<name>`` (and still make it)."""
    seen: list[dict[str, Any]] = []
    original: Callable[..., Any] = getattr(gateway, name)

    def wrapper(**kwargs: Any) -> Any:
        seen.append({k: v for k, v in kwargs.items() if k != "access_token"})
        return original(**kwargs)

    monkeypatch.setattr(gateway, name, wrapper)
    return seen
