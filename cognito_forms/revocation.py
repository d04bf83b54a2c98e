"""The deny list of signed-out sessions, in the shared cache.

Tokens verify locally, so a copy of the cookies would stay valid until the access token
expires even after Cognito revoked the refresh token. Sign-out therefore records the session's
token family (``origin_jti``) and "sign out everywhere" records the user's sign-out time; the
middleware treats a matching session as anonymous.
"""

from __future__ import annotations

import hashlib
import time

from django.core.cache import caches

from .conf import app_settings


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.encode("utf-8")).hexdigest()[:32]
    return f"cognito_forms:revoked:{kind}:{digest}"


def _lifetime(auth_time: int) -> int:
    # Long enough to outlive every token of the session: its absolute lifetime, at least an hour.
    remaining = auth_time + app_settings.SESSION_MAX_AGE - int(time.time())
    return max(3600, remaining)


def revoke_family(family: str, *, auth_time: int) -> None:
    """Deny every token of one sign-in (cookie replays included)."""
    if family:
        caches[app_settings.CACHE_ALIAS].set(_key("family", family), 1, _lifetime(auth_time))


def revoke_user_sessions(sub: str) -> None:
    """Deny every session of ``sub`` that began before now (sign out everywhere)."""
    timeout = max(3600, app_settings.SESSION_MAX_AGE)
    caches[app_settings.CACHE_ALIAS].set(_key("user", sub), int(time.time()), timeout)


def is_revoked(*, family: str, sub: str, auth_time: int) -> bool:
    """One cache round trip for both lists."""
    keys = [_key("family", family), _key("user", sub)] if family else [_key("user", sub)]
    found = caches[app_settings.CACHE_ALIAS].get_many(keys)
    if family and found.get(keys[0]):
        return True
    signed_out_at = found.get(_key("user", sub))
    # A sign-in in the very second of the sign-out survives: auth_time has one-second steps.
    return isinstance(signed_out_at, int) and auth_time < signed_out_at
