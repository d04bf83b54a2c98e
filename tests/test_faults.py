"""Cognito and the JWKS failing (docs/security.md X1-X5, T11 at page level): every form answers a
friendly 503 that keeps the visitor's input, within the time budget; signed-in users keep
browsing; calls Cognito applied before timing out lead to a coherent next step; nothing 500s."""

from __future__ import annotations

import json
import time
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.retries.standard import ExponentialBackoff
from django.core.cache import cache, caches
from django.test import Client

from cognito_forms import gateway, process_memo
from cognito_forms import tokens as token_verifier
from tests.account_helpers import PASSWORD, member
from tests.fault_servers import ApplyingProxy, ErrorServer, closed_port, silent_server
from tests.journeys import DEMO_EMAIL, DEMO_PASSWORD, STRONG, UNAVAILABLE, text
from tests.jwks_server import JwksServer
from tests.quality_pages import PAGE_IDS, PAGES, TYPED, Reach, signed_in

pytestmark = pytest.mark.django_db

NEW_EMAIL = "new@example.com"
#: (page, what the visitor typed, the Cognito operation it makes)
FORMS = [
    (
        "/accounts/signup/",
        {"email": NEW_EMAIL, "password": STRONG, "name": "Nia New", "custom_company": "ACME"},
        "SignUp",
    ),
    ("/accounts/signin/", {"email": DEMO_EMAIL, "password": DEMO_PASSWORD}, "InitiateAuth"),
    ("/accounts/confirm/", {"email": NEW_EMAIL, "code": "123456"}, "ConfirmSignUp"),
    ("/accounts/confirm/resend/", {"email": NEW_EMAIL}, "ResendConfirmationCode"),
    ("/accounts/password/forgot/", {"email": DEMO_EMAIL}, "ForgotPassword"),
    (
        "/accounts/password/reset/",
        {"email": DEMO_EMAIL, "code": "123456", "password": STRONG},
        "ConfirmForgotPassword",
    ),
]
FORM_IDS = [operation for _page, _data, operation in FORMS]


@pytest.fixture
def no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retries without sleeping, so the tests count attempts, not seconds."""
    monkeypatch.setattr(ExponentialBackoff, "delay_amount", lambda self, context: 0)


def _assert_unavailable_keeping_input(response: Any, data: dict[str, str]) -> None:
    assert response.status_code == 503, text(response)[:500]
    assert int(response["Retry-After"]) > 0
    page = text(response)
    assert UNAVAILABLE in page
    assert 'value="{}"'.format(data["email"]) in page
    assert data.get("password", "never-typed") not in page
    if "name" in data:
        assert 'value="Nia New"' in page


# --- X1: throttled ------------------------------------------------------------------------------
@pytest.mark.parametrize(("page", "data", "operation"), FORMS, ids=FORM_IDS)
def test_throttling_is_retried_within_the_budget_then_a_503_that_keeps_input(
    client: Client,
    cognito: Any,
    settings: Any,
    no_backoff: None,
    page: str,
    data: dict[str, str],
    operation: str,
) -> None:
    with ErrorServer("TooManyRequestsException", 400) as server:
        settings.COGNITO_ENDPOINT_URL = server.url
        settings.COGNITO_MAX_ATTEMPTS = 3
        response = client.post(page, data)
    _assert_unavailable_keeping_input(response, data)
    assert gateway.calls[operation] == 1
    assert gateway.attempts[operation] == 3
    assert server.requests[operation] == 3


# --- X2: answering 5xx, refusing connections ---------------------------------------------------
@pytest.mark.parametrize(("page", "data", "operation"), FORMS, ids=FORM_IDS)
def test_cognito_answering_internal_errors_is_a_503_that_keeps_input(
    client: Client,
    cognito: Any,
    settings: Any,
    no_backoff: None,
    page: str,
    data: dict[str, str],
    operation: str,
) -> None:
    with ErrorServer("InternalErrorException", 500) as server:
        settings.COGNITO_ENDPOINT_URL = server.url
        response = client.post(page, data)
    _assert_unavailable_keeping_input(response, data)
    assert gateway.calls[operation] == 1


@pytest.mark.parametrize(("page", "data", "operation"), FORMS, ids=FORM_IDS)
def test_cognito_refusing_connections_is_a_503_that_keeps_input(
    client: Client, cognito: Any, settings: Any, page: str, data: dict[str, str], operation: str
) -> None:
    settings.COGNITO_ENDPOINT_URL = f"http://127.0.0.1:{closed_port()}"
    started = time.monotonic()
    response = client.post(page, data)
    assert time.monotonic() - started < 5
    _assert_unavailable_keeping_input(response, data)


# --- X3: hanging --------------------------------------------------------------------------------
@pytest.mark.parametrize(("page", "data", "operation"), FORMS, ids=FORM_IDS)
def test_a_hanging_cognito_answers_every_form_within_the_time_budget(
    client: Client, cognito: Any, settings: Any, page: str, data: dict[str, str], operation: str
) -> None:
    with silent_server() as url:
        settings.COGNITO_ENDPOINT_URL = url
        settings.COGNITO_READ_TIMEOUT = 0.5
        settings.COGNITO_MAX_ATTEMPTS = 2
        started = time.monotonic()
        response = client.post(page, data)
        elapsed = time.monotonic() - started
    # At most a pool description and the call itself, each 2 x 0.5 s plus back-off.
    assert elapsed < 5, elapsed
    _assert_unavailable_keeping_input(response, data)


# --- signed-in users while Cognito or its keys are away (X2, T11) ------------------------------
@pytest.fixture
def jwks_mirror(cognito: Any, settings: Any) -> Iterator[JwksServer]:
    """The pool's JWKS served from a server the test can switch off (the API stays up)."""
    url = f"{cognito.url}/{cognito.seed.pool_id}/.well-known/jwks.json"
    with urllib.request.urlopen(url, timeout=5) as answer:
        keys = json.load(answer)["keys"]
    server = JwksServer(keys=keys)
    server.start()
    settings.COGNITO_JWKS_URL = server.url
    settings.COGNITO_JWKS_TIMEOUT = 1.0
    settings.COGNITO_CLAIMS_CACHE = False  # every request verifies with the cached keys
    token_verifier.reset_caches()
    yield server
    token_verifier.reset_caches()
    server.stop()


