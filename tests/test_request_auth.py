"""``request.cognito``: the one object that says what a request knows about its session
(claims, cookies, keys out of reach, what to do with the cookies on the way out); genuine
cookies holding mixed, malformed or huge tokens are anonymous (docs/security.md T10)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import include, path

from cognito_forms import cookies, middleware, request_auth
from cognito_forms.middleware import CognitoAuthenticationMiddleware
from cognito_forms.request_auth import RequestAuth

from .journeys import STRONG
from .session_helpers import browser_with_session

pytestmark = pytest.mark.django_db

SESSION = cookies.SessionCookies(id_token="i", access_token="a", refresh_token="r", auth_time=1)


def _through_middleware(client: Client | None = None) -> tuple[HttpRequest, HttpResponse]:
    """One GET through the real middleware; the request as the view saw it."""
    request = RequestFactory().get("/")
    if client is not None:
        request.COOKIES.update({k: m.value for k, m in client.cookies.items()})
    SessionMiddleware(lambda r: HttpResponse()).process_request(request)
    middleware = CognitoAuthenticationMiddleware(lambda r: HttpResponse("ok"))
    response = middleware(request)
    return request, response


def test_an_anonymous_request_has_an_anonymous_request_cognito(cognito: Any) -> None:
    request, _ = _through_middleware()
    auth = request.cognito  # type: ignore[attr-defined]
    assert isinstance(auth, RequestAuth)
    assert (auth.claims, auth.session, auth.access_token, auth.sub) == ({}, None, None, "")
    assert not auth.is_signed_in
    assert not auth.keys_unavailable
    assert auth.cookie_decision == "keep"


def test_a_signed_in_request_carries_its_verified_claims_and_cookies(
    sign_in_client: Callable[..., Client], cognito: Any
) -> None:
    request, response = _through_middleware(sign_in_client())
    auth = request_auth.of(request)
    assert auth.is_signed_in
    assert auth.claims["email"] == "demo@example.com"
    assert auth.sub == auth.claims["sub"] == auth.access_claims["sub"]
    assert auth.session is not None
    assert auth.access_token == auth.session.access_token
    # The documented alias (docs/production.md) reads the same claims.
    assert request.cognito_claims is auth.claims  # type: ignore[attr-defined]
    assert "Cookie" in response["Vary"]  # a signed-in page is private to its user
    assert cognito.total_calls() == 0


def test_write_then_clear_then_handled_is_what_the_response_gets() -> None:
    auth = RequestAuth()
    auth.signed_in(SESSION, {"sub": "s"})
    auth.write(SESSION)
    assert (auth.cookie_decision, auth.cookies_to_write) == ("write", SESSION)
    auth.clear()
    assert (auth.cookie_decision, auth.cookies_to_write) == ("clear", None)
    assert not auth.is_signed_in
    assert auth.claims == {}
    assert auth.session is None
    auth.handled()
    # Once a flow set the cookies on its own response, nothing later overrides them.
    auth.write(SESSION)
    auth.clear()
    assert auth.cookie_decision == "handled"


def test_of_attaches_an_anonymous_one_when_the_middleware_did_not_run() -> None:
    request = RequestFactory().get("/")
    auth = request_auth.of(request)
    assert request_auth.of(request) is auth
    assert request.cognito_claims == {}  # type: ignore[attr-defined]


def test_repr_shows_no_token_or_claim() -> None:
    auth = RequestAuth()
    auth.signed_in(SESSION, {"sub": "secret-sub", "email": "a@example.com"})
    assert "secret-sub" not in repr(auth)
    assert "a@example.com" not in repr(auth)


urlpatterns = [path("members/", include("cognito_forms.urls"))]


@pytest.mark.urls("tests.test_request_auth")
def test_a_session_that_ended_goes_to_the_apps_own_sign_in_page_wherever_it_is_mounted(
    settings: Any,
) -> None:
    """LOGIN_URL that does not resolve: the app's sign-in page, not a hard-coded path."""
    settings.LOGIN_URL = "no_such_url_name"
    response = middleware._to_sign_in(RequestFactory().get("/members/profile/?tab=1"))
    assert response["Location"] == "/members/signin/?next=/members/profile/%3Ftab%3D1"


# --- T10 (through the middleware) ---------------------------------------------------------------
def test_id_token_of_one_user_with_access_token_of_another_is_anonymous(
    cognito: Any, get_tokens: Any
) -> None:
    # T10: two genuine token sets mixed in one cookie: signed out, cookies cleared, no 500.
    cognito.create_user("bob@example.com", STRONG)
    ann, bob = get_tokens(), get_tokens("bob@example.com", STRONG)
    browser = browser_with_session((ann.id_token, bob.access_token), ann.refresh_token)
    started = time.monotonic()
    response = browser.get("/private/")
    assert time.monotonic() - started < 1.0
    assert response.status_code == 302
    assert response["Location"] == "/accounts/signin/?next=/private/"
    assert response.cookies["cf_session"]["max-age"] == 0
    assert cognito.total_calls() == 0  # no refresh attempted for a mismatched pair


@pytest.mark.parametrize(
    "pair",
    [("a.b", "c.d"), ("a.b.c.d", "a.b.c.d"), ("!!!.@@@.###", "x"), ("e30.W10.sig", "e30.e30.s")],
)
def test_malformed_tokens_inside_a_genuine_cookie_are_anonymous(cognito: Any, pair: Any) -> None:
    # T10: our own cookie, correctly sealed, holding garbage tokens.
    response = browser_with_session(pair, "rt").get("/private/")
    assert response.status_code == 302
    assert response.cookies["cf_session"]["max-age"] == 0
    assert cognito.total_calls() == 0


def test_a_one_megabyte_cookie_is_anonymous_quickly(cognito: Any) -> None:
    # T10: a huge cookie is refused before any decryption or JSON work of size.
    browser = Client()
    browser.cookies["cf_session"] = "1~" + "A" * 1_000_000
    started = time.monotonic()
    response = browser.get("/private/")
    assert time.monotonic() - started < 1.0
    assert response.status_code == 302
    assert browser.get("/").status_code == 200
