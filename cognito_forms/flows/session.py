"""Starting and ending a signed-in session: the token cookies are the session.

``start`` is how every successful authentication completes (password, MFA, new password,
passwordless); ``end`` ends the session here and at Cognito; ``end_every_session`` is the
one way any path signs a user out everywhere.
"""

from __future__ import annotations

import functools
import logging
import secrets
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import authenticate, logout, user_logged_in
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponseBase
from django.middleware.csrf import rotate_token
from django.utils.cache import add_never_cache_headers

from .. import cookies, gateway, remembered_email, request_auth, revocation
from ..exceptions import CognitoFormsError, NotAuthorized, SharedStateUnavailable, TokenError
from ..security_log import log_event
from ..tokens import now as token_clock
from ..tokens import verify_pair
from ..types import TokenSet

logger = logging.getLogger(__name__)


def start(
    request: HttpRequest,
    response: HttpResponseBase,
    tokens: TokenSet,
    *,
    after_signing_out_everywhere: bool = False,
) -> AbstractBaseUser:
    """Verify ``tokens``, start the session on ``response`` and return the local user.

    Every pre-existing auth cookie (token chunks, flow state, a Django session) is replaced,
    the CSRF token rotated, the local user linked and synced from the ID token, and
    ``user_logged_in`` sent; ``request.user`` is the new user afterwards. Raises
    :class:`TokenError` (tokens did not verify; ``KeysUnavailable`` is a 503) or
    :class:`NotAuthorized` (the local user is inactive).

    ``after_signing_out_everywhere``: this browser just ended every session of the user
    (:func:`end_every_session`) and signed in again; its new session survives that sign-out
    even when it began in the same second (docs/security.md S4).
    """
    id_claims, access_claims = verify_pair(tokens.id_token, tokens.access_token)
    # The backend verifies the tokens again (from the per-process claims cache): it trusts
    # nothing it is handed.
    user = authenticate(request, cognito_tokens=tokens)
    if user is None:
        log_event(request, "signin_failed", sub=id_claims["sub"], reason="inactive_local_user")
        raise NotAuthorized("inactive local user")
    auth_time = id_claims.get("auth_time")
    state = cookies.SessionCookies(
        id_token=tokens.id_token,
        access_token=tokens.access_token,
        refresh_token=tokens.refresh_token,
        auth_time=auth_time if isinstance(auth_time, int) else int(id_claims["iat"]),
        family=str(
            access_claims.get("origin_jti")
            or id_claims.get("origin_jti")
            or secrets.token_urlsafe(16)
        ),
        written_at=time.time(),
        validated_at=token_clock(),
    )
    if after_signing_out_everywhere:
        revocation.spare_family(state.family, auth_time=state.auth_time)
    # Session fixation: nothing from before sign-in survives (C5).
    if settings.SESSION_COOKIE_NAME in request.COOKIES and hasattr(request, "session"):
        request.session.flush()
    cookies.write_session(response, request, state)
    cookies.clear_state(response, request)
    auth = request_auth.of(request)
    auth.handled()
    auth.signed_in(state, id_claims, access_claims)
    rotate_token(request)
    add_never_cache_headers(response)
    request.user = user
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    log_event(request, "signin_ok", sub=id_claims["sub"])
    return user


def end(request: HttpRequest, response: HttpResponseBase, *, everywhere: bool = False) -> None:
    """End the session: deny-list it, revoke it at Cognito, clear every cookie.

    ``everywhere`` also ends the user's other sessions (GlobalSignOut). A Cognito failure is
    logged and never keeps anyone signed in: the local deny list and the cleared cookies
    suffice until the tokens expire.
    """
    state = request_auth.of(request).session
    if state is None:
        try:
            state = cookies.read_session(request)
        except cookies.CookieInvalid:
            state = None
    sub: str | None = None
    if state is not None:
        try:
            id_claims, _ = verify_pair(state.id_token, state.access_token, allow_expired=True)
            sub = str(id_claims["sub"])
        except TokenError:
            sub = None
        # Local deny list first: replayed cookies are anonymous even if Cognito is down.
        revocation.revoke_family(state.family, auth_time=state.auth_time)
        if everywhere and sub:
            everywhere_call = functools.partial(
                end_every_session, sub, access_token=state.access_token
            )
            _cognito(request, "GlobalSignOut", sub, everywhere_call)
        if state.refresh_token:
            _cognito(request, "RevokeToken", sub, gateway.revoke, refresh_token=state.refresh_token)
    try:
        logout(request)  # user_logged_out, Django session flushed, request.user anonymous
    except (SharedStateUnavailable, DatabaseError):
        # The database is away: the local user and a Django session cannot be touched, but
        # the session still ends (docs/production.md "When Redis or the database is away").
        logger.warning("signed out without the database: user_logged_out not sent")
        request.user = AnonymousUser()
    cookies.clear_session(response, request)
    cookies.clear_state(response, request)
    # The next person at this browser must not find the address filled in, even where the
    # browser ignores Clear-Site-Data (docs/security.md S11).
    remembered_email.forget(response, request)
    auth = request_auth.of(request)
    auth.handled()
    auth.anonymous()
    # Ask the browser to drop every cookie of the site too (chunks we did not see included).
    response["Clear-Site-Data"] = '"cookies"'
    add_never_cache_headers(response)
    log_event(request, "signout_everywhere" if everywhere else "signout", sub=sub)


def end_every_session(sub: str, *, access_token: str = "", username: str = "") -> None:
    """End every session of ``sub``, at Cognito and at once on this site (docs/security.md S2).

    Every path that signs a user out everywhere comes through here: "sign out of all
    devices", a password change or reset that ends the other sessions, the admin's action.
    Cognito's GlobalSignOut (with the user's ``access_token``) or AdminUserGlobalSignOut (with
    ``username``, AWS credentials) only stops the refresh tokens: the access tokens keep
    verifying here until they expire, so the site's deny list records the sign-out first,
    and holds even when the Cognito call then fails (its error is raised to the caller).
    """
    revocation.revoke_user_sessions(sub)
    if username:
        gateway.admin_user_global_sign_out(username=username)
    else:
        gateway.global_sign_out(access_token=access_token)


def _cognito(
    request: HttpRequest, name: str, sub: str | None, call: Callable[..., None], **kwargs: str
) -> None:
    try:
        call(**kwargs)
    except CognitoFormsError as error:
        log_event(
            request,
            "signout",
            sub=sub,
            level=logging.WARNING,
            reason=f"{name} failed: {error.code}",
        )
