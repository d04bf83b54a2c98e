"""Refreshing a browser's tokens, once, however many requests and processes ask at once.

Single-flight through the shared cache: the first request to need a refresh takes a lock
(``cache.add``) keyed by a hash of the refresh token, calls GetTokensFromRefreshToken and
leaves the sealed result in the cache for a short while; concurrent or late requests carrying
the same refresh token wait for, and reuse, that result. So one browser makes one Cognito call
per access-token lifetime, and a late request sets the same (never older) cookies.

With the shared cache away there is no lock to share, and refreshing without one would rotate
the refresh token once per parallel request: a late request would then present a dead token
and be signed out as a reuse. So the refresh waits ("transient"): a request whose access token
is still valid is served, an expired one gets a 503 with Retry-After, the cookies are kept
(docs/production.md "When Redis or the database is away").
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from typing import Any, Literal

from django.core.cache import caches
from django.http import HttpRequest

from .. import cookies, gateway, tokens
from ..conf import app_settings
from ..exceptions import (
    CacheUnavailable,
    CognitoFormsError,
    InvalidParameter,
    KeysUnavailable,
    NotAuthorized,
    RefreshTokenReuse,
    TokenError,
    UserNotFound,
)
from ..outages import cache_errors
from ..security_log import log_event
from ..tokens import verify_pair

#: How long the lock may be held (the gateway's whole retry budget fits in it).
LOCK_SECONDS = 20
#: Waiters poll this often for the leader's result.
POLL_SECONDS = 0.05
RESULT_PURPOSE = "refresh-result"

Status = Literal["ok", "dead", "transient"]


@dataclass(frozen=True)
class RefreshOutcome:
    """``ok``: new ``state``; ``dead``: sign in again; ``transient``: keep cookies, retry later."""

    status: Status
    state: cookies.SessionCookies | None = field(default=None, repr=False)
    id_claims: dict[str, Any] | None = field(default=None, repr=False)
    #: True in the one request that called Cognito (it syncs the local user).
    leader: bool = False
    retry_after: int = 5


def _keys(refresh_token: str) -> tuple[str, str]:
    digest = hashlib.sha256(refresh_token.encode("utf-8")).hexdigest()
    return f"cognito_forms:refresh:lock:{digest}", f"cognito_forms:refresh:result:{digest}"


def _store(result_key: str, outcome: RefreshOutcome) -> None:
    if outcome.status == "transient":
        return  # the next request may try again
    payload: dict[str, Any] = {"status": outcome.status}
    if outcome.state is not None:
        payload["state"] = json.loads(outcome.state.to_json())
    # Tokens at rest in a shared cache are sealed like the cookies.
    sealed = cookies.seal(json.dumps(payload).encode("utf-8"), RESULT_PURPOSE)
    try:
        with cache_errors("refresh"):
            caches[app_settings.CACHE_ALIAS].set(
                result_key, sealed, app_settings.REFRESH_RESULT_SECONDS
            )
    except CacheUnavailable:
        pass  # this request still gets its new tokens; the others wait for the cache


def _load(result_key: str) -> RefreshOutcome | None:
    with cache_errors("refresh"):
        sealed = caches[app_settings.CACHE_ALIAS].get(result_key)
    if not isinstance(sealed, str):
        return None
    try:
        payload = json.loads(cookies.unseal(sealed, RESULT_PURPOSE))
        if payload.get("status") == "dead":
            return RefreshOutcome("dead")
        state = cookies.SessionCookies.from_json(json.dumps(payload["state"]).encode("utf-8"))
        id_claims, _ = verify_pair(state.id_token, state.access_token)
    except KeysUnavailable:
        return RefreshOutcome("transient")
    except (cookies.CookieInvalid, TokenError, ValueError, KeyError, TypeError):
        return None
    return RefreshOutcome("ok", state=state, id_claims=id_claims)


def _call_cognito(request: HttpRequest, state: cookies.SessionCookies, sub: str) -> RefreshOutcome:
    assert state.refresh_token
    try:
        new = gateway.refresh(refresh_token=state.refresh_token)
    except (NotAuthorized, RefreshTokenReuse, UserNotFound, InvalidParameter) as error:
        # Revoked, expired, signed out everywhere, or a reused rotated token: sign in again.
        event = "refresh_reuse" if isinstance(error, RefreshTokenReuse) else "refresh_failed"
        log_event(request, event, sub=sub, reason=error.code)
        return RefreshOutcome("dead")
    except CognitoFormsError as error:
        log_event(request, "refresh_failed", sub=sub, reason=error.code)
        # Throttled, unreachable or failing (5xx): keep the cookies, never sign anyone out.
        return RefreshOutcome("transient")
    new = new.with_refresh_token(state.refresh_token)
    try:
        id_claims, _ = verify_pair(new.id_token, new.access_token)
    except KeysUnavailable:
        return RefreshOutcome("transient")
    except TokenError as error:
        log_event(request, "token_rejected", sub=sub, reason=f"refreshed:{error.reason}")
        return RefreshOutcome("dead")
    if id_claims.get("sub") != sub:
        log_event(request, "token_rejected", sub=sub, reason="refreshed:subject_changed")
        return RefreshOutcome("dead")
    fresh = cookies.SessionCookies(
        id_token=new.id_token,
        access_token=new.access_token,
        refresh_token=new.refresh_token,
        # The absolute lifetime counts from the first sign-in: refresh never extends it.
        auth_time=state.auth_time,
        family=state.family,
        written_at=time.time(),
        # Cognito just vouched for the session: the periodic revalidation starts over.
        validated_at=tokens.now(),
    )
    return RefreshOutcome("ok", state=fresh, id_claims=id_claims, leader=True)


def refresh_session(
    request: HttpRequest, state: cookies.SessionCookies, *, sub: str
) -> RefreshOutcome:
    """New tokens for ``state`` (its refresh token must be set), single-flight."""
    assert state.refresh_token
    try:
        return _single_flight(request, state, sub)
    except CacheUnavailable:
        # No shared lock: refreshing anyway could sign the user out (see the module's doc).
        log_event(request, "refresh_failed", sub=sub, reason="shared_cache_unavailable")
        return RefreshOutcome("transient")


def _single_flight(request: HttpRequest, state: cookies.SessionCookies, sub: str) -> RefreshOutcome:
    assert state.refresh_token
    cache = caches[app_settings.CACHE_ALIAS]
    lock_key, result_key = _keys(state.refresh_token)
    deadline = time.monotonic() + app_settings.REFRESH_WAIT_SECONDS
    while True:
        done = _load(result_key)
        if done is not None:
            return done
        with cache_errors("refresh"):
            leader = cache.add(lock_key, 1, timeout=LOCK_SECONDS)
        if leader:
            try:
                # Re-check: the previous leader may have finished between _load and add.
                done = _load(result_key)
                if done is not None:
                    return done
                outcome = _call_cognito(request, state, sub)
                _store(result_key, outcome)
                return outcome
            finally:
                try:
                    with cache_errors("refresh"):
                        cache.delete(lock_key)
                except CacheUnavailable:
                    pass  # the lock expires by itself (LOCK_SECONDS)
        if time.monotonic() >= deadline:
            return RefreshOutcome("transient")
        time.sleep(POLL_SECONDS)
