"""Audit of SECURITY.md T and C: the gaps the other tests left open.

Token verification through the whole middleware (not only tokens.py), key material in the
header pointing at a live server, cookies with a large ID token, auth and signed-in pages never
cached, sign-in through the form replacing every earlier cookie, and every state-changing form
refusing a missing or foreign CSRF token before any Cognito call.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory

from cognito_forms import cookies, gateway, tokens

from .journeys import DEMO_EMAIL, DEMO_PASSWORD, STRONG, follow, signed_in, text
from .jwks_server import JwksServer, claims, public_jwk, sign
from .session_helpers import copy_cookies
from .test_tokens import KEY, jwks, server  # noqa: F401  (fixtures: the local JWKS endpoint)

pytestmark = pytest.mark.django_db

SIGNIN = "/accounts/signin/"


def browser_with_session(tokens_pair: tuple[str, str], refresh: str | None = None) -> Client:
    """A browser whose session cookies hold exactly these tokens (sealed as the site does)."""
    state = cookies.SessionCookies(
        id_token=tokens_pair[0],
        access_token=tokens_pair[1],
        refresh_token=refresh,
        auth_time=int(time.time()),
        family="fam",
        written_at=time.time(),
    )
    response = HttpResponse()
    cookies.write_session(response, RequestFactory().get("/"), state)
    browser = Client()
    copy_cookies(browser, response)
    return browser


def opened_tokens(client: Client) -> cookies.SessionCookies:
    """The session a browser holds (decrypted test-side with the site's keys)."""
    jar = {k: m.value for k, m in client.cookies.items()}
    request = RequestFactory().get("/")
    request.COOKIES.update(jar)
    state = cookies.read_session(request)
    assert state is not None
    return state


# --- T5 ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("field", ["jku", "x5u"])
def test_a_genuine_token_naming_a_reachable_key_url_verifies_without_fetching_it(
    jwks: JwksServer,  # noqa: F811
    field: str,
) -> None:
    # T5: the header's URL points at a live server that would answer; it is never asked.
    evil = jwks.url.replace("/.well-known/jwks.json", "/evil/jwks.json")
    token = sign(claims("id"), KEY, headers={field: evil})
    assert tokens.verify(token, "id")["sub"]
    assert jwks.paths
    assert all(p.endswith("/.well-known/jwks.json") for p in jwks.paths)
    assert not any("evil" in p for p in jwks.paths)


def test_an_embedded_jwk_of_the_pools_own_key_changes_nothing(
    jwks: JwksServer,  # noqa: F811
) -> None:
    # T5: a header jwk is never used as the key, even when it is the right one for the kid.
    token = sign(claims("id"), KEY, kid="k-unknown", headers={"jwk": public_jwk(KEY, "k-unknown")})
    with pytest.raises(tokens.TokenError) as info:
        tokens.verify(token, "id")
    assert info.value.reason == "unknown_kid"


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


# --- C2 ---------------------------------------------------------------------------------------
LONG_NAME = "Anne " + "Q" * 2000  # Cognito allows 2,048 characters per attribute value


def sign_in_form(browser: Client, email: str, password: str) -> Any:
    browser.get(SIGNIN)
    return browser.post(SIGNIN, {"email": email, "password": password})


def test_a_large_id_token_is_chunked_under_4096_bytes_and_still_signs_in(cognito: Any) -> None:
    # C2: long attribute values make the ID token large; every Set-Cookie still fits.
    cognito.create_user(
        "big@example.com", STRONG, attributes={"name": LONG_NAME, "custom:company": "C" * 64}
    )
    browser = Client()
    response = sign_in_form(browser, "big@example.com", STRONG)
    assert signed_in(response)
    assert "cf_session.2" in response.cookies  # really split over several cookies
    for morsel in response.cookies.values():
        assert len(morsel.OutputString().encode()) <= 4096
    assert "Signed in as big@example.com" in text(browser.get("/private/"))


def test_stale_chunks_of_a_larger_session_are_expired_when_the_next_one_is_smaller(
    cognito: Any,
) -> None:
    # C2: the big user's browser signs in as a small user: the extra chunks are expired.
    cognito.create_user("big@example.com", STRONG, attributes={"name": LONG_NAME})
    browser = Client()
    sign_in_form(browser, "big@example.com", STRONG)
    big_chunks = {n for n in browser.cookies if n.startswith("cf_session")}
    response = sign_in_form(browser, DEMO_EMAIL, DEMO_PASSWORD)
    small_chunks = {n for n, m in response.cookies.items() if m.value and m["max-age"] != 0}
    small_chunks = {n for n in small_chunks if n.startswith("cf_session")}
    stale = big_chunks - small_chunks
    assert stale
    for name in stale:
        assert response.cookies[name]["max-age"] == 0
    copy_cookies(browser, response)
    assert "Signed in as demo@example.com" in text(browser.get("/private/"))


def test_a_missing_chunk_on_a_public_page_shows_it_signed_out_with_a_sign_in_link(
    signed_in_client: Client, cognito: Any
) -> None:
    # C2: anonymous, never half signed in: the page offers to sign in, the cookies are cleared.
    del signed_in_client.cookies["cf_session.1"]
    response = signed_in_client.get("/")
    assert response.status_code == 200
    assert f'href="{SIGNIN}"' in text(response)
    assert "You are signed in" not in text(response)
    assert response.cookies["cf_session"]["max-age"] == 0


# --- C4 ---------------------------------------------------------------------------------------
AUTH_PAGES = [
    "/accounts/signup/",
    "/accounts/signup/done/",
    "/accounts/confirm/",
    "/accounts/confirm/resend/",
    "/accounts/signin/",
    "/accounts/signin/code/",
    "/accounts/signin/new-password/",
    "/accounts/signin/select-mfa/",
    "/accounts/signin/mfa-setup/",
    "/accounts/signin/choose/",
    "/accounts/password/forgot/",
    "/accounts/password/reset/",
    "/accounts/signout/",
]
SIGNED_IN_PAGES = [
    "/",
    "/private/",
    "/accounts/profile/",
    "/accounts/profile/email/change/",
    "/accounts/password/change/",
    "/accounts/mfa/",
    "/accounts/mfa/totp/",
    "/accounts/delete/",
    "/accounts/reauth/",
    "/accounts/signout/",
]


@pytest.mark.parametrize("url", AUTH_PAGES)
def test_every_auth_page_is_no_store_even_when_it_redirects(
    client: Client, cognito: Any, url: str
) -> None:
    # C4: a shared cache or the back button must never keep an auth page.
    response = client.get(url)
    assert response.status_code in (200, 302)
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("url", SIGNED_IN_PAGES)
def test_every_signed_in_page_is_no_store(signed_in_client: Client, cognito: Any, url: str) -> None:
    # C4: pages for a signed-in user are private to them.
    response = signed_in_client.get(url)
    assert response.status_code in (200, 302)
    assert "no-store" in response["Cache-Control"]


def test_no_token_appears_in_any_page_url_or_location_of_the_sign_in_form_journey(
    cognito: Any,
) -> None:
    # C4: the real form journey, then every signed-in page: no token or part of one shown.
    browser = Client()
    responses = [browser.get("/accounts/signin/?next=/accounts/profile/")]
    responses.append(
        browser.post(
            "/accounts/signin/?next=/accounts/profile/",
            {"email": DEMO_EMAIL, "password": DEMO_PASSWORD, "next": "/accounts/profile/"},
        )
    )
    responses.append(follow(browser, responses[-1]))
    responses += [browser.get(url) for url in SIGNED_IN_PAGES]
    state = opened_tokens(browser)
    secrets = [state.id_token, state.access_token, state.refresh_token or "-"]
    pieces = [s.split(".")[-1][:24] for s in secrets] + [s[:40] for s in secrets]
    for response in responses:
        shown = text(response) + str(response.headers) + response.get("Location", "")
        assert "eyJ" not in shown
        assert not any(piece in shown for piece in pieces)


# --- C5 ---------------------------------------------------------------------------------------
def test_signing_in_through_the_form_replaces_planted_cookies_and_rotates_the_csrf_cookie(
    cognito: Any, get_tokens: Any
) -> None:
    # C5: session fixation: cookies set before sign-in (by anyone) do not survive it.
    browser = Client()
    browser.get(SIGNIN)
    csrf_before = browser.cookies["csrftoken"].value
    planted = {
        "cf_session": "3~planted",
        "cf_session.1": "planted",
        "cf_session.2": "planted",
        "cf_session.7": "planted",
        "__Host-cf_session": "1~planted",
        "__Host-cf_session.1": "planted",
    }
    for name, value in planted.items():
        browser.cookies[name] = value
    response = browser.post(SIGNIN, {"email": DEMO_EMAIL, "password": DEMO_PASSWORD})
    assert signed_in(response)
    for name, value in planted.items():
        assert response.cookies[name]["max-age"] == 0 or response.cookies[name].value != value
    assert response.cookies["cf_session.7"]["max-age"] == 0
    assert response.cookies["__Host-cf_session"]["max-age"] == 0
    assert response.cookies["csrftoken"].value not in ("", csrf_before)
    copy_cookies(browser, response)
    assert browser.get("/private/").status_code == 200
    ours = opened_tokens(browser)
    assert ours.access_token.count(".") == 2


# --- C8 ---------------------------------------------------------------------------------------
ANONYMOUS_FORMS = [
    ("/accounts/signup/", {"email": "x@example.com", "password": STRONG}),
    ("/accounts/signup/done/", {"code": "123456"}),
    ("/accounts/confirm/", {"email": DEMO_EMAIL, "code": "123456"}),
    ("/accounts/confirm/resend/", {"email": DEMO_EMAIL}),
    ("/accounts/signin/", {"email": DEMO_EMAIL, "password": DEMO_PASSWORD}),
    ("/accounts/signin/code/", {"code": "123456"}),
    ("/accounts/signin/new-password/", {"password": STRONG}),
    ("/accounts/signin/select-mfa/", {"mfa_type": "SOFTWARE_TOKEN_MFA"}),
    ("/accounts/signin/mfa-setup/", {"code": "123456"}),
    ("/accounts/signin/choose/", {"method": "EMAIL_OTP"}),
    ("/accounts/password/forgot/", {"email": DEMO_EMAIL}),
    ("/accounts/password/reset/", {"email": DEMO_EMAIL, "code": "1", "password": STRONG}),
]
SIGNED_IN_FORMS = [
    ("/accounts/signout/", {"everywhere": "on"}),
    ("/accounts/profile/", {"name": "Mallory"}),
    ("/accounts/profile/email/change/", {"value": "mallory@example.com"}),
    ("/accounts/profile/email/verify/", {"code": "123456"}),
    ("/accounts/reauth/", {"password": DEMO_PASSWORD}),
    ("/accounts/password/change/", {"current_password": DEMO_PASSWORD, "new_password": STRONG}),
    ("/accounts/mfa/", {"action": "disable:totp"}),
    ("/accounts/mfa/totp/", {"code": "123456"}),
    ("/accounts/delete/", {"confirm": "on"}),
]


def assert_friendly_403(response: Any) -> None:
    assert response.status_code == 403
    page = text(response)
    # In the site's layout, saying what to do next, with a way back; no developer jargon.
    assert "/accounts/brand.css" in page
    assert "This page has expired. Please start again." in page
    assert f'href="{SIGNIN}"' in page
    assert 'href="/"' in page
    assert "CSRF" not in page
    assert "DEBUG" not in page
    assert "no-store" in response["Cache-Control"]


def csrf_attempts(browser: Client, url: str, data: dict[str, str]) -> list[Any]:
    """The form posted without a token, then with another browser's token."""
    other = Client()
    other.get(SIGNIN)
    foreign = other.cookies["csrftoken"].value
    return [browser.post(url, data), browser.post(url, {**data, "csrfmiddlewaretoken": foreign})]


@pytest.mark.parametrize(("url", "data"), ANONYMOUS_FORMS, ids=[u for u, _ in ANONYMOUS_FORMS])
def test_every_anonymous_form_refuses_a_missing_or_foreign_csrf_token_before_cognito(
    cognito: Any, url: str, data: dict[str, str]
) -> None:
    # C8
    browser = Client(enforce_csrf_checks=True)
    browser.get(SIGNIN)  # the browser has a CSRF cookie of its own
    cognito.lc.calls.clear()
    for response in csrf_attempts(browser, url, data):
        assert_friendly_403(response)
    assert cognito.total_calls() == 0
    assert sum(cognito.lc.calls.values()) == 0


@pytest.mark.parametrize(("url", "data"), SIGNED_IN_FORMS, ids=[u for u, _ in SIGNED_IN_FORMS])
def test_every_signed_in_form_refuses_a_missing_or_foreign_csrf_token_before_cognito(
    cognito: Any, sign_in_client: Any, url: str, data: dict[str, str]
) -> None:
    # C8
    browser = sign_in_client(client=Client(enforce_csrf_checks=True))
    browser.get("/accounts/profile/")  # (describes the pool: not the form's call)
    gateway.reset_counters()
    for response in csrf_attempts(browser, url, data):
        assert_friendly_403(response)
    assert cognito.total_calls() == 0
    assert browser.get("/private/").status_code == 200  # still signed in: nothing happened
