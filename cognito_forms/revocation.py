"""The deny list of signed-out sessions, in the shared cache.

Tokens verify locally, so a copy of the cookies would stay valid until the access token
expires even after Cognito revoked the refresh token. Sign-out therefore records the session's
token family (``origin_jti``) and "sign out everywhere" records the user's sign-out time; the
middleware treats a matching session as anonymous.

The answer for a session is memoised in this process for ``COGNITO_REVOCATION_CHECK_SECONDS``
(2 s by default), so a burst of page views costs one shared-cache round trip, not one each. A
sign-out takes effect at once in the process that handled it and within that many seconds in
every other worker; 0 checks the shared cache on every request.

With the shared cache away (docs/production.md "When Redis or the database is away"), reads
fail open for ``COGNITO_REVOCATION_FAIL_OPEN_SECONDS`` on the last answer this process saw,
however old (a session it knows nothing about counts as not signed out), then closed: a 503,
never a silent sign-out. A sign-out still takes effect in its own process and at Cognito.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from collections.abc import Callable

from django.core.cache import caches

from . import outages
from .conf import app_settings
from .exceptions import CacheUnavailable
from .process_memo import MISSING, ProcessMemo

logger = logging.getLogger(__name__)

_families = ProcessMemo()  # family -> revoked?
_users = ProcessMemo()  # sub -> time of the last "sign out everywhere", or 0


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.encode("utf-8")).hexdigest()[:32]
    return f"cognito_forms:revoked:{kind}:{digest}"


def _lifetime(auth_time: int) -> int:
    # Long enough to outlive every token of the session: its absolute lifetime, at least an hour.
    remaining = auth_time + app_settings.SESSION_MAX_AGE - int(time.time())
    return max(3600, remaining)


def _record(write: Callable[[], object]) -> None:
    try:
        with outages.cache_errors("deny list"):
            write()
    except CacheUnavailable:
        # The sign-out goes on: cookies cleared, refresh token revoked at Cognito, and this
        # process denies the session. Only a copy of the cookies replayed to another worker
        # lives on, until its access token expires (docs/production.md).
        logger.error("a sign-out could not be put on the shared deny list")


def revoke_family(family: str, *, auth_time: int) -> None:
    """Deny every token of one sign-in (cookie replays included)."""
    if family:
        _families.set(family, True)
        cache = caches[app_settings.CACHE_ALIAS]
        _record(lambda: cache.set(_key("family", family), 1, _lifetime(auth_time)))


def revoke_user_sessions(sub: str) -> None:
    """Deny every session of ``sub`` that began before now (sign out everywhere)."""
    timeout = max(3600, app_settings.SESSION_MAX_AGE)
    signed_out_at = int(time.time())
    _users.set(sub, signed_out_at)
    cache = caches[app_settings.CACHE_ALIAS]
    _record(lambda: cache.set(_key("user", sub), signed_out_at, timeout))


def _last_known(family: str, sub: str) -> tuple[bool, int]:
    """The deny list as this process last saw it, while the shared cache is away.

    Fails open for a bounded time, then closed (CacheUnavailable: a 503 page), never into a
    silent sign-out that would send the user round between sign-in and the page.
    """
    if outages.outage_seconds("deny list") >= app_settings.REVOCATION_FAIL_OPEN_SECONDS:
        raise CacheUnavailable("deny list")
    revoked = _families.get(family, math.inf) if family else False
    stored = _users.get(sub, math.inf)
    return revoked is True, stored if isinstance(stored, int) else 0


def is_revoked(*, family: str, sub: str, auth_time: int) -> bool:
    """At most one shared-cache round trip for both lists (none when memoised)."""
    ttl = app_settings.REVOCATION_CHECK_SECONDS
    revoked = _families.get(family, ttl) if family else False
    signed_out_at = _users.get(sub, ttl)
    if revoked is MISSING or signed_out_at is MISSING:
        user_key = _key("user", sub)
        keys = [_key("family", family), user_key] if family else [user_key]
        try:
            with outages.cache_errors("deny list"):
                found = caches[app_settings.CACHE_ALIAS].get_many(keys)
        except CacheUnavailable:
            revoked, signed_out_at = _last_known(family, sub)
        else:
            outages.recovered("deny list")
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
