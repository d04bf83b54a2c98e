"""Audit of docs/security.md A (abuse), X (faults) and L (logging and configuration): what the
existing tests left open.

A1: the documented defaults are the ones in force, and sign-up is limited per address too.
L2: security events at page level (a rejected token names its reason; self-service changes name
the sub), never the address. L4: the headers on signed-in pages and on 429/503 answers.
L1: the self-service journeys (TOTP set-up, password change, email change) leak nothing at DEBUG.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client

from cognito_forms import gateway, process_memo
from cognito_forms import tokens as token_verifier
from cognito_forms.conf import app_settings
from tests.account_helpers import NEW_PASSWORD, PASSWORD, member
from tests.fault_servers import closed_port
from tests.journeys import STRONG, UNAVAILABLE, text
from tests.quality_pages import PAGE_IDS, PAGES, TYPED, Reach, signed_in
from tests.test_headers import _assert_security_headers
from tests.test_logging_secrets import collector, everything_at_debug  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _one_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """All requests of a test in one (fixed) rate window, whatever the wall clock says."""
    from types import SimpleNamespace

    from cognito_forms import ratelimit

    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 2_000_000_101.0))


def _security_events(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "cognito_forms.security"]


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


# --- L2 ----------------------------------------------------------------------------------------
def test_a_tampered_session_cookie_is_logged_as_a_rejected_token_with_its_reason(
    signed_in_client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    value = signed_in_client.cookies["cf_session"].value
    signed_in_client.cookies["cf_session"] = value[:-8] + (
        "A" * 8 if value[-8:] != "A" * 8 else "B" * 8
    )
    with caplog.at_level(logging.INFO, logger="cognito_forms.security"):
        response = signed_in_client.get("/private/", REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 302
    (record,) = [r for r in _security_events(caplog) if getattr(r, "event", "") == "token_rejected"]
    assert getattr(record, "reason", "")
    assert getattr(record, "client_ip", None) == "192.0.2.7"
    assert getattr(record, "request_id", None)
    assert value[:40] not in record.getMessage()


def test_self_service_changes_are_logged_with_the_sub_and_never_the_address(
    client: Client, cognito: Any, caplog: pytest.LogCaptureFixture
) -> None:
    sub = member(cognito, client, "self@example.com")
    with caplog.at_level(logging.INFO, logger="cognito_forms.security"):
        response = client.post(
            "/accounts/password/change/",
            {"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        )
        assert response.status_code == 302
        response = client.post("/accounts/profile/email/change/", {"value": "moved@example.com"})
        assert response.status_code == 302
    events = {getattr(r, "event", ""): r for r in _security_events(caplog)}
    assert {"password_changed", "attribute_change_started"} <= set(events)
    for record in events.values():
        assert getattr(record, "sub", None) == sub
        assert getattr(record, "client_ip", None) == "127.0.0.1"
        assert getattr(record, "request_id", None)
        assert "self@example.com" not in record.getMessage()
        assert "moved@example.com" not in record.getMessage()


# --- L4 ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "path",
    ["/accounts/profile/", "/accounts/password/change/", "/accounts/mfa/", "/accounts/delete/"],
)
def test_signed_in_account_pages_carry_the_security_headers(
    client: Client, cognito: Any, path: str
) -> None:
    member(cognito, client)
    response = client.get(path)
    assert response.status_code == 200
    _assert_security_headers(response)


def test_a_rate_limited_and_an_unavailable_answer_carry_the_security_headers(
    client: Client, cognito: Any, settings: Any
) -> None:
    settings.COGNITO_RATE_LIMITS = {"forgot": "1/m/ip"}
    client.post("/accounts/password/forgot/", {"email": "h@example.com"})
    limited = client.post("/accounts/password/forgot/", {"email": "h@example.com"})
    assert limited.status_code == 429
    _assert_security_headers(limited)
    settings.COGNITO_RATE_LIMITS = {}
    settings.COGNITO_ENDPOINT_URL = f"http://127.0.0.1:{closed_port()}"
    down = Client().post("/accounts/password/forgot/", {"email": "h@example.com"})
    assert down.status_code == 503
    _assert_security_headers(down)


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


# --- L1 for the self-service journeys ----------------------------------------------------------
def test_no_secret_of_the_self_service_journeys_reaches_a_log_even_at_debug(
    client: Client,
    cognito: Any,
    collector: Any,  # noqa: F811 (the fixture imported above)
    everything_at_debug: Any,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    from tests.journeys import totp
    from tests.test_logging_secrets import _appears, _captured, _step

    member(cognito, client, "self-debug@example.com")
    collector.cookies(client)
    _step(client, collector, "post", "/accounts/reauth/", password=PASSWORD)
    # An authenticator app: the secret Cognito hands out, and a code from it.
    _step(client, collector, "get", "/accounts/mfa/totp/")
    secret = next(v for v in collector.values if len(v) >= 16 and v.isalnum() and v.isupper())
    code = totp(secret, cognito.lc.clock.now())
    response = _step(client, collector, "post", "/accounts/mfa/totp/", code=code, device_name="P")
    assert response.status_code == 302
    # A password change, then an email change with its verification code.
    _step(
        client,
        collector,
        "post",
        "/accounts/password/change/",
        current_password=PASSWORD,
        new_password=NEW_PASSWORD,
    )
    _step(client, collector, "post", "/accounts/profile/email/change/", value="next@example.com")
    verify_code = cognito.code_for("next@example.com", "verify_email")
    _step(client, collector, "post", "/accounts/profile/email/verify/", code=verify_code)
    for value in (PASSWORD, NEW_PASSWORD, secret, code, verify_code):
        collector.add(value)
    assert cognito.calls["AssociateSoftwareToken"] == 1
    assert cognito.calls["VerifyUserAttribute"] == 1
    output = _captured(caplog, everything_at_debug)
    assert "botocore" in output
    leaked = sorted(v[:12] + "..." for v in collector.values if _appears(v, output))
    assert not leaked, f"secrets in the log: {leaked}"


def test_a_missing_template_variable_logs_its_name_but_not_the_context(
    caplog: pytest.LogCaptureFixture,
) -> None:
    from django.template import Context, Template

    caplog.set_level(logging.DEBUG, logger="django.template")
    Template("{{ form_action.x }}").render(Context({"secret": "JBSWY3DPEHPK3PXPJBSWY3DP"}))
    (record,) = [r for r in caplog.records if r.name == "django.template"]
    assert "form_action" in record.getMessage()
    assert record.exc_info is None
    assert "JBSWY3DPEHPK3PXP" not in caplog.text


# --- X3 for the session layer: a refresh against a hanging Cognito -----------------------------
def test_an_expired_session_with_cognito_hanging_answers_within_the_budget_and_keeps_cookies(
    sign_in_client: Any, cognito: Any, settings: Any
) -> None:
    import time

    from tests.fault_servers import silent_server
    from tests.test_refresh import expired_browser

    browser = expired_browser(sign_in_client, cognito)
    with silent_server() as url:
        settings.COGNITO_ENDPOINT_URL = url
        settings.COGNITO_READ_TIMEOUT = 0.5
        started = time.monotonic()
        response = browser.get("/private/")
        elapsed = time.monotonic() - started
    assert elapsed < 3, elapsed
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert "cf_session" not in response.cookies  # never a sign-out because Cognito was slow
    assert gateway.attempts["GetTokensFromRefreshToken"] == 1  # a read timeout is not retried


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
