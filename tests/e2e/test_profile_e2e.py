"""In a real browser (Debian's chromium through Playwright, JavaScript on and off; fixtures in
conftest.py): editing a custom attribute, and changing the email address with its code."""

from __future__ import annotations

from typing import Any

import pytest

from ..account_helpers import PASSWORD, cognito_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/signin/?next=/accounts/profile/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/accounts/profile/")


def test_user_edits_a_custom_attribute_in_the_browser(
    page: Any, live_server: Any, cognito: Any
) -> None:
    cognito.create_user("ann@example.com", PASSWORD, attributes={"custom:company": "Acme"})

    _sign_in(page, live_server.url, "ann@example.com")
    company = page.get_by_label("Company")
    assert company.input_value() == "Acme"
    company.fill("Globex")
    page.get_by_label("Number of seats").fill("25")
    page.get_by_role("button", name="Save changes").click()

    page.wait_for_url(f"{live_server.url}/accounts/profile/")
    assert page.get_by_text("Your profile has been saved.").is_visible()
    assert page.get_by_label("Company").input_value() == "Globex"
    assert page.get_by_label("Number of seats").input_value() == "25"
    stored = cognito_user(cognito, "ann@example.com")
    assert stored["custom:company"] == "Globex"
    assert stored["custom:seats"] == "25"
    # The tokens live in HttpOnly cookies: no page script could read them.
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies
    assert all(c["httpOnly"] for name, c in cookies.items() if name.startswith("cf_session"))


def test_user_changes_email_and_verifies_it_in_the_browser(
    page: Any, live_server: Any, cognito: Any
) -> None:
    cognito.create_user("ann@example.com", PASSWORD)
    _sign_in(page, live_server.url, "ann@example.com")

    page.get_by_role("link", name="Change email address").click()
    page.get_by_label("New email address").fill("ann.new@example.com")
    page.get_by_role("button", name="Send me a code").click()

    page.wait_for_url(f"{live_server.url}/accounts/profile/email/verify/")
    assert page.get_by_text("Pending verification").is_visible()
    assert cognito_user(cognito, "ann@example.com")["email"] == "ann@example.com"
    code = cognito.code_for("ann.new@example.com", "verify_email")
    page.get_by_label("Verification code").fill(code)
    page.get_by_role("button", name="Verify", exact=True).click()

    page.wait_for_url(f"{live_server.url}/accounts/profile/")
    assert page.get_by_text("Your email address has been verified.").is_visible()
    assert page.get_by_text("ann.new@example.com").is_visible()
    assert cognito_user(cognito, "ann.new@example.com")["email_verified"] == "true"
