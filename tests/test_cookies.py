"""docs/security.md C1-C5: cookie flags, size and chunking, encryption and key rotation, no token
anywhere visible, sign-in replacing every earlier cookie; and the multi-step state cookie."""

from __future__ import annotations

import logging
import re
import time
from http.cookies import SimpleCookie
from typing import Any

import pytest
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory

from cognito_forms import cookies, sealed_cookies
from cognito_forms.flows import session

from .journeys import DEMO_EMAIL, DEMO_PASSWORD, STRONG, signed_in, text
from .session_helpers import copy_cookies, opened_tokens

pytestmark = pytest.mark.django_db

SIGNIN = "/accounts/signin/"


def fresh_request(secure: bool = False, jar: dict[str, str] | None = None) -> Any:
    request = RequestFactory().get("/", secure=secure)
    request.COOKIES.update(jar or {})
    return request


def signed_in_response(get_tokens: Any, secure: bool = False, jar: Any = None) -> Any:
    request = fresh_request(secure, jar)
    response = HttpResponse()
    session.start(request, response, get_tokens())
    return request, response


# --- C1 ---------------------------------------------------------------------------------------
def test_token_cookies_over_https_are_host_prefixed_secure_httponly_lax_and_host_only(
    get_tokens: Any, cognito: Any
) -> None:
    _, response = signed_in_response(get_tokens, secure=True)
    names = [n for n in response.cookies if "cf_session" in n]
    assert names
    assert all(n.startswith("__Host-cf_session") for n in names)
    for name in names:
        morsel = response.cookies[name]
        assert morsel["secure"]
        assert morsel["httponly"]
        assert morsel["samesite"] == "Lax"
        assert morsel["path"] == "/"
        assert not morsel["domain"]


def test_token_cookies_on_local_http_are_httponly_without_secure_or_prefix(
    get_tokens: Any, cognito: Any
) -> None:
    _, response = signed_in_response(get_tokens)
    morsel = response.cookies["cf_session"]
    assert morsel["httponly"]
    assert not morsel["secure"]


def test_cognito_cookie_secure_forces_secure_cookies_behind_a_proxy(
    get_tokens: Any, cognito: Any, settings: Any
) -> None:
    settings.COGNITO_COOKIE_SECURE = True
    _, response = signed_in_response(get_tokens)
    assert response.cookies["__Host-cf_session"]["secure"]


def test_an_unprefixed_cookie_is_ignored_on_an_https_site(get_tokens: Any, cognito: Any) -> None:
    _, response = signed_in_response(get_tokens, secure=False)
    planted = {n: m.value for n, m in response.cookies.items() if n.startswith("cf_session")}
    assert cookies.read_session(fresh_request(secure=True, jar=planted)) is None


# --- C2 ---------------------------------------------------------------------------------------
def test_every_set_cookie_fits_in_4096_bytes(get_tokens: Any, cognito: Any) -> None:
    _, response = signed_in_response(get_tokens, secure=True)
    assert len(response.cookies) >= 2
    for morsel in response.cookies.values():
        assert len(morsel.OutputString().encode()) <= 4096


def test_stale_chunks_are_expired_when_the_session_shrinks(get_tokens: Any, cognito: Any) -> None:
    stale = {"cf_session.5": "x", "cf_session.6": "y", "__Host-cf_session.3": "z"}
    _, response = signed_in_response(get_tokens, jar=stale)
    for name in stale:
        assert response.cookies[name]["max-age"] == 0


def test_a_missing_chunk_makes_the_browser_anonymous_and_clears_the_cookies(
    signed_in_client: Client, cognito: Any
) -> None:
    del signed_in_client.cookies["cf_session.1"]
    response = signed_in_client.get("/private/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/signin/")
    assert response.cookies["cf_session"]["max-age"] == 0


