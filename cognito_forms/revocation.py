"""The deny list of signed-out sessions, in the shared cache.

Tokens verify locally, so a copy of the cookies would stay valid until the access token
expires even after Cognito revoked the refresh token. Sign-out therefore records the session's
token family (``origin_jti``) and "sign out everywhere" records the user's sign-out time; the
middleware treats a matching session as anonymous.

The answer for a session is memoised in this process for ``COGNITO_REVOCATION_CHECK_SECONDS``
(2 s by default), so a burst of page views costs one shared-cache round trip, not one each. A
sign-out takes effect at once in the process that handled it and within that many seconds in
every other worker; 0 checks the shared cache on every request.
"""

from __future__ import annotations

import hashlib
import time

from django.core.cache import caches

from .conf import app_settings
from .process_memo import MISSING, ProcessMemo

_families = ProcessMemo()  # family -> revoked?
_users = ProcessMemo()  # sub -> time of the last "sign out everywhere", or 0


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
        _families.set(family, True)


def revoke_user_sessions(sub: str) -> None:
    """Deny every session of ``sub`` that began before now (sign out everywhere)."""
    timeout = max(3600, app_settings.SESSION_MAX_AGE)
    signed_out_at = int(time.time())
    caches[app_settings.CACHE_ALIAS].set(_key("user", sub), signed_out_at, timeout)
    _users.set(sub, signed_out_at)


def is_revoked(*, family: str, sub: str, auth_time: int) -> bool:
    """At most one shared-cache round trip for both lists (none when memoised)."""
    ttl = app_settings.REVOCATION_CHECK_SECONDS
    revoked = _families.get(family, ttl) if family else False
    signed_out_at = _users.get(sub, ttl)
    if revoked is MISSING or signed_out_at is MISSING:
        user_key = _key("user", sub)
        keys = [_key("family", family), user_key] if family else [user_key]
        found = caches[app_settings.CACHE_ALIAS].get_many(keys)
        revoked = bool(family and found.get(keys[0]))
        stored = found.get(user_key)
        signed_out_at = stored if isinstance(stored, int) else 0
        if family:
            _families.set(family, revoked)
        _users.set(sub, signed_out_at)
    if revoked:
        return True
    # A sign-in in the very second of the sign-out survives: auth_time has one-second steps.
    return bool(signed_out_at) and auth_time < signed_out_at
