"""docs/security.md C8: every state-changing form, anonymous or signed in, refuses a missing or
foreign CSRF token before any Cognito call, with a friendly 403 page in the site's layout; and
S11: over HTTPS in production the CSRF cookie (to which multi-step state is bound) carries the
``__Host-`` prefix, and signing in works with it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from cognito_forms import gateway

from .deploy_helpers import production_settings
from .journeys import DEMO_EMAIL, DEMO_PASSWORD, STRONG, text

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
SIGNIN = "/accounts/signin/"


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


def test_production_names_the_csrf_cookie_with_the_host_prefix() -> None:
    assert production_settings(
        "CSRF_COOKIE_NAME", "CSRF_COOKIE_SECURE", "CSRF_COOKIE_PATH", "CSRF_COOKIE_DOMAIN"
    ) == ["__Host-csrftoken", True, "/", None]


@pytest.mark.django_db
def test_a_host_prefixed_csrf_cookie_is_host_only_and_signing_in_works_with_it(
    cognito: Any, settings: Any
) -> None:
    settings.CSRF_COOKIE_NAME = "__Host-csrftoken"
    settings.CSRF_COOKIE_SECURE = True
    settings.COGNITO_COOKIE_SECURE = True
    browser = Client(enforce_csrf_checks=True)
    page = browser.get("/accounts/signin/", secure=True)
    cookie = page.cookies["__Host-csrftoken"]
    # What browsers require of a __Host- cookie, or they drop it.
    assert cookie["secure"]
    assert cookie["path"] == "/"
    assert not cookie["domain"]
    token = page.context["csrf_token"]
    response = browser.post(
        "/accounts/signin/",
        {"email": DEMO_EMAIL, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token},
        secure=True,
        headers={"Origin": "https://testserver", "Referer": "https://testserver/accounts/"},
    )
    assert response.status_code == 302, response.content[:300]
    assert response["Location"] == "/private/"
    # Sign-in rotates the CSRF token (C5), still under the prefixed name.
    assert response.cookies["__Host-csrftoken"].value