def test_signed_in_users_keep_browsing_while_cognito_and_its_keys_are_down(
    jwks_mirror: JwksServer, sign_in_client: Any, settings: Any
) -> None:
    browser = sign_in_client()
    assert browser.get("/private/").status_code == 200  # keys fetched: the cache is warm
    gateway.reset_counters()
    settings.COGNITO_ENDPOINT_URL = f"http://127.0.0.1:{closed_port()}"
    jwks_mirror.mode = "down"
    fetches = jwks_mirror.fetches
    for _ in range(3):
        response = browser.get("/private/")
        assert response.status_code == 200
        assert DEMO_EMAIL in text(response)
    assert sum(gateway.calls.values()) == 0
    assert jwks_mirror.fetches == fetches


@pytest.mark.parametrize("mode", ["down", "slow", "empty", "invalid"])
def test_cold_keys_with_the_jwks_away_make_sign_in_temporarily_unavailable_quickly(
    client: Client, jwks_mirror: JwksServer, mode: str
) -> None:
    jwks_mirror.mode = mode
    jwks_mirror.delay = 5.0
    data = {"email": DEMO_EMAIL, "password": DEMO_PASSWORD}
    started = time.monotonic()
    response = client.post("/accounts/signin/", data)
    elapsed = time.monotonic() - started
    assert elapsed < 3.5, elapsed
    _assert_unavailable_keeping_input(response, data)
    assert not client.cookies.get("cf_session")


def test_cold_keys_leave_a_signed_in_browser_anonymous_with_cookies_kept_then_recover(
    jwks_mirror: JwksServer, sign_in_client: Any, settings: Any
) -> None:
    browser = sign_in_client()
    token_verifier.reset_caches()  # a fresh worker ...
    cache.clear()  # ... and nothing in the shared cache either
    jwks_mirror.mode = "down"
    started = time.monotonic()
    response = browser.get("/private/")
    assert time.monotonic() - started < 3
    assert response.status_code == 302
    assert "/accounts/signin/" in response["Location"]
    assert "cf_session" not in response.cookies  # not cleared: the keys come back
    assert browser.get("/").status_code == 200
    jwks_mirror.mode = "ok"
    cache.clear()  # the fetch cool-down has passed
    assert browser.get("/private/").status_code == 200


