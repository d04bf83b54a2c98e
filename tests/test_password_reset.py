"""Forgot password and reset (SECURITY F3, F4, F5): one answer whatever the account, clear
code messages, attempts limited, then signed in, optionally everywhere else signed out."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.stub import Stubber
from django.test import Client

from cognito_forms import gateway
from cognito_forms import tokens as token_verifier
from tests.journeys import (
    DEMO_EMAIL,
    DEMO_PASSWORD,
    STRONG,
    UNAVAILABLE,
    cookie_shape,
    follow,
    morsels,
    signed_in,
    text,
    totp,
    without_tokens,
)
from tests.session_helpers import idp_client

pytestmark = pytest.mark.django_db

FORGOT = "/accounts/password/forgot/"
RESET = "/accounts/password/reset/"
NEW = "Brand-New-Passw0rd!"


def forgot(client, email=DEMO_EMAIL):
    return client.post(FORGOT, {"email": email})


def reset(client, code, password=NEW, everywhere=False, **extra):
    data = {"code": code, "password": password, **extra}
    if everywhere:
        data["sign_out_everywhere"] = "on"
    return client.post(RESET, data)


def test_forgot_password_answers_identically_whatever_the_account(client, cognito):
    cognito.create_user("unconfirmed@example.com", STRONG, confirmed=False)
    cognito.create_user("disabled@example.com", STRONG, enabled=False)
    answers = []
    for email in (
        DEMO_EMAIL,
        "nobody@example.com",
        "unconfirmed@example.com",
        "disabled@example.com",
    ):
        browser = type(client)()
        response = forgot(browser, email)
        page = without_tokens(text(follow(browser, response))).replace(email, "X")
        answers.append((response.status_code, response["Location"], cookie_shape(response), page))
    assert all(answer == answers[0] for answer in answers)
    assert answers[0][1] == RESET
    assert "If an account exists for this address" in answers[0][3]
    assert cognito.code_for(DEMO_EMAIL, "forgot_password")


def test_forgot_password_when_cognito_is_down_is_a_503_that_keeps_the_email(
    client, cognito, settings
):
    settings.COGNITO_ENDPOINT_URL = "http://127.0.0.1:9"
    settings.COGNITO_MAX_ATTEMPTS = 1
    response = forgot(client)
    assert response.status_code == 503
    assert UNAVAILABLE in text(response)
    assert f'value="{DEMO_EMAIL}"' in text(response)


def test_reset_page_shows_the_policy_and_asks_no_email_when_the_state_has_it(client, cognito):
    forgot(client)
    page = text(client.get(RESET))
    assert "at least 10 characters" in page
    assert 'name="email"' not in page
    assert DEMO_EMAIL in page


def test_reset_with_the_code_signs_in_with_the_new_password(client, cognito):
    forgot(client)
    client.get(RESET)  # the page describes the pool (policy) once; then it is cached
    gateway.reset_counters()
    response = reset(client, cognito.code_for(DEMO_EMAIL, "forgot_password"))
    assert signed_in(response)
    assert response["Location"] == "/private/"
    assert dict(cognito.calls) == {
        "ConfirmForgotPassword": 1,
        "InitiateAuth": 1,
        "RespondToAuthChallenge": 1,
    }
    old = type(client)().post("/accounts/signin/", {"email": DEMO_EMAIL, "password": DEMO_PASSWORD})
    assert not signed_in(old)


def test_reset_with_sign_out_everywhere_ends_other_sessions(client, cognito):
    """docs/security.md S2, S14(c): the other browser is anonymous right after the reset, not
    an access-token lifetime later; the browser that reset the password stays signed in."""
    elsewhere = type(client)()
    elsewhere.post("/accounts/signin/", {"email": DEMO_EMAIL, "password": DEMO_PASSWORD})
    assert elsewhere.get("/private/").status_code == 200
    refresh_token = idp_client(cognito).initiate_auth(
        ClientId=cognito.seed.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": DEMO_EMAIL, "PASSWORD": DEMO_PASSWORD},
    )["AuthenticationResult"]["RefreshToken"]
    forgot(client)
    gateway.reset_counters()
    response = reset(client, cognito.code_for(DEMO_EMAIL, "forgot_password"), everywhere=True)
    assert signed_in(response)
    assert cognito.calls["GlobalSignOut"] == 1
    assert cognito.calls["InitiateAuth"] == 2  # signed in again after GlobalSignOut
    with pytest.raises(idp_client(cognito).exceptions.NotAuthorizedException):
        idp_client(cognito).get_tokens_from_refresh_token(
            ClientId=cognito.seed.client_id, RefreshToken=refresh_token
        )
    assert client.get("/private/").status_code == 200
    # At once, with its access token still valid for most of an hour: sent to sign in.
    other = elsewhere.get("/private/")
    assert other.status_code == 302
    assert other["Location"] == "/accounts/signin/?next=/private/"


def test_reset_with_mfa_and_sign_out_everywhere_signs_out_after_the_code(
    client, cognito, monkeypatch
):
    """docs/security.md S2: also when the sign-out waits for the MFA code."""
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    cognito.create_user("mfa@example.com", STRONG, totp_secret=secret)
    # A second TOTP code needs the next 30 s step: our verifier follows the emulator's clock.
    monkeypatch.setattr(token_verifier, "now", cognito.lc.clock.now)
    elsewhere = type(client)()
    elsewhere.post("/accounts/signin/", {"email": "mfa@example.com", "password": STRONG})
    elsewhere.post("/accounts/signin/code/", {"code": totp(secret, cognito.lc.clock.now())})
    assert elsewhere.get("/private/").status_code == 200
    cognito.lc.clock.advance(30)
    forgot(client, "mfa@example.com")
    response = reset(
        client, cognito.code_for("mfa@example.com", "forgot_password"), everywhere=True
    )
    assert response["Location"] == "/accounts/signin/code/"
    response = client.post("/accounts/signin/code/", {"code": totp(secret, cognito.lc.clock.now())})
    assert cognito.calls["GlobalSignOut"] == 1
    assert response["Location"] == "/accounts/signin/"
    assert not signed_in(response)
    page = text(follow(client, response))
    assert "signed out everywhere" in page
    assert 'value="mfa@example.com"' in page
    assert elsewhere.get("/private/")["Location"] == "/accounts/signin/?next=/private/"


def test_reset_with_wrong_code_is_a_field_error_that_keeps_input(client, cognito):
    forgot(client)
    right = cognito.code_for(DEMO_EMAIL, "forgot_password")
    response = reset(client, "000000" if right != "000000" else "111111", everywhere=True)
    page = text(response)
    assert '<a href="#id_code">Reset code: That code is not right, has expired' in page
    assert NEW not in page
    assert 'name="sign_out_everywhere" id="id_sign_out_everywhere" checked' in page


def test_reset_with_expired_code_says_so(client, cognito):
    forgot(client)
    code = cognito.code_for(DEMO_EMAIL, "forgot_password")
    cognito.lc.clock.advance(3601)
    # Worded for wrong and expired codes alike: an unconfirmed account's "expired" must not
    # read differently from an unknown one's "wrong" (docs/security.md F3).
    assert "That code is not right, has expired or was already used" in text(reset(client, code))


def test_reset_with_a_used_code_gets_a_clear_message(client, cognito):
    forgot(client)
    code = cognito.code_for(DEMO_EMAIL, "forgot_password")
    reset(client, code)
    again = type(client)()
    forgot_page = again.post(FORGOT, {"email": DEMO_EMAIL})
    assert forgot_page.status_code == 302
    response = reset(again, code, password="Another-Passw0rd!")
    assert '<a href="#id_code">Reset code: That code' in text(response)


def test_reset_with_weak_password_never_reaches_cognito(client, cognito):
    forgot(client)
    response = reset(client, cognito.code_for(DEMO_EMAIL, "forgot_password"), password="weakpass")
    assert "Add an uppercase letter" in text(response)
    assert cognito.calls["ConfirmForgotPassword"] == 0


def test_reset_code_attempts_are_limited_per_username(client, cognito, settings):
    settings.COGNITO_CODE_MAX_ATTEMPTS = 2
    forgot(client)
    right = cognito.code_for(DEMO_EMAIL, "forgot_password")
    bad = "000000" if right != "000000" else "111111"
    reset(client, bad)
    reset(client, bad)
    response = reset(client, right)
    assert response.status_code == 429
    assert "Too many wrong codes" in text(response)
    assert cognito.calls["ConfirmForgotPassword"] == 2


def test_reset_without_state_asks_for_the_email(client, cognito):
    forgot(client)
    code = cognito.code_for(DEMO_EMAIL, "forgot_password")
    fresh = type(client)()
    assert 'name="email"' in text(fresh.get(RESET))
    response = reset(fresh, code, email=DEMO_EMAIL)
    assert signed_in(response)


def test_reset_for_unknown_address_looks_like_a_wrong_code(client, cognito):
    response = reset(client, "123456", email="nobody@example.com")
    assert '<a href="#id_code">Reset code: That code' in text(response)


def test_reset_when_sign_in_afterwards_fails_still_reports_the_change(client, cognito):
    forgot(client)
    code = cognito.code_for(DEMO_EMAIL, "forgot_password")
    with Stubber(gateway.client()) as stub:
        stub.add_response("confirm_forgot_password", {})
        stub.add_client_error("initiate_auth", "InternalErrorException", http_status_code=500)
        response = reset(client, code)
    assert response["Location"] == "/accounts/signin/"
    assert "Your password has been changed" in text(follow(client, response))


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
