"""Refreshing a browser's tokens, once, however many requests and processes ask at once.

Single-flight through the shared cache: the first request to need a refresh takes a lock
(``cache.add``) keyed by a hash of the refresh token, calls GetTokensFromRefreshToken and
leaves the sealed result in the cache for a short while; concurrent or late requests carrying
the same refresh token wait for, and reuse, that result. So one browser makes one Cognito call
per access-token lifetime, and a late request sets the same (never older) cookies.

With the shared cache away there is no lock to share, and refreshing without one would rotate
the refresh token once per parallel request: a late request would then present a dead token
and be signed out as a reuse. So the refresh waits (:class:`TryLater`): a request whose access token
is still valid is served, an expired one gets a 503 with Retry-After, the cookies are kept
(docs/production.md "When Redis or the database is away").
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import caches
from django.db import DatabaseError
from django.http import HttpRequest

from .. import backends, cookies, gateway, request_auth, sealed_cookies, tokens
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
from ..signals import tokens_refreshed
from ..tokens import verify_pair

logger = logging.getLogger(__name__)

#: How long the lock may be held (the gateway's whole retry budget fits in it).
LOCK_SECONDS = 20
#: Waiters poll this often for the leader's result.
POLL_SECONDS = 0.05
RESULT_PURPOSE = "refresh-result"


@dataclass(frozen=True)
class Refreshed:
    """New tokens: ``state`` for the cookies, ``claims`` its verified ID-token claims."""

    state: cookies.SessionCookies = field(repr=False)
    claims: dict[str, Any] = field(repr=False)
    #: True in the one request that called Cognito (it syncs the local user).
    leader: bool = False
    access_claims: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class SignInAgain:
    """The session is over (revoked, expired, reused, disabled): clear the cookies."""


@dataclass(frozen=True)
class TryLater:
    """Cognito, the keys or the shared lock are away: keep the cookies, try again later."""

    retry_after: int = 5


RefreshOutcome = Refreshed | SignInAgain | TryLater


def _keys(refresh_token: str) -> tuple[str, str]:
    digest = hashlib.sha256(refresh_token.encode("utf-8")).hexdigest()
    return f"cognito_forms:refresh:lock:{digest}", f"cognito_forms:refresh:result:{digest}"


def _store(result_key: str, outcome: RefreshOutcome) -> None:
    if isinstance(outcome, TryLater):
        return  # the next request may try again
    payload: dict[str, Any] = {"status": "dead"}
    if isinstance(outcome, Refreshed):
        payload = {"status": "ok", "state": json.loads(outcome.state.to_json())}
    # Tokens at rest in a shared cache are sealed like the cookies.
    sealed = sealed_cookies.seal(json.dumps(payload).encode("utf-8"), RESULT_PURPOSE)
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
        payload = json.loads(sealed_cookies.unseal(sealed, RESULT_PURPOSE))
        if payload.get("status") == "dead":
            return SignInAgain()
        state = cookies.SessionCookies.from_json(json.dumps(payload["state"]).encode("utf-8"))
        id_claims, access_claims = verify_pair(state.id_token, state.access_token)
    except KeysUnavailable:
        return TryLater()
    except (cookies.CookieInvalid, TokenError, ValueError, KeyError, TypeError):
        return None
    return Refreshed(state, id_claims, access_claims=access_claims)


def _call_cognito(request: HttpRequest, state: cookies.SessionCookies, sub: str) -> RefreshOutcome:
    assert state.refresh_token
    try:
        new = gateway.refresh(refresh_token=state.refresh_token)
    except (NotAuthorized, RefreshTokenReuse, UserNotFound, InvalidParameter) as error:
        # Revoked, expired, signed out everywhere, or a reused rotated token: sign in again.
        event = "refresh_reuse" if isinstance(error, RefreshTokenReuse) else "refresh_failed"
        log_event(request, event, sub=sub, reason=error.code)
        return SignInAgain()
    except CognitoFormsError as error:
        log_event(request, "refresh_failed", sub=sub, reason=error.code)
        # Throttled, unreachable or failing (5xx): keep the cookies, never sign anyone out.
        return TryLater()
    new = new.with_refresh_token(state.refresh_token)
    try:
        id_claims, access_claims = verify_pair(new.id_token, new.access_token)
    except KeysUnavailable:
        return TryLater()
    except TokenError as error:
        log_event(request, "token_rejected", sub=sub, reason=f"refreshed:{error.reason}")
        return SignInAgain()
    if id_claims.get("sub") != sub:
        log_event(request, "token_rejected", sub=sub, reason="refreshed:subject_changed")
        return SignInAgain()
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
    return Refreshed(fresh, id_claims, leader=True, access_claims=access_claims)


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
        return TryLater()


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
            return TryLater()
        time.sleep(POLL_SECONDS)


def apply_refresh(request: HttpRequest, outcome: Refreshed) -> None:
    """The new tokens become this request's session, wherever the refresh happened.

    ``request.cognito`` carries them and the middleware writes them as cookies on the way out
    (even on an error page: the refresh token may have rotated). The request that called
    Cognito (the leader) syncs the local user from the new ID token and sends
    ``tokens_refreshed``; the others reuse its result and have nothing new to sync.
    """
    auth = request_auth.of(request)
    auth.write(outcome.state)
    auth.signed_in(outcome.state, outcome.claims, outcome.access_claims)
    if not outcome.leader:
        return
    try:
        user = backends.user_for_claims(outcome.claims, sync=True)
    except DatabaseError:
        # Best effort: the new tokens are Cognito's word already, and the cookies must carry
        # them; a database refusing the write for a moment must not sign the user out.
        logger.warning("could not sync the local user after a refresh; kept the session")
    else:
        if user is not None and backends.can_authenticate(user):
            request.user = user  # type: ignore[assignment]
    from ..middleware import CognitoAuthenticationMiddleware  # the documented sender

    tokens_refreshed.send(sender=CognitoAuthenticationMiddleware, request=request, sub=auth.sub)


def refresh_now(request: HttpRequest) -> bool:
    """Refresh this request's session now (a change Cognito puts in the ID token was made).

    Goes through the same single-flight refresh as the middleware, so the new cookies are the
    ones a concurrent request would get. False when it could not (the old cookies are kept).
    """
    auth = request_auth.of(request)
    state = auth.session
    if state is None or not state.refresh_token or not auth.sub:
        return False
    outcome = refresh_session(request, state, sub=auth.sub)
    if not isinstance(outcome, Refreshed):
        return False
    apply_refresh(request, outcome)
    return True
