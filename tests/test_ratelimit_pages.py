"""Hammering every account form (docs/security.md A1): the (N+1)th POST is a 429 page with
Retry-After that keeps what the visitor typed (never a password), Cognito is not called for it,
and nothing answers 500."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from cognito_forms import gateway
from cognito_forms.conf import app_settings
from tests.journeys import STRONG, text, totp

# Every request of a test in one rate window (conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("one_rate_window")]

TYPED_PASSWORD = "Typed-Secret-9!xyz"
LIMITS = {
    "signin": "3/m/ip",
    "signin_failed": "100/m/ip,100/300s/key",
    "signup": "3/m/ip",
    "confirm": "3/m/ip,100/300s/key",
    "resend": "3/m/ip,100/300s/key",
    "forgot": "3/m/ip,100/m/key",
    "reset": "3/m/ip,100/300s/key",
    "mfa": "3/m/ip,100/300s/key",
}


def _hammer(client: Client, path: str, data: dict[str, str], limit: int = 3) -> Any:
    for attempt in range(limit):
        response = client.post(path, data)
        assert response.status_code not in (429, 500), (attempt, response.status_code)
    before = sum(gateway.calls.values())
    response = client.post(path, data)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert sum(gateway.calls.values()) == before  # refused before any Cognito call
    page = text(response)
    assert "Too many attempts" in page
    assert TYPED_PASSWORD not in page
    return response


@pytest.fixture
def limits(settings: Any, cognito: Any) -> None:
    settings.COGNITO_RATE_LIMITS = LIMITS


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/accounts/signin/", {"email": "eve@example.com", "password": TYPED_PASSWORD}),
        (
            "/accounts/signup/",
            {"email": "eve@example.com", "password": TYPED_PASSWORD, "name": "Eve Example"},
        ),
        ("/accounts/confirm/", {"email": "eve@example.com", "code": "123456"}),
        ("/accounts/confirm/resend/", {"email": "eve@example.com"}),
        ("/accounts/password/forgot/", {"email": "eve@example.com"}),
        (
            "/accounts/password/reset/",
            {"email": "eve@example.com", "code": "123456", "password": TYPED_PASSWORD},
        ),
    ],
)
def test_hammering_a_form_gives_429_with_retry_after_and_keeps_the_input(
    client: Client, limits: None, path: str, data: dict[str, str]
) -> None:
    response = _hammer(client, path, data)
    page = text(response)
    if "email" in data and re.search(r'name="email"', page):
        assert 'value="eve@example.com"' in page
    if "name" in data:
        assert 'value="Eve Example"' in page


def test_failed_sign_ins_are_limited_per_email_across_addresses(
    client: Client, cognito: Any, settings: Any
) -> None:
    settings.COGNITO_RATE_LIMITS = {"signin": "100/m/ip", "signin_failed": "100/m/ip,3/300s/key"}
    cognito.create_user("victim@example.com", STRONG)
    for n in range(3):
        response = client.post(
            "/accounts/signin/",
            {"email": "Victim@Example.com", "password": f"Wrong-{n}-Passw0rd!"},
            REMOTE_ADDR=f"198.51.100.{n}",
        )
        assert response.status_code == 200
    before = gateway.calls["InitiateAuth"]
    response = client.post(
        "/accounts/signin/",
        {"email": "victim@example.com", "password": STRONG},
        REMOTE_ADDR="198.51.100.99",
    )
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 300
    assert gateway.calls["InitiateAuth"] == before
    assert 'value="victim@example.com"' in text(response)


def test_successful_sign_ins_do_not_count_as_failures(
    client: Client, cognito: Any, settings: Any
) -> None:
    settings.COGNITO_RATE_LIMITS = {"signin": "100/m/ip", "signin_failed": "100/m/ip,2/300s/key"}
    cognito.create_user("ok@example.com", STRONG)
    for _ in range(4):
        response = Client().post(
            "/accounts/signin/", {"email": "ok@example.com", "password": STRONG}
        )
        assert response.status_code == 302


def test_rate_limited_sign_in_is_logged_as_a_security_event(
    client: Client, limits: None, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level("INFO", logger="cognito_forms.security"):
        _hammer(client, "/accounts/signin/", {"email": "eve@example.com", "password": "x"})
    events = [getattr(r, "event", None) for r in caplog.records]
    assert "rate_limited" in events


def test_hammering_mfa_codes_gives_429(client: Client, cognito: Any, limits: None) -> None:
    from local_cognito.totp import new_secret

    secret = new_secret()
    cognito.create_user("mfa-limit@example.com", STRONG, totp_secret=secret)
    response = client.post(
        "/accounts/signin/", {"email": "mfa-limit@example.com", "password": STRONG}
    )
    assert response["Location"].endswith("/accounts/signin/code/")
    wrong = "000000" if totp(secret) != "000000" else "111111"
    # One sign-in POST already counted against "signin", not against "mfa".
    for _ in range(3):
        response = client.post("/accounts/signin/code/", {"code": wrong})
        assert response.status_code not in (429, 500)
        if response.status_code == 302:  # the challenge restarted after too many codes
            pytest.skip("the challenge's own attempt limit is lower than the rate limit")
    response = client.post("/accounts/signin/code/", {"code": totp(secret)})
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1


def test_limits_expire(client: Client, limits: None, monkeypatch: pytest.MonkeyPatch) -> None:
    from cognito_forms import ratelimit

    now = [2_000_000.0]
    monkeypatch.setattr(ratelimit.time, "time", lambda: now[0])
    response = _hammer(client, "/accounts/password/forgot/", {"email": "eve@example.com"})
    now[0] += int(response["Retry-After"])
    response = client.post("/accounts/password/forgot/", {"email": "eve@example.com"})
    assert response.status_code in (200, 302)


def test_asking_for_codes_to_new_addresses_is_rate_limited(
    client: Client, cognito: Any, settings: Any
) -> None:
    from tests.account_helpers import member

    settings.COGNITO_RATE_LIMITS = {"resend": "3/m/ip,100/300s/key"}
    member(cognito, client, "changer@example.com")
    path = "/accounts/profile/email/change/"
    for n in range(3):
        response = client.post(path, {"value": f"new{n}@example.com"})
        assert response.status_code not in (429, 500)
    before = sum(gateway.calls.values())
    response = client.post(path, {"value": "victim@example.com"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert 'value="victim@example.com"' in text(response)
    assert sum(gateway.calls.values()) == before


# --- A1 ----------------------------------------------------------------------------------------
def test_the_default_limits_are_the_documented_ones(settings: Any) -> None:
    settings.COGNITO_RATE_LIMITS = {}
    limits = app_settings.RATE_LIMITS
    assert limits["signin"] == "30/m/ip"
    # Per network, per address and network, and a per-address ceiling (docs/security.md S7).
    assert limits["signin_failed"] == "10/m/ip,5/300s/key_ip,50/h/key"
    assert limits["forgot"] == "20/m/ip,5/m/key"
    # Every journey docs/security.md A1 names is limited both per IP and per address.
    for action in ("signup", "confirm", "resend", "forgot", "reset", "mfa", "signin_failed"):
        scopes = {part.rsplit("/", 1)[-1] for part in str(limits[action]).split(",")}
        assert scopes - {"key_ip"} == {"ip", "key"}, action


def test_with_the_defaults_a_sixth_forgot_password_for_one_address_is_refused_from_any_ip(
    client: Client, cognito: Any, settings: Any
) -> None:
    settings.COGNITO_RATE_LIMITS = {}
    for n in range(5):
        response = client.post(
            "/accounts/password/forgot/",
            {"email": "Target@Example.com"},
            REMOTE_ADDR=f"203.0.113.{n}",
        )
        assert response.status_code == 302
    before = gateway.calls["ForgotPassword"]
    response = client.post(
        "/accounts/password/forgot/", {"email": "target@example.com"}, REMOTE_ADDR="203.0.113.99"
    )
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert gateway.calls["ForgotPassword"] == before
    assert 'value="target@example.com"' in text(response)


def test_with_the_defaults_sign_ups_for_one_address_are_limited_across_ips(
    client: Client, cognito: Any, settings: Any
) -> None:
    settings.COGNITO_RATE_LIMITS = {}
    data = {"email": "spam-target@example.com", "password": STRONG, "name": "Sam Target"}
    for n in range(10):
        response = Client().post("/accounts/signup/", data, REMOTE_ADDR=f"198.51.100.{n}")
        assert response.status_code in (200, 302), response.status_code
    before = gateway.calls["SignUp"]
    response = Client().post("/accounts/signup/", data, REMOTE_ADDR="198.51.100.200")
    assert response.status_code == 429
    assert gateway.calls["SignUp"] == before
    assert 'value="Sam Target"' in text(response)
    assert STRONG not in text(response)
