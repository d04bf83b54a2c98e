"""The pending email or phone number change: its own cookie, bound to the user.

It must outlive the other journeys (:mod:`cognito_forms.journey`): it waits 24 hours for its
code, across sign-ins and re-authentications, which rotate the CSRF secret. So it keeps its own
cookie (``COGNITO_PENDING_COOKIE_NAME``), sealed like the journey state by
:mod:`cognito_forms.sealed_cookies` and bound to the user (``sub``) instead of the browser:
:func:`load` and :func:`save`.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponseBase

from . import sealed_cookies
from .conf import app_settings

PENDING_PURPOSE = "pending-attribute"
#: Cognito's attribute verification codes are valid for 24 hours.
PENDING_MAX_AGE = 24 * 3600
#: The attributes that wait for a code (flows/profile.py VERIFIABLE).
PENDING_ATTRIBUTES = ("email", "phone_number")


@dataclass(frozen=True)
class PendingChanges:
    """User ``sub``'s new email / phone number waiting for their codes; ``refused`` are those
    Cognito would not take (another account has them: no code exists, docs/security.md S10)."""

    sub: str
    values: Mapping[str, str] = field(default_factory=dict)
    refused: frozenset[str] = frozenset()

    def with_value(self, attribute: str, value: str, *, refused: bool) -> PendingChanges:
        others = self.refused - {attribute}
        return PendingChanges(
            self.sub,
            {**self.values, attribute: value},
            others | {attribute} if refused else others,
        )

    def without(self, attribute: str) -> PendingChanges:
        values = {k: v for k, v in self.values.items() if k != attribute}
        return PendingChanges(self.sub, values, self.refused - {attribute})


def _read_pending(request: HttpRequest, sub: str) -> dict[str, Any]:
    try:
        sealed = sealed_cookies.read_chunked(request, app_settings.PENDING_COOKIE_NAME)
        if sealed is None:
            return {}
        data = json.loads(sealed_cookies.unseal(sealed, PENDING_PURPOSE))
    except (sealed_cookies.CookieInvalid, ValueError):
        return {}
    # Bound to the user: another account signing in on this browser sees nothing.
    if not isinstance(data, dict) or data.get("sub") != sub or not isinstance(data.get("v"), dict):
        return {}
    return data


def load(request: HttpRequest, sub: str) -> PendingChanges:
    """Pending changes of user ``sub`` (empty when none, foreign or tampered with)."""
    data = _read_pending(request, sub)
    values = data.get("v") or {}
    flags = data.get("r")
    refused = (
        {str(k) for k, v in flags.items() if v == "1" and k in PENDING_ATTRIBUTES}
        if isinstance(flags, dict)
        else set()
    )
    return PendingChanges(
        sub,
        {str(k): str(v) for k, v in values.items() if k in PENDING_ATTRIBUTES},
        frozenset(refused),
    )


def save(response: HttpResponseBase, request: HttpRequest, pending: PendingChanges) -> None:
    if not pending.values:
        sealed_cookies.clear_chunked(response, request, app_settings.PENDING_COOKIE_NAME)
        return
    refused: Collection[str] = pending.refused
    # One flag of one character per pending value: the sealed cookie (AES-GCM keeps lengths)
    # is exactly as long for a refused address as for an accepted one (S10).
    flags = {name: "1" if name in refused else "0" for name in pending.values}
    payload = json.dumps({"sub": pending.sub, "v": dict(pending.values), "r": flags})
    sealed = sealed_cookies.seal(payload.encode("utf-8"), PENDING_PURPOSE)
    sealed_cookies.write_chunked(
        response, request, app_settings.PENDING_COOKIE_NAME, sealed, PENDING_MAX_AGE
    )
