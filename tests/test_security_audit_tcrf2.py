"""Audit of docs/security.md R and F: the gaps the other tests left open.

A real product form posted with an expired token, a taken address that stays indistinguishable
after the first page too (cookies over HTTPS, the code step, resend), the reset step for every
kind of account, and passwords at Cognito's limits forwarded unmodified.
"""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest
from django.test import Client, RequestFactory

from cognito_forms import cookies, gateway

from .journeys import DEMO_EMAIL, STRONG, follow, signed_in, text, without_tokens
from .session_helpers import copy_cookies, fetch_tokens
from .test_refresh import REFRESH, expired_browser, opened

pytestmark = pytest.mark.django_db


def morsels(response: Any) -> dict[str, dict[str, Any]]:
    """Every cookie a response sets, every attribute but the (random) value."""
    return {
        name: {"empty": not m.value, **{k: v for k, v in m.items() if k != "expires"}}
        for name, m in response.cookies.items()
    }


# --- R1 (a product form) ------------------------------------------------------------------------
def test_an_expired_token_on_a_profile_save_saves_exactly_once_and_keeps_the_sign_in_time(
    sign_in_client: Any, cognito: Any
) -> None:
    # R1: the POST of a real form, not only a test view: one refresh, one UpdateUserAttributes.
    browser = expired_browser(sign_in_client, cognito)
    original = opened_browser_state(browser)
    response = browser.post("/accounts/profile/", {"name": "Demo Renamed"})
    assert response.status_code in (200, 302)
    # One refresh for the expired token, one more so the new name shows at once (by design).
    assert cognito.calls[REFRESH] == 2
    assert cognito.calls["UpdateUserAttributes"] == 1
    assert "cf_session" in response.cookies
    # C7: the refreshed session keeps the original sign-in time (no extension).
    assert opened(response).auth_time == original
    copy_cookies(browser, response)
    assert "Demo Renamed" in text(browser.get("/accounts/profile/"))
    assert cognito.calls[REFRESH] == 2  # the chain of refresh tokens is intact: no reuse


def opened_browser_state(browser: Client) -> int:
    request = RequestFactory().get("/")
    request.COOKIES.update({k: m.value for k, m in browser.cookies.items()})
    state = cookies.read_session(request)
    assert state is not None
    return state.auth_time


# --- F1 ---------------------------------------------------------------------------------------
def sign_up(browser: Client, email: str, secure: bool = False) -> Any:
    data = {"email": email, "password": STRONG, "name": "Ada", "custom_company": "ACME"}
    return browser.post("/accounts/signup/", data, secure=secure)


def test_taken_and_new_email_set_the_same_cookie_names_and_attributes_over_https(
    cognito: Any,
) -> None:
    # F1: names (incl. __Host- prefix), Path, Secure, HttpOnly, SameSite, Max-Age, on the POST
    # and on the "check your email" page it leads to.
    new, taken = Client(), Client()
    first, second = sign_up(new, "fresh@example.com", True), sign_up(taken, DEMO_EMAIL, True)
    assert morsels(first) == morsels(second)
    assert any(name.startswith("__Host-") for name in morsels(first))
    page_new = new.get(first["Location"], secure=True)
    page_taken = taken.get(second["Location"], secure=True)
    assert (page_new.status_code, morsels(page_new)) == (
        page_taken.status_code,
        morsels(page_taken),
    )


def test_a_wrong_code_after_signing_up_with_a_taken_email_reads_like_a_new_ones(
    cognito: Any,
) -> None:
    # F1: the next step must not tell the two apart either.
    answers = []
    for email in ("fresh@example.com", DEMO_EMAIL):
        browser = Client()
        follow(browser, sign_up(browser, email))
        response = browser.post("/accounts/signup/done/", {"code": "000001"})
        page = without_tokens(text(response)).replace(email, "X")
        answers.append((response.status_code, morsels(response), page))
    assert answers[0] == answers[1]
    assert "That code is not right" in answers[0][2]