def test_a_signed_in_browser_whose_session_cannot_be_checked_is_told_why(
    jwks_mirror: JwksServer, sign_in_client: Any
) -> None:
    browser = sign_in_client()
    token_verifier.reset_caches()
    cache.clear()
    jwks_mirror.mode = "down"
    started = time.monotonic()
    page = browser.get("/private/", follow=True)
    assert time.monotonic() - started < 3.5
    assert page.status_code == 200
    assert "Sign-in is temporarily unavailable" in text(page)
    jwks_mirror.mode = "ok"
    cache.clear()
    assert "Sign-in is temporarily unavailable" not in text(browser.get("/private/"))


# --- X4: applied, then timed out ---------------------------------------------------------------
@pytest.fixture
def applying_proxy(cognito: Any, settings: Any) -> Iterator[ApplyingProxy]:
    with ApplyingProxy(cognito.url, hold=1.5) as proxy:
        settings.COGNITO_ENDPOINT_URL = proxy.url
        settings.COGNITO_JWKS_URL = f"{cognito.url}/{cognito.seed.pool_id}/.well-known/jwks.json"
        settings.COGNITO_READ_TIMEOUT = 0.5
        settings.COGNITO_MAX_ATTEMPTS = 1
        yield proxy


def test_sign_up_retried_after_a_timeout_that_created_the_user_shows_check_your_email(
    client: Client, cognito: Any, applying_proxy: ApplyingProxy
) -> None:
    data = {"email": NEW_EMAIL, "password": STRONG, "name": "Nia New"}
    applying_proxy.drop["SignUp"] = 1
    first = client.post("/accounts/signup/", data)
    assert first.status_code == 503
    again = client.post("/accounts/signup/", data)
    assert again.status_code == 302  # the same answer as a brand-new account
    fresh = Client().post("/accounts/signup/", {**data, "email": "other@example.com"})
    assert again["Location"] == fresh["Location"]
    code = cognito.code_for(NEW_EMAIL, "sign_up")
    confirmed = client.post("/accounts/confirm/", {"code": code})
    assert confirmed.status_code == 302


def test_a_timed_out_sign_up_is_not_sent_again_behind_the_users_back(
    client: Client, cognito: Any, applying_proxy: ApplyingProxy, settings: Any, no_backoff: None
) -> None:
    settings.COGNITO_MAX_ATTEMPTS = 3  # throttles and refusals are retried; a silence is not
    applying_proxy.drop["SignUp"] = 1
    response = client.post("/accounts/signup/", {"email": NEW_EMAIL, "password": STRONG})
    assert response.status_code == 503
    assert gateway.attempts["SignUp"] == 1
    assert applying_proxy.requests["SignUp"] == 1
    # The user's own retry is the next step, and it reads like any new sign-up.
    again = client.post("/accounts/signup/", {"email": NEW_EMAIL, "password": STRONG})
    assert again.status_code == 302


def test_confirm_retried_after_a_timeout_that_confirmed_the_user_leads_to_sign_in(
    client: Client, cognito: Any, applying_proxy: ApplyingProxy
) -> None:
    client.post("/accounts/signup/", {"email": NEW_EMAIL, "password": STRONG})
    code = cognito.code_for(NEW_EMAIL, "sign_up")
    applying_proxy.drop["ConfirmSignUp"] = 1
    first = client.post("/accounts/confirm/", {"code": code})
    assert first.status_code == 503
    again = client.post("/accounts/confirm/", {"code": code})
    # The code was used: the page says so without revealing the account, and offers sign-in.
    assert again.status_code == 200
    assert "Already confirmed your account? Sign in" in text(again)
    # Whatever the page says, the account works: signing in with the password succeeds.
    signin = Client().post("/accounts/signin/", {"email": NEW_EMAIL, "password": STRONG})
    assert signin.status_code == 302
    assert "/accounts/" not in signin["Location"]


def test_reset_retried_after_a_timeout_that_changed_the_password_leads_to_sign_in(
    client: Client, cognito: Any, applying_proxy: ApplyingProxy
) -> None:
    client.post("/accounts/password/forgot/", {"email": DEMO_EMAIL})
    code = cognito.code_for(DEMO_EMAIL, "forgot_password")
    data = {"code": code, "password": STRONG}
    applying_proxy.drop["ConfirmForgotPassword"] = 1
    first = client.post("/accounts/password/reset/", data)
    assert first.status_code == 503
    again = client.post("/accounts/password/reset/", data)
    assert again.status_code == 200
    assert "already used" in text(again)
    assert "Already changed your password? Sign in" in text(again)
    signin = Client().post("/accounts/signin/", {"email": DEMO_EMAIL, "password": STRONG})
    assert signin.status_code == 302
    assert "/accounts/" not in signin["Location"]