# --- C3 ---------------------------------------------------------------------------------------
def test_cookie_values_hold_no_readable_token(get_tokens: Any, cognito: Any) -> None:
    tokens = get_tokens()
    request, response = fresh_request(), HttpResponse()
    session.start(request, response, tokens)
    joined = " ".join(m.value for m in response.cookies.values())
    # No JWT-shaped run (base64 JSON header, a dot, base64 JSON payload): random ciphertext may
    # hold the three letters "eyJ" by chance (about one run in fifty), never this shape.
    assert not re.search(r"eyJ[A-Za-z0-9_-]+\.eyJ", joined)
    for secret in (tokens.id_token, tokens.access_token, tokens.refresh_token or "-"):
        assert secret[:20] not in joined
        assert secret[-20:] not in joined


@pytest.mark.parametrize("position", [5, 200, -3])
def test_a_flipped_byte_makes_the_browser_anonymous_and_clears_the_cookies(
    signed_in_client: Client, cognito: Any, position: int
) -> None:
    value = signed_in_client.cookies["cf_session"].value
    index = position % len(value)
    flipped = "A" if value[index] != "A" else "B"
    signed_in_client.cookies["cf_session"] = value[:index] + flipped + value[index + 1 :]
    response = signed_in_client.get("/private/")
    assert response.status_code == 302
    assert response.cookies["cf_session"]["max-age"] == 0


def test_cookies_sealed_with_an_unknown_key_are_anonymous(
    signed_in_client: Client, cognito: Any, settings: Any
) -> None:
    settings.COGNITO_COOKIE_KEYS = ["a-brand-new-key-nobody-used-before"]
    response = signed_in_client.get("/private/")
    assert response.status_code == 302
    assert response.cookies["cf_session"]["max-age"] == 0


def test_key_rotation_keeps_old_cookies_readable_during_the_overlap(
    signed_in_client: Client, cognito: Any, settings: Any
) -> None:
    original = settings.SECRET_KEY
    # Django's own rotation: the old SECRET_KEY moves to SECRET_KEY_FALLBACKS.
    settings.SECRET_KEY = "the-next-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"
    settings.SECRET_KEY_FALLBACKS = [original]
    assert signed_in_client.get("/private/").status_code == 200
    # Dedicated cookie keys, newest first, the old one still listed.
    settings.COGNITO_COOKIE_KEYS = ["a-dedicated-cookie-key", original]
    assert signed_in_client.get("/private/").status_code == 200
    settings.COGNITO_COOKIE_KEYS = ["a-dedicated-cookie-key"]
    assert signed_in_client.get("/private/").status_code == 302


def test_a_sealed_value_cannot_be_moved_to_another_cookie_purpose() -> None:
    sealed = sealed_cookies.seal(b'{"d": {}, "e": 9999999999}', "session")
    with pytest.raises(cookies.CookieInvalid):
        sealed_cookies.unseal(sealed, "state")


