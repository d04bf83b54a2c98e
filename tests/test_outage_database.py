"""docs/security.md S13, the database out of reach, journey by journey, as docs/production.md
"When Redis or the database is away" documents it: the local user cannot be loaded or synced,
so every step that signs someone in, and every page that needs ``request.user``, answers 503
with Retry-After (before Cognito is called where that can be known), never a 500 and never a
redirect to sign-in; what needs no database (sign-up, resend, forgot-password, sign-out, pages
that do not touch the user) goes on."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.journeys import DEMO_EMAIL, DEMO_PASSWORD, STRONG, text
from tests.outage_helpers import (
    assert_unavailable,
    browser_signed_in_ago,
    cleared,
    database_down,
    session_cookies,
)

pytestmark = pytest.mark.django_db

NEW_EMAIL = "new@example.com"


def test_sign_in_answers_503_keeping_the_address_before_calling_cognito(
    client: Client, cognito: Any
) -> None:
    with database_down():
        response = client.post(
            "/accounts/signin/", {"email": DEMO_EMAIL, "password": DEMO_PASSWORD}
        )
    assert_unavailable(response)
    assert f'value="{DEMO_EMAIL}"' in text(response)
    assert DEMO_PASSWORD not in text(response)
    assert cognito.calls["InitiateAuth"] == 0
    assert "cf_session" not in response.cookies


def test_a_database_failing_after_cognito_said_yes_is_a_503_not_a_500(
    client: Client, cognito: Any
) -> None:
    with database_down("cognito_forms_cognitoidentity"):  # SELECT 1 passes, the link fails
        response = client.post(
            "/accounts/signin/", {"email": DEMO_EMAIL, "password": DEMO_PASSWORD}
        )
    assert_unavailable(response)
    assert "cf_session" not in response.cookies
    # Once the database is back, the same sign-in works.
    again = client.post("/accounts/signin/", {"email": DEMO_EMAIL, "password": DEMO_PASSWORD})
    assert again.status_code == 302


def test_signed_in_pages_answer_503_not_a_redirect_to_sign_in(sign_in_client: Any) -> None:
    browser = sign_in_client()
    before = session_cookies(browser)
    with database_down():
        for path in ("/private/", "/accounts/profile/", "/"):
            response = browser.get(path)
            assert_unavailable(response)
            assert not cleared(response)
    assert session_cookies(browser) == before
    assert browser.get("/private/").status_code == 200


def test_pages_that_do_not_need_the_user_are_served(sign_in_client: Any) -> None:
    browser = sign_in_client()
    with database_down():
        assert browser.get("/accounts/brand.css").status_code == 200


def test_a_refresh_keeps_the_new_cookies_though_the_page_answers_503(
    sign_in_client: Any, cognito: Any
) -> None:
    browser = browser_signed_in_ago(sign_in_client, cognito, 3700)
    before = session_cookies(browser)
    with database_down():
        response = browser.get("/private/")
    assert_unavailable(response)
    assert cognito.calls["GetTokensFromRefreshToken"] == 1
    # The refresh token may have rotated: the browser must get the new one all the same.
    assert response.cookies["cf_session"].value not in ("", before["cf_session"])


def test_sign_out_completes_without_the_database(sign_in_client: Any, cognito: Any) -> None:
    browser = sign_in_client()
    with database_down():
        response = browser.post("/accounts/signout/")
    assert response.status_code == 302
    assert cleared(response)
    assert cognito.calls["RevokeToken"] == 1


def test_sign_up_and_resend_need_no_database(client: Client, cognito: Any) -> None:
    with database_down():
        signup = client.post(
            "/accounts/signup/", {"email": NEW_EMAIL, "password": STRONG, "name": "Nia New"}
        )
        assert signup.status_code == 302
        resend = client.post("/accounts/confirm/resend/", {"email": NEW_EMAIL})
    assert cognito.calls["SignUp"] == 1
    assert resend.status_code in (200, 302)  # the cool-down of the sign-up may refuse it


def test_confirm_answers_503_before_spending_the_code(client: Client, cognito: Any) -> None:
    client.post("/accounts/signup/", {"email": NEW_EMAIL, "password": STRONG, "name": "N"})
    code = cognito.code_for(NEW_EMAIL)
    with database_down():
        response = client.post("/accounts/signup/done/", {"code": code})
    assert_unavailable(response)
    assert cognito.calls["ConfirmSignUp"] == 0
    # Back again: the same code confirms and signs in.
    assert client.post("/accounts/signup/done/", {"code": code}).status_code == 302


def test_forgot_works_and_reset_answers_503_before_spending_the_code(
    client: Client, cognito: Any
) -> None:
    with database_down():
        forgot = client.post("/accounts/password/forgot/", {"email": DEMO_EMAIL})
        assert forgot.status_code == 302
        code = cognito.code_for(DEMO_EMAIL)
        response = client.post("/accounts/password/reset/", {"code": code, "password": STRONG})
    assert_unavailable(response)
    assert STRONG not in text(response)
    assert cognito.calls["ConfirmForgotPassword"] == 0


def test_the_health_check_reports_the_database_as_unavailable(client: Client, cognito: Any) -> None:
    with database_down():
        response = client.get("/accounts/health/")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"keys": "ok", "cache": "ok", "database": "unavailable"},
    }
    assert "no-store" in response["Cache-Control"]
