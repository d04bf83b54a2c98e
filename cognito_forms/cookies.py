"""What the cookies of cognito-forms hold: the session (the token cookies) and the journey
state, each sealed for its own purpose and chunked by :mod:`cognito_forms.sealed_cookies`
(keys, AES-GCM, chunks, names and flags).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponseBase

from .conf import app_settings
from .sealed_cookies import CookieInvalid as CookieInvalid
from .sealed_cookies import (
    clear_chunked,
    cookie_name,
    expire,
    read_chunked,
    seal,
    unseal,
    write_chunked,
)

SESSION_PURPOSE = "session"
STATE_PURPOSE = "state"


# --- the session: the token cookies -----------------------------------------------------------
@dataclass(frozen=True)
class SessionCookies:
    """What the session cookies hold. ``auth_time`` and ``family`` survive every refresh;
    ``validated_at`` is when Cognito last vouched for the session (sign-in, refresh, or the
    periodic revalidation of docs/security.md S5)."""

    id_token: str = field(repr=False)
    access_token: str = field(repr=False)
    refresh_token: str | None = field(default=None, repr=False)
    auth_time: int = 0
    family: str = ""
    written_at: float = 0.0
    validated_at: float = 0.0

    def to_json(self) -> bytes:
        return json.dumps(
            {
                "id": self.id_token,
                "ac": self.access_token,
                "rt": self.refresh_token,
                "at": self.auth_time,
                "fam": self.family,
                "w": self.written_at,
                "v": self.validated_at,
            },
            separators=(",", ":"),
        ).encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes) -> SessionCookies:
        try:
            data = json.loads(raw)
            written_at = float(data.get("w") or 0.0)
            validated_at = data.get("v")
            state = cls(
                id_token=str(data["id"]),
                access_token=str(data["ac"]),
                refresh_token=str(data["rt"]) if data.get("rt") else None,
                auth_time=int(data["at"]),
                family=str(data.get("fam") or ""),
                written_at=written_at,
                # Cookies from before revalidation: last vouched for when last written.
                validated_at=float(written_at if validated_at is None else validated_at),
            )
        except (ValueError, KeyError, TypeError) as error:
            raise CookieInvalid("bad session payload") from error
        return state


def session_max_age(state: SessionCookies) -> int:
    """The cookies live no longer than the absolute session lifetime allows."""
    remaining = state.auth_time + app_settings.SESSION_MAX_AGE - int(time.time())
    return max(60, remaining)


def write_session(response: HttpResponseBase, request: HttpRequest, state: SessionCookies) -> None:
    sealed = seal(state.to_json(), SESSION_PURPOSE)
    write_chunked(response, request, app_settings.COOKIE_NAME, sealed, session_max_age(state))


def read_session(request: HttpRequest) -> SessionCookies | None:
    """The session, ``None`` without cookies; ``CookieInvalid`` when present but unreadable."""
    sealed = read_chunked(request, app_settings.COOKIE_NAME)
    if sealed is None:
        return None
    return SessionCookies.from_json(unseal(sealed, SESSION_PURPOSE))


def clear_session(response: HttpResponseBase, request: HttpRequest) -> None:
    """Expire every session cookie and chunk the browser sent (both name variants)."""
    clear_chunked(response, request, app_settings.COOKIE_NAME)
    # Also expire the first chunk explicitly: the browser may hold it without sending it here.
    expire(response, cookie_name(request, app_settings.COOKIE_NAME))


# --- multi-step state (sign-in challenges, sign-up confirmation ...) ---------------------------
def write_state(
    response: HttpResponseBase,
    request: HttpRequest,
    data: dict[str, Any],
    *,
    max_age: int | None = None,
) -> None:
    """Keep ``data`` (JSON-serialisable) in a short-lived encrypted cookie of this browser."""
    lifetime = app_settings.STATE_MAX_AGE if max_age is None else int(max_age)
    payload = json.dumps({"d": data, "e": int(time.time()) + lifetime}, separators=(",", ":"))
    sealed = seal(payload.encode("utf-8"), STATE_PURPOSE)
    write_chunked(response, request, app_settings.STATE_COOKIE_NAME, sealed, lifetime)


def read_state(request: HttpRequest) -> dict[str, Any] | None:
    """The state written by :func:`write_state`; ``None`` when missing, expired or tampered."""
    try:
        sealed = read_chunked(request, app_settings.STATE_COOKIE_NAME)
        if sealed is None:
            return None
        payload = json.loads(unseal(sealed, STATE_PURPOSE))
    except (CookieInvalid, ValueError):
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("d"), dict):
        return None
    # The expiry inside the sealed value counts, not the cookie's Max-Age the browser keeps.
    if not isinstance(payload.get("e"), int) or payload["e"] < time.time():
        return None
    data: dict[str, Any] = payload["d"]
    return data


def clear_state(response: HttpResponseBase, request: HttpRequest) -> None:
    clear_chunked(response, request, app_settings.STATE_COOKIE_NAME)
    expire(response, cookie_name(request, app_settings.STATE_COOKIE_NAME))
