"""``request.user`` from the encrypted token cookies: the cookies are the session.

Per request: open the cookies (AES-GCM), verify both tokens (claims cached per process, so no
RSA work on an ordinary page view), check the deny list (one shared-cache round trip, reused
by this process for a couple of seconds), refresh when the access token is (nearly) expired,
otherwise ask Cognito whether the session still stands once every ``COGNITO_REVALIDATE_SECONDS``,
and set ``request.user`` lazily through the link model (one database query when a view needs the
user, likewise reused briefly). No Cognito call unless a refresh or a revalidation is due.

It subclasses Django's ``AuthenticationMiddleware`` (the admin checks for it) and falls back to
Django's session user when there are no token cookies, so a local superuser still signs in to
the admin through ``ModelBackend``. Anything unexpected fails closed: the request is anonymous.

The shared cache or the database out of reach is not unexpected (docs/production.md "When
Redis or the database is away"): a request that cannot be served safely gets a 503 page with
``Retry-After`` here, never a silent anonymous that would loop between sign-in and the page.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import resolve_url
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext

from . import backends, cookies, outages, request_auth, revocation, tokens
from .adapter import get_adapter
from .conf import app_settings
from .exceptions import (
    CacheUnavailable,
    DatabaseUnavailable,
    KeysUnavailable,
    SharedStateUnavailable,
    TokenError,
)
from .flows import revalidate
from .flows.refresh import SignInAgain, TryLater, apply_refresh, refresh_session
from .security_log import log_event
from .views.errors import bad_request, undecodable_form

logger = logging.getLogger(__name__)


class CognitoAuthenticationMiddleware(AuthenticationMiddleware):
    """Sets ``request.user`` and ``request.cognito`` (a ``RequestAuth``) from the token cookies."""

    def process_request(self, request: HttpRequest) -> HttpResponseBase | None:  # type: ignore[override]
        request_auth.attach(request)  # every request, anonymous ones too
        if undecodable_form(request):
            # Answered before the CSRF check reads a body Django cannot decode, which would end
            # in a 500 through Django's own error handlers (docs/security.md S8).
            _anonymous(request)
            return bad_request(request)
        try:
            return self._authenticate(request)
        except SharedStateUnavailable:
            # E.g. the deny list unreadable past its fail-open window: say so, keep cookies.
            _anonymous(request)
            return _outage_page(request)
        except Exception:
            # Fail closed: an unexpected error must never leave a request half signed in.
            logger.exception("cognito_forms middleware failed; treating request as anonymous")
            _anonymous(request)
            return None

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponseBase | None:
        """A view (or the lazy ``request.user``) that met a database or shared-cache outage:
        a 503 page with Retry-After instead of a 500."""
        if isinstance(exception, SharedStateUnavailable) or outages.is_database_outage(exception):
            if not isinstance(exception, SharedStateUnavailable):
                outages.report("database", exception)
            request.user = AnonymousUser()  # the page must not try to load the user again
            return _outage_page(request)
        return None

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        auth = request_auth.of(request)
        if auth.cookie_decision == "handled":
            return response  # sign-in or sign-out already set the cookies
        try:
            to_write = auth.cookies_to_write
            if auth.cookie_decision == "clear":
                cookies.clear_session(response, request)
                add_never_cache_headers(response)
            elif auth.cookie_decision == "write" and to_write is not None:
                cookies.write_session(response, request, to_write)
                add_never_cache_headers(response)
            if auth.is_signed_in:
                # Pages for a signed-in user are private to them: never cached by anyone.
                patch_vary_headers(response, ("Cookie",))
                if not response.has_header("Cache-Control"):
                    add_never_cache_headers(response)
        except Exception:
            logger.exception("cognito_forms middleware could not set cookies")
        return response

    # --- the steps ----------------------------------------------------------------------------
    def _authenticate(self, request: HttpRequest) -> HttpResponseBase | None:
        auth = request_auth.of(request)
        try:
            state = cookies.read_session(request)
        except cookies.CookieInvalid as error:
            return _reject(request, f"cookie:{error}")
        if state is None:
            super().process_request(request)  # no token cookies: Django's session user
            return None

        if tokens.now() > state.auth_time + app_settings.SESSION_MAX_AGE:
            return _reject(request, "session_max_age")
        try:
            id_claims, access_claims = tokens.verify_pair(
                state.id_token, state.access_token, allow_expired=True
            )
        except KeysUnavailable:
            # Keep the cookies: the keys come back, and the user with them. Meanwhile every
            # page says why this browser looks signed out (partials/messages.html).
            log_event(request, "token_rejected", reason="keys_unavailable", level=logging.WARNING)
            _anonymous(request)
            auth.keys_unavailable = True
            return None
        except TokenError as error:
            return _reject(request, error.reason)
        sub = str(id_claims["sub"])
        if revocation.is_revoked(family=state.family, sub=sub, auth_time=state.auth_time):
            return _reject(request, "revoked", sub=sub)

        leeway = app_settings.CLOCK_LEEWAY
        expires_in = min(id_claims["exp"], access_claims["exp"]) - tokens.now()
        expired = expires_in < -leeway
        if expires_in < app_settings.REFRESH_WINDOW:
            if not state.refresh_token:
                if expired:
                    return _reject(request, "expired", sub=sub)
            else:
                outcome = refresh_session(request, state, sub=sub)
                if isinstance(outcome, SignInAgain):
                    auth.clear()
                    _anonymous(request)
                    return _to_sign_in(request)
                if isinstance(outcome, TryLater):
                    if expired:
                        _anonymous(request)
                        return _unavailable(request, outcome.retry_after)
                else:
                    # A new ID token arrived: the cookies, the claims, the local user.
                    apply_refresh(request, outcome)
                    state, id_claims = outcome.state, outcome.claims
                    access_claims = outcome.access_claims
        elif revalidate.due(state):
            # A change made outside the site (disabled, deleted, signed out): docs/security.md S5.
            checked: revalidate.Revalidation
            try:
                with outages.cache_errors("revalidation"):
                    checked = revalidate.revalidate(request, state, sub=sub)
            except CacheUnavailable:
                # No shared lock to keep it single-flight: serve, and check when Redis is back.
                checked = revalidate.Busy()
            if isinstance(checked, SignInAgain):
                auth.clear()
                _anonymous(request)
                return _to_sign_in(request)
            if isinstance(checked, revalidate.Vouched):
                state = checked.state
                auth.write(state)
        _signed_in(request, state, id_claims, access_claims)
        return None


def _signed_in(
    request: HttpRequest,
    state: cookies.SessionCookies,
    claims: dict[str, Any],
    access_claims: dict[str, Any],
) -> None:
    request_auth.of(request).signed_in(state, claims, access_claims)
    request.user = SimpleLazyObject(lambda: _user(claims))  # type: ignore[assignment]

    async def auser() -> Any:
        return request.user

    request.auser = auser


def _user(claims: dict[str, Any]) -> Any:
    try:
        user = backends.active_user_for_claims(claims)
        if user is not None:
            return user
    except DatabaseError as error:
        # Anonymous here would send a signed-in user to sign in, and back: a 503 instead
        # (process_exception), for the pages that need the user; the others are served.
        raise DatabaseUnavailable("local user") from error
    except Exception:
        logger.exception("could not load the local user; treating request as anonymous")
    return AnonymousUser()


def _anonymous(request: HttpRequest) -> None:
    request.user = AnonymousUser()

    async def auser() -> Any:
        return AnonymousUser()

    request.auser = auser
    request_auth.of(request).anonymous()


def _reject(request: HttpRequest, reason: str, sub: str | None = None) -> HttpResponseBase | None:
    """Anonymous, cookies cleared on the way out; the view decides (e.g. login_required)."""
    log_event(request, "token_rejected", sub=sub, reason=reason)
    request_auth.of(request).clear()
    _anonymous(request)
    return None


def _login_url() -> str:
    try:
        return resolve_url(settings.LOGIN_URL)
    except NoReverseMatch:
        return reverse("cognito_forms:signin")  # wherever the site mounted the app


def _to_sign_in(request: HttpRequest) -> HttpResponseBase:
    # Our own path only (never a Host-derived absolute URL): next stays on this site.
    target = request.get_full_path() if request.method in ("GET", "HEAD") else request.path
    response = redirect_to_login(target, _login_url())
    add_never_cache_headers(response)
    return response


def _outage_page(request: HttpRequest) -> HttpResponseBase:
    message = get_adapter().get_error_message("service_unavailable")
    return _unavailable(request, outages.RETRY_AFTER, message)


def _unavailable(
    request: HttpRequest, retry_after: int, message: str | None = None
) -> HttpResponseBase:
    message = message or gettext(
        "Sign-in is temporarily unavailable. Please try again in a few moments."
    )
    try:
        body = render_to_string(
            "cognito_forms/unavailable.html",
            {"message": message, "retry_after": retry_after},
            request=request,
        )
        response = HttpResponse(body, status=503)
    except TemplateDoesNotExist:
        response = HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(retry_after)
    add_never_cache_headers(response)
    return response