# --- C4 ---------------------------------------------------------------------------------------
def test_tokens_never_appear_in_pages_headers_or_logs(
    get_tokens: Any, cognito: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    tokens = get_tokens()
    browser = Client()
    request, response = fresh_request(), HttpResponse()
    session.start(request, response, tokens)
    copy_cookies(browser, response)
    pages = [browser.get("/private/"), browser.get("/"), browser.get("/accounts/signout/")]
    pages.append(browser.post("/accounts/signout/"))
    secrets = [tokens.id_token, tokens.access_token, tokens.refresh_token or "-"]
    for page in pages:
        text = page.content.decode() + str(page.headers)
        assert not any(s in text or s.split(".")[-1][:30] in text for s in secrets)
    assert not any(s[-30:] in caplog.text for s in secrets)
    for page in pages:
        assert "eyJ" not in page.get("Location", "")


# --- C5 ---------------------------------------------------------------------------------------
def test_sign_in_replaces_every_earlier_auth_cookie_and_rotates_the_csrf_token(
    get_tokens: Any, cognito: Any
) -> None:
    earlier = {
        "cf_session": "1~planted",
        "cf_session.1": "planted",
        "cf_session.4": "planted",
        "__Host-cf_session": "1~planted",
        "cf_flow": "1~pending",
    }
    request = fresh_request(jar=earlier)
    before = get_token(request)
    response = HttpResponse()
    session.start(request, response, get_tokens())
    assert get_token(request) != before
    for name in earlier:
        morsel = response.cookies[name]
        assert morsel["max-age"] == 0 or morsel.value != earlier[name]
    assert response.cookies["cf_session.4"]["max-age"] == 0
    assert response.cookies["cf_flow"]["max-age"] == 0


# --- multi-step state -------------------------------------------------------------------------
def roundtrip(response: HttpResponse) -> Any:
    jar = SimpleCookie()
    for name, morsel in response.cookies.items():
        if morsel["max-age"] != 0:
            jar[name] = morsel.value
    return fresh_request(jar={k: m.value for k, m in jar.items()})


def test_state_round_trips_and_can_be_cleared() -> None:
    response = HttpResponse()
    cookies.write_state(response, fresh_request(), {"username": "ann@example.com", "n": 2})
    assert response.cookies["cf_flow"]["httponly"]
    request = roundtrip(response)
    assert cookies.read_state(request) == {"username": "ann@example.com", "n": 2}
    cleared = HttpResponse()
    cookies.clear_state(cleared, request)
    assert cleared.cookies["cf_flow"]["max-age"] == 0


def test_state_expires_by_the_time_sealed_inside_it(monkeypatch: pytest.MonkeyPatch) -> None:
    response = HttpResponse()
    cookies.write_state(response, fresh_request(), {"a": 1}, max_age=60)
    request = roundtrip(response)
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 61)
    assert cookies.read_state(request) is None


def test_tampered_or_missing_state_reads_as_none() -> None:
    assert cookies.read_state(fresh_request()) is None
    response = HttpResponse()
    cookies.write_state(response, fresh_request(), {"a": 1})
    value = response.cookies["cf_flow"].value
    tampered = value[:-2] + ("AA" if not value.endswith("AA") else "BB")
    assert cookies.read_state(fresh_request(jar={"cf_flow": tampered})) is None
    assert cookies.read_state(fresh_request(jar={"cf_flow": "garbage"})) is None


def test_large_state_is_chunked_under_4096_bytes() -> None:
    response = HttpResponse()
    cookies.write_state(response, fresh_request(), {"session": "s" * 6000})
    assert "cf_flow.1" in response.cookies
    assert all(len(m.OutputString()) <= 4096 for m in response.cookies.values())
    assert cookies.read_state(roundtrip(response)) == {"session": "s" * 6000}


# --- every cookie name comes from the settings ---------------------------------------------------
def test_the_email_device_and_pending_change_cookies_take_their_names_from_settings(
    settings: Any,
) -> None:
    from cognito_forms import journey_pending, known_device, remembered_email

    settings.COGNITO_EMAIL_COOKIE_NAME = "acme_email"
    settings.COGNITO_DEVICE_COOKIE_NAME = "acme_device"
    settings.COGNITO_PENDING_COOKIE_NAME = "acme_pending"
    request, response = RequestFactory().get("/"), HttpResponse()
    remembered_email.remember(response, request, "ann@example.com")
    known_device.remember(response, request, "ann@example.com")
    pending = journey_pending.PendingChanges("sub-1", {"email": "new@example.com"})
    journey_pending.save(response, request, pending)
    assert sorted(response.cookies) == ["acme_device", "acme_email", "acme_pending"]
    request.COOKIES.update({name: morsel.value for name, morsel in response.cookies.items()})
    assert remembered_email.recall(request) == "ann@example.com"
    assert known_device.recognises(request, "ann@example.com")
    assert journey_pending.load(request, "sub-1").values == {"email": "new@example.com"}


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