# --- X5: an unexpected error in a view --------------------------------------------------------
def test_an_unexpected_error_in_a_view_gives_the_generic_error_page(
    cognito: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cognito_forms.flows import password as password_flow

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("bug with secret-ish detail")

    monkeypatch.setattr(password_flow, "forgot", broken)
    browser = Client(raise_request_exception=False)
    response = browser.post("/accounts/password/forgot/", {"email": DEMO_EMAIL})
    assert response.status_code == 500
    page = text(response)
    assert "Something went wrong" in page
    assert "secret-ish" not in page
    assert "Traceback" not in page
    assert response["Content-Security-Policy"]


def _cognito_down(settings: Any, cognito: Any) -> None:
    """The API unreachable; the keys stay where they were (the JWKS case is separate)."""
    settings.COGNITO_JWKS_URL = f"{cognito.url}/{cognito.seed.pool_id}/.well-known/jwks.json"
    settings.COGNITO_ENDPOINT_URL = f"http://127.0.0.1:{closed_port()}"
    for alias in caches:
        caches[alias].clear()  # pool description, deny-list answers: asked again
    process_memo.clear_all()


def _assert_friendly(response: Any, client: Client) -> None:
    assert response.status_code != 500
    if response.status_code == 503:
        assert UNAVAILABLE in text(response) or "cannot be set up" in text(response)
        assert int(response["Retry-After"]) > 0
    elif response.status_code == 302:
        followed = client.get(response["Location"])
        assert followed.status_code != 500


# --- X2/X5 on every page: no Cognito, network or JWKS failure is a 500 (quality bar b) -------
@pytest.mark.parametrize(("name", "path", "reach", "data"), PAGES, ids=PAGE_IDS)
def test_with_cognito_unreachable_no_page_is_a_500_and_forms_say_so(
    client: Client,
    cognito: Any,
    settings: Any,
    name: str,
    path: str,
    reach: Reach,
    data: dict[str, str] | None,
) -> None:
    reach(client, cognito)
    if data is not None:
        client.get(path)  # a form's own state (a TOTP secret, the challenge) exists before
    _cognito_down(settings, cognito)
    _assert_friendly(client.get(path), client)
    if data is None:
        return
    response = client.post(path, data)
    _assert_friendly(response, client)
    calls_cognito = name not in {"signout", "totp_setup"}
    if calls_cognito:  # the form's own call failed: a 503 page that says so
        assert response.status_code == 503, (name, response.status_code)
        assert TYPED not in text(response)
        assert PASSWORD not in text(response)


SIGNED_IN_PAGES = [p for p in PAGES if p[2] is signed_in]


@pytest.mark.parametrize(
    ("name", "path", "reach", "data"), SIGNED_IN_PAGES, ids=[p[0] for p in SIGNED_IN_PAGES]
)
def test_with_cognito_and_its_keys_away_signed_in_pages_are_never_a_500(
    client: Client,
    cognito: Any,
    settings: Any,
    name: str,
    path: str,
    reach: Reach,
    data: dict[str, str] | None,
) -> None:
    reach(client, cognito)
    settings.COGNITO_ENDPOINT_URL = f"http://127.0.0.1:{closed_port()}"
    settings.COGNITO_JWKS_URL = f"http://127.0.0.1:{closed_port()}/jwks.json"
    settings.COGNITO_JWKS_TIMEOUT = 0.5
    token_verifier.reset_caches()  # cold keys: nothing cached to verify the cookie with
    _assert_friendly(client.get(path), client)
    if data is not None:
        _assert_friendly(client.post(path, data), client)


def test_with_cognito_unreachable_the_profile_says_why_its_details_cannot_be_edited(
    client: Client, cognito: Any, settings: Any
) -> None:
    member(cognito, client)
    _cognito_down(settings, cognito)
    page = text(client.get("/accounts/profile/"))
    assert UNAVAILABLE in page
    assert "ann@example.com" in page  # what the ID token says is still shown
    response = client.post("/accounts/profile/", {"name": "Ann Typed"})
    assert response.status_code == 503
    assert UNAVAILABLE in text(response)
    assert "Nothing was changed" not in text(client.get("/accounts/profile/"))
    settings.COGNITO_ENDPOINT_URL = cognito.url
    from cognito_forms import pool

    pool.clear_cache()
    assert UNAVAILABLE not in text(client.get("/accounts/profile/"))  # back once Cognito is
