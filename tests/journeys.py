"""Helpers for the account-journey tests: TOTP codes, cookies, page text."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import struct
import time
from typing import Any

from django.http import HttpResponse
from django.test import Client

STRONG = "Correct-Horse-9!"
DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "Demo-Passw0rd!"
UNAVAILABLE = "temporarily unavailable"


def totp(secret: str, at: float | None = None) -> str:
    """RFC 6238 (SHA-1, 30 s, 6 digits), written here so the test checks the emulator."""
    secret = secret.replace(" ", "").upper()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def text(response: HttpResponse) -> str:
    return response.content.decode()


def signed_in(response: HttpResponse) -> bool:
    """The response starts a session: a (non-empty) token cookie is set."""
    cookie = response.cookies.get("cf_session")
    return cookie is not None and bool(cookie.value) and cookie["max-age"] != 0


def session_started(client: Client) -> bool:
    return bool(client.cookies.get("cf_session") and client.cookies["cf_session"].value)


def cookie_shape(response: HttpResponse) -> dict[str, tuple[Any, ...]]:
    """Names and flags of the cookies a response sets (values left out: they are random)."""
    return {
        name: (bool(m.value), m["max-age"], m["path"], m["httponly"], m["samesite"])
        for name, m in response.cookies.items()
    }


def without_tokens(page: str) -> str:
    """Page text with the per-request CSRF token removed (for comparing two pages)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def follow(client: Client, response: HttpResponse) -> HttpResponse:
    assert response.status_code == 302, response.status_code
    return client.get(response["Location"])


def morsels(response: Any) -> dict[str, dict[str, Any]]:
    """Every cookie a response sets, every attribute but the (random) value."""
    return {
        name: {"empty": not m.value, **{k: v for k, v in m.items() if k != "expires"}}
        for name, m in response.cookies.items()
    }
