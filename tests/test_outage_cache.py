"""docs/security.md S13, the shared cache (Redis) out of reach, journey by journey, as
docs/production.md "When Redis or the database is away" documents it:

- code counters and cool-downs fail closed: confirm, resend and reset answer 503 with
  Retry-After, keep what was typed, and Cognito is not called;
- the rate limiter fails open, so sign-up, sign-in and forgot-password go on;
- the deny list fails open for COGNITO_REVOCATION_FAIL_OPEN_SECONDS on the last answers this
  process saw, then closed (503): a signed-in user is never silently sent back to sign-in;
- a due refresh waits (no shared lock): served while the access token is valid, 503 once it
  has expired, the cookies kept; sign-out always completes.
No journey answers 500.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from cognito_forms import process_memo
from cognito_forms import tokens as token_verifier
from tests.journeys import DEMO_EMAIL, DEMO_PASSWORD, STRONG, text
from tests.outage_helpers import (
    assert_unavailable,
    browser_signed_in_ago,
    cleared,
    session_cookies,
    switch_cache_off,
)

pytestmark = pytest.mark.django_db

NEW_EMAIL = "new@example.com"


def _confirm_state(client: Client, email: str) -> None:
    """The browser came from sign-up: the confirm page knows the address."""
    client.post("/accounts/signup/", {"email": email, "password": STRONG, "name": "N"})


# --- fail closed: code counters and cool-downs -------------------------------------------------
def test_confirm_answers_503_keeping_the_address_and_calls_no_cognito(
    client: Client, cognito: Any, settings: Any
) -> None:
    switch_cache_off(settings)
    response = client.post("/accounts/confirm/", {"email": NEW_EMAIL, "code": "123456"})
    assert_unavailable(response)
    assert f'value="{NEW_EMAIL}"' in text(response)
    assert cognito.calls["ConfirmSignUp"] == 0  # an unreadable counter allows no guess


def test_the_check_your_email_page_still_shows_and_its_code_form_answers_503(
    client: Client, cognito: Any, settings: Any
) -> None:
    _confirm_state(client, NEW_EMAIL)
    switch_cache_off(settings)
    assert client.get("/accounts/signup/done/").status_code == 200
    assert_unavailable(client.post("/accounts/signup/done/", {"code": "123456"}))
    assert cognito.calls["ConfirmSignUp"] == 0


def test_resend_answers_503_and_sends_nothing(client: Client, cognito: Any, settings: Any) -> None:
    switch_cache_off(settings)
    response = client.post("/accounts/confirm/resend/", {"email": NEW_EMAIL})
    assert_unavailable(response)
    assert f'value="{NEW_EMAIL}"' in text(response)
    assert cognito.calls["ResendConfirmationCode"] == 0


def test_forgot_password_works_and_the_reset_form_answers_503_keeping_the_address(
    client: Client, cognito: Any, settings: Any
) -> None:
    switch_cache_off(settings)
    forgot = client.post("/accounts/password/forgot/", {"email": DEMO_EMAIL})
    assert forgot.status_code == 302
    assert cognito.calls["ForgotPassword"] == 1
    code = cognito.code_for(DEMO_EMAIL)
    response = client.post(
        "/accounts/password/reset/", {"email": DEMO_EMAIL, "code": code, "password": STRONG}
    )
    assert_unavailable(response)
    assert DEMO_EMAIL in text(response)  # from the journey's state: not asked again
    assert STRONG not in text(response)
    assert cognito.calls["ConfirmForgotPassword"] == 0


# --- fail open: the rate limiter; sign-up completes ----------------------------------------------
def test_sign_up_completes_and_sends_its_code(client: Client, cognito: Any, settings: Any) -> None:
    switch_cache_off(settings)
    response = client.post(
        "/accounts/signup/", {"email": NEW_EMAIL, "password": STRONG, "name": "Nia New"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/signup/done/"
    assert cognito.calls["SignUp"] == 1
    assert cognito.code_for(NEW_EMAIL)


def test_sign_in_works_and_the_next_page_is_signed_in_not_a_loop(
    client: Client, cognito: Any, settings: Any
) -> None:
    switch_cache_off(settings)
    response = client.post("/accounts/signin/", {"email": DEMO_EMAIL, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/private/"
    page = client.get("/private/")
    assert page.status_code == 200
    assert DEMO_EMAIL in text(page)


def test_a_cold_worker_verifies_sign_ins_with_keys_it_fetches_itself(
    client: Client, cognito: Any, settings: Any
) -> None:
    switch_cache_off(settings)
    token_verifier.reset_caches()  # a worker that has never seen the pool's keys
    response = client.post("/accounts/signin/", {"email": DEMO_EMAIL, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.get("/private/").status_code == 200


# --- the deny list: bounded fail-open, then 503 ------------------------------------------------
def test_signed_in_pages_are_served_within_the_fail_open_window(
    sign_in_client: Any, settings: Any
) -> None:
    browser = sign_in_client()
    switch_cache_off(settings)
    for _ in range(3):
        response = browser.get("/private/")
        assert response.status_code == 200
        assert not cleared(response)


def test_past_the_window_signed_in_pages_answer_503_and_keep_the_cookies(
    sign_in_client: Any, settings: Any
) -> None:
    browser = sign_in_client()
    before = session_cookies(browser)
    settings.COGNITO_REVOCATION_FAIL_OPEN_SECONDS = 0
    switch_cache_off(settings)
    response = browser.get("/private/")
    assert_unavailable(response)
    assert not cleared(response)
    assert session_cookies(browser) == before


def test_a_session_signed_out_here_stays_refused_while_the_cache_is_away(
    sign_in_client: Any, settings: Any
) -> None:
    browser = sign_in_client()
    copy = Client()
    copy.cookies.update(browser.cookies)  # a stolen copy of the cookies
    assert browser.post("/accounts/signout/").status_code == 302
    settings.COGNITO_REVOCATION_CHECK_SECONDS = 0  # no fresh answer: only the last one is left
    switch_cache_off(settings, forget_memos=False)
    response = copy.get("/private/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/signin/")


# --- refresh and sign-out -------------------------------------------------------------------------
def test_an_expired_access_token_is_not_refreshed_without_the_lock_503_and_cookies_kept(
    sign_in_client: Any, cognito: Any, settings: Any
) -> None:
    browser = browser_signed_in_ago(sign_in_client, cognito, 3700)
    switch_cache_off(settings)
    response = browser.get("/private/")
    assert_unavailable(response)
    assert not cleared(response)
    assert cognito.calls["GetTokensFromRefreshToken"] == 0


def test_a_token_near_expiry_is_served_and_refreshed_later(
    sign_in_client: Any, cognito: Any, settings: Any
) -> None:
    browser = browser_signed_in_ago(sign_in_client, cognito, 3570)  # 30 s left: refresh due
    switch_cache_off(settings)
    response = browser.get("/private/")
    assert response.status_code == 200
    assert "cf_session" not in response.cookies
    assert cognito.calls["GetTokensFromRefreshToken"] == 0


def test_sign_out_completes_clears_the_cookies_and_revokes_at_cognito(
    sign_in_client: Any, cognito: Any, settings: Any
) -> None:
    browser = sign_in_client()
    switch_cache_off(settings)
    response = browser.post("/accounts/signout/")
    assert response.status_code == 302
    assert cleared(response)
    assert cognito.calls["RevokeToken"] == 1
    # This process denies the signed-out session at once, cache or not.
    process_memo.clear_all()
    assert browser.get("/private/").status_code == 302


# --- the health check -----------------------------------------------------------------------------
def test_the_health_check_reports_the_cache_as_unavailable(
    client: Client, cognito: Any, settings: Any
) -> None:
    assert client.get("/accounts/health/").status_code == 200
    switch_cache_off(settings)
    response = client.get("/accounts/health/")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"keys": "ok", "cache": "unavailable", "database": "ok"},
    }