def test_resending_the_code_after_signing_up_with_a_taken_email_reads_like_a_new_ones(
    cognito: Any, settings: Any
) -> None:
    # F1: "send me a new code" answers the same; the taken address gets no mail.
    settings.COGNITO_RESEND_COOLDOWN = 0
    answers = []
    for email in ("fresh@example.com", DEMO_EMAIL):
        browser = Client()
        follow(browser, sign_up(browser, email))
        response = browser.post("/accounts/confirm/resend/", {})
        shown = browser.get(response["Location"]) if response.status_code == 302 else response
        page = without_tokens(text(shown)).replace(email, "X")
        answers.append((response.status_code, response.get("Location"), page))
    assert answers[0] == answers[1]
    assert not cognito.outbox.messages(to=DEMO_EMAIL)


# --- F3 (the reset step) ------------------------------------------------------------------------
def test_a_wrong_reset_code_reads_the_same_whatever_the_account(cognito: Any) -> None:
    # F3: after "forgot", the code step must not reveal which accounts exist either.
    cognito.create_user("unconfirmed@example.com", STRONG, confirmed=False)
    cognito.create_user("disabled@example.com", STRONG, enabled=False)
    answers = []
    for email in (
        DEMO_EMAIL,
        "nobody@example.com",
        "unconfirmed@example.com",
        "disabled@example.com",
    ):
        browser = Client()
        follow(browser, browser.post("/accounts/password/forgot/", {"email": email}))
        response = browser.post(
            "/accounts/password/reset/", {"code": "000001", "password": "Brand-New-Passw0rd!"}
        )
        page = without_tokens(text(response)).replace(email, "X")
        answers.append((response.status_code, morsels(response), page))
    assert all(answer == answers[0] for answer in answers)
    assert "That code" in answers[0][2]


# --- F5 ---------------------------------------------------------------------------------------
LONGEST = "Aa1!" + "x" * 252  # Cognito's maximum: 256 characters
NFD = unicodedata.normalize("NFD", "Pässwörd-Ünïcode-123!")


@pytest.mark.parametrize("password", [LONGEST, NFD], ids=["256-chars", "unicode-nfd"])
def test_a_password_at_the_limits_works_end_to_end_and_reaches_cognito_unmodified(
    cognito: Any, monkeypatch: pytest.MonkeyPatch, password: str
) -> None:
    # F5: the exact string reaches Cognito (no strip, no normalisation, no truncation).
    sent: list[str] = []
    real = gateway.sign_up
    monkeypatch.setattr(gateway, "sign_up", lambda **kw: sent.append(kw["password"]) or real(**kw))
    browser = Client()
    follow(browser, sign_up_with(browser, "u@example.com", password))
    browser.post("/accounts/signup/done/", {"code": cognito.code_for("u@example.com", "sign_up")})
    assert sent == [password]
    # Cognito holds exactly this password: its own USER_PASSWORD_AUTH accepts it verbatim.
    assert fetch_tokens(cognito, "u@example.com", password).access_token
    form = Client().post("/accounts/signin/", {"email": "u@example.com", "password": password})
    assert signed_in(form)
    if password == NFD:  # the NFC spelling is another password: nothing normalised it
        nfc = unicodedata.normalize("NFC", password)
        assert not signed_in(
            Client().post("/accounts/signin/", {"email": "u@example.com", "password": nfc})
        )


def sign_up_with(browser: Client, email: str, password: str) -> Any:
    data = {"email": email, "password": password, "name": "Ada", "custom_company": "ACME"}
    return browser.post("/accounts/signup/", data)


@pytest.mark.parametrize(
    "password",
    [LONGEST + "x", " " + STRONG, STRONG + " "],
    ids=["257-chars", "leading-space", "trailing-space"],
)
def test_a_password_cognito_would_refuse_is_a_field_error_without_a_cognito_call(
    client: Client, cognito: Any, password: str
) -> None:
    # F5: checked on the server before calling Cognito, never silently trimmed to fit.
    client.get("/accounts/signup/")  # the pool description is cached
    gateway.reset_counters()
    response = sign_up_with(client, "u@example.com", password)
    assert response.status_code == 200
    assert 'href="#id_password"' in text(response)
    assert cognito.total_calls() == 0
    assert 'value="u@example.com"' in text(response)
