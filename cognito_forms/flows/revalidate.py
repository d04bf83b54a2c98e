"""Checking now and then with Cognito that a session still stands (docs/security.md S5).

Tokens verify locally, so a user disabled, deleted or signed out everywhere outside the site
(the AWS console or CLI: AdminDisableUser, AdminDeleteUser, AdminUserGlobalSignOut) would stay
signed in here until the access token expires: the site's deny list never hears of those
changes. So every ``COGNITO_REVALIDATE_SECONDS`` a session is checked with GetUser, which needs
nothing but the session's own access token (no client secret, no AWS credentials) and answers
``NotAuthorizedException`` ("Access Token has been revoked", "User is disabled.") or
``UserNotFoundException`` for a session that is over.

When Cognito last vouched for the session (sign-in, refresh, or this check) is in its sealed
cookie, so a page view between checks costs a comparison: no Cognito call, no cache read. A due
check is single-flight across processes through the shared cache, like the refresh: the first
request takes a lock per token family and calls GetUser; requests that come meanwhile are
served without waiting, and later ones still carrying the old cookie reuse the answer, which the
cache keeps for one interval. A Cognito that is away or throttling never signs anyone out: the
request is served and the check is tried again at the next interval.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import math
from dataclasses import dataclass, field

from django.core.cache import caches
from django.http import HttpRequest

from .. import cookies, gateway, revocation, tokens
from ..conf import app_settings
from ..exceptions import CognitoFormsError, NotAuthorized, UserNotFound
from ..security_log import log_event
from .refresh import SignInAgain

#: How long the lock may be held (the gateway's whole retry budget fits in it).
LOCK_SECONDS = 20


@dataclass(frozen=True)
class Vouched:
    """Cognito (or another request a moment ago) vouched for the session: carry on with
    ``state``, whose new ``validated_at`` goes into the cookie."""

    state: cookies.SessionCookies = field(repr=False)


@dataclass(frozen=True)
class Busy:
    """Another request is checking right now: serve this one as it is."""


#: ``SignInAgain``: the session is over (already deny-listed).
Revalidation = Vouched | Busy | SignInAgain


def due(state: cookies.SessionCookies) -> bool:
    """Is it time to ask Cognito about this session? (No I/O: the cookie knows.)"""
    interval = app_settings.REVALIDATE_SECONDS
    return bool(interval) and tokens.now() - state.validated_at >= interval


def _keys(state: cookies.SessionCookies) -> tuple[str, str]:
    # Per sign-in (token family): a refresh changes the access token, not the session.
    digest = hashlib.sha256((state.family or state.access_token).encode("utf-8")).hexdigest()
    return f"cognito_forms:revalidate:lock:{digest}", f"cognito_forms:revalidate:done:{digest}"


def _recent(checked: object, now: float, interval: float) -> bool:
    return isinstance(checked, int | float) and 0 <= now - checked < interval


def revalidate(request: HttpRequest, state: cookies.SessionCookies, *, sub: str) -> Revalidation:
    """GetUser with the session's access token, at most once per interval per session."""
    interval = app_settings.REVALIDATE_SECONDS
    cache = caches[app_settings.CACHE_ALIAS]
    lock_key, done_key = _keys(state)
    now = tokens.now()
    checked = cache.get(done_key)
    if _recent(checked, now, interval):
        # Another request (any process) asked Cognito a moment ago.
        return Vouched(dataclasses.replace(state, validated_at=float(checked)))
    if not cache.add(lock_key, 1, timeout=LOCK_SECONDS):
        return Busy()
    try:
        checked = cache.get(done_key)
        if _recent(checked, now, interval):
            return Vouched(dataclasses.replace(state, validated_at=float(checked)))
        try:
            gateway.get_user(access_token=state.access_token)
        except (NotAuthorized, UserNotFound) as error:
            # Revoked, disabled or deleted outside the site: this session is over everywhere.
            revocation.revoke_family(state.family, auth_time=state.auth_time)
            log_event(request, "session_ended_elsewhere", sub=sub, reason=error.code)
            return SignInAgain()
        except CognitoFormsError as error:
            # Away, throttled or failing: never a sign-out; asked again at the next interval.
            log_event(
                request, "revalidation_failed", sub=sub, reason=error.code, level=logging.WARNING
            )
        cache.set(done_key, now, timeout=max(1, math.ceil(interval)))
        return Vouched(dataclasses.replace(state, validated_at=now))
    finally:
        cache.delete(lock_key)
