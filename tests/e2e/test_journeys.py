"""The account journeys in a real browser, with JavaScript on and off: sign-up, code from the
outbox, confirm, sign-in, the private page, sign-out, forgot, reset, sign-in; and a TOTP
enrolment followed by a TOTP sign-in."""

from __future__ import annotations

import re

import pytest

from tests.journeys import STRONG, totp
from tests.session_helpers import idp_client

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NEW = "Brand-New-Passw0rd!"


def submit(page, form_selector: str = "form:has(button.cf-button)") -> None:
    page.locator(form_selector).first.locator("button[type=submit]").click()
    page.wait_for_load_state("domcontentloaded")


def heading(page) -> str:
    return page.locator("h1").first.inner_text()


def sign_out(page, base: str) -> None:
    page.goto(f"{base}/accounts/signout/")
    submit(page)
    page.goto(f"{base}/private/")
    assert "/accounts/signin/" in page.url


def sign_in(page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/accounts/signin/")
    page.fill("#id_email", email)
    page.fill("#id_password", password)
    submit(page)


def test_sign_up_confirm_sign_in_sign_out_forgot_reset_sign_in(page, live_server, cognito):
    base, email = live_server.url, "walker@example.com"
    page.goto(f"{base}/accounts/signup/")
    assert "at least 10 characters" in page.content()
    page.fill("#id_email", email)
    page.fill("#id_password", "short")
    submit(page)
    assert "Use at least 10 characters." in page.content()
    assert page.input_value("#id_email") == email  # kept; the password is not
    assert page.input_value("#id_password") == ""
    page.fill("#id_password", STRONG)
    page.fill("#id_name", "Walker")
    page.fill("#id_custom_company", "ACME")
    submit(page)
    assert heading(page) == "Check your email"
    page.fill("#id_code", cognito.code_for(email, "sign_up"))
    submit(page, "form:has(#id_code)")
    assert page.url == f"{base}/private/"
    assert email in page.content()

    sign_out(page, base)
    sign_in(page, base, email, "Wrong-Passw0rd!")
    assert "Incorrect email address or password." in page.content()
    page.fill("#id_password", STRONG)
    submit(page)
    assert page.url == f"{base}/private/"

    sign_out(page, base)
    page.goto(f"{base}/accounts/password/forgot/")
    page.fill("#id_email", email)
    submit(page)
    assert page.url == f"{base}/accounts/password/reset/"
    page.fill("#id_code", cognito.code_for(email, "forgot_password"))
    page.fill("#id_password", NEW)
    submit(page)
    assert page.url == f"{base}/private/"

    sign_out(page, base)
    sign_in(page, base, email, NEW)
    assert page.url == f"{base}/private/"
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies["cf_session"]["httpOnly"]


def test_totp_enrolment_then_totp_sign_in(page, live_server, cognito):
    base, email = live_server.url, "totp@example.com"
    idp_client(cognito).set_user_pool_mfa_config(
        UserPoolId=cognito.seed.pool_id,
        SoftwareTokenMfaConfiguration={"Enabled": True},
        MfaConfiguration="ON",
    )
    cognito.create_user(email, STRONG)
    sign_in(page, base, email, STRONG)
    assert page.url == f"{base}/accounts/signin/mfa-setup/"
    assert page.locator(".cf-qr img").get_attribute("src").startswith("data:image/svg+xml")
    secret = page.locator(".cf-secret code").inner_text()
    assert re.fullmatch(r"[A-Z2-7 ]+", secret)
    page.fill("#id_code", totp(secret))
    submit(page)
    assert page.url == f"{base}/private/"

    sign_out(page, base)
    sign_in(page, base, email, STRONG)
    assert page.url == f"{base}/accounts/signin/code/"
    page.fill("#id_code", totp(secret))
    submit(page)
    assert page.url == f"{base}/private/"
