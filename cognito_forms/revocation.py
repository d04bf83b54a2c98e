"""The deny list of signed-out sessions, in the shared cache.

Tokens verify locally, so a copy of the cookies would stay valid until the access token
expires even after Cognito revoked the refresh token. Sign-out therefore records the session's
token family (``origin_jti``) and "sign out everywhere" records the user's sign-out time; the
middleware treats a matching session as anonymous.

Cognito's ``auth_time`` counts whole seconds, so a session that began in the very second of a
"sign out everywhere" cannot be told apart from one that began just before it by time alone:
every such session is denied (docs/security.md S4), except the browser that made the change and
signed in again at once, which is *spared* by its token family (:func:`spare_family`).

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
from collections.abc import Callable

from django.core.cache import caches

from . import outages, tokens
from .conf import app_settings
from .exceptions import CacheUnavailable
from .process_memo import MISSING, ProcessMemo

logger = logging.getLogger(__name__)

_families = ProcessMemo()  # family -> (revoked?, spared?)
_users = ProcessMemo()  # sub -> time of the last "sign out everywhere", or 0


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.encode("utf-8")).hexdigest()[:32]
    return f"cognito_forms:revoked:{kind}:{digest}"


def _now() -> int:
    # The verifier's clock: the one auth_time and exp are read against (tests move it).
    return int(tokens.now())


def _lifetime(auth_time: int) -> int:
    # Long enough to outlive every token of the session: its absolute lifetime, at least an hour.
    remaining = auth_time + app_settings.SESSION_MAX_AGE - _now()
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
        _families.set(family, (True, False))
        cache = caches[app_settings.CACHE_ALIAS]
        _record(lambda: cache.set(_key("family", family), 1, _lifetime(auth_time)))


def revoke_user_sessions(sub: str) -> None:
    """Deny every session of ``sub`` that began before now or in this very second."""
    timeout = max(3600, app_settings.SESSION_MAX_AGE)
    signed_out_at = _now()
    _users.set(sub, signed_out_at)
    cache = caches[app_settings.CACHE_ALIAS]
    _record(lambda: cache.set(_key("user", sub), signed_out_at, timeout))


def spare_family(family: str, *, auth_time: int) -> None:
    """Let the session ``family`` survive a sign-out everywhere recorded in its own first second.

    Only for the browser that made the change and signed in again right after it (password
    change or reset with "sign out everywhere"): the new session's ``auth_time`` may fall in
    the very second of the sign-out, which denies every other session of that second.
    """
    if family:
        _families.set(family, (False, True))
        cache = caches[app_settings.CACHE_ALIAS]
        _record(lambda: cache.set(_key("spared", family), 1, _lifetime(auth_time)))


def _last_known(family: str, sub: str) -> tuple[tuple[bool, bool], int]:
    """The deny list as this process last saw it, while the shared cache is away.

    Fails open for a bounded time, then closed (CacheUnavailable: a 503 page), never into a
    silent sign-out that would send the user round between sign-in and the page.
    """
    if outages.outage_seconds("deny list") >= app_settings.REVOCATION_FAIL_OPEN_SECONDS:
        raise CacheUnavailable("deny list")
    remembered = _families.get(family, math.inf) if family else (False, False)
    stored = _users.get(sub, math.inf)
    known = remembered if isinstance(remembered, tuple) else (False, False)
    return known, stored if isinstance(stored, int) else 0


def is_revoked(*, family: str, sub: str, auth_time: int) -> bool:
    """At most one shared-cache round trip for both lists (none when memoised)."""
    ttl = app_settings.REVOCATION_CHECK_SECONDS
    remembered = _families.get(family, ttl) if family else (False, False)
    signed_out_at = _users.get(sub, ttl)
    if remembered is MISSING or signed_out_at is MISSING:
        user_key = _key("user", sub)
        keys = [user_key]
        if family:
            keys += [_key("family", family), _key("spared", family)]
        try:
            with outages.cache_errors("deny list"):
                found = caches[app_settings.CACHE_ALIAS].get_many(keys)
        except CacheUnavailable:
            remembered, signed_out_at = _last_known(family, sub)
        else:
            outages.recovered("deny list")
            remembered = (
                bool(family and found.get(keys[1])),
                bool(family and found.get(keys[2])),
            )
            stored = found.get(user_key)
            signed_out_at = stored if isinstance(stored, int) else 0
            if family:
                _families.set(family, remembered)
            _users.set(sub, signed_out_at)
    revoked, spared = remembered
    if revoked:
        return True
    if not signed_out_at or auth_time > signed_out_at:
        return False
    # Began in the very second of the sign-out (whole seconds): only the acting browser stays.
    return not (auth_time == signed_out_at and spared)
