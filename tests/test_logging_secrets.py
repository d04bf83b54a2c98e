"""No secret in any log (docs/security.md L1): every journey runs with every logger, botocore and
urllib3 included, at DEBUG; the captured output is searched for each password, code, token,
refresh token, Cognito Session, SRP value and cookie value that was used."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from cognito_forms import gateway
from cognito_forms import tokens as token_verifier
from tests.account_helpers import NEW_PASSWORD, PASSWORD, member
from tests.journeys import DEMO_EMAIL, DEMO_PASSWORD, totp

pytestmark = pytest.mark.django_db

#: Names of request/response fields whose values are secrets (Cognito's and the SRP exchange's).
SECRET_FIELD = re.compile(
    r"password|token|code|session|secret|srp_|salt|signature|answer|otp", re.IGNORECASE
)
NOT_SECRET_FIELD = re.compile(r"deliver|type|expires|name|medium|attribute", re.IGNORECASE)
#: Loggers of the embedded Cognito (moto, its HTTP server): not part of the product.
EMULATOR_LOGGERS = ("local_cognito", "moto", "werkzeug", "responses")

P1 = "First-Passw0rd!x"
P2 = "Second-Passw0rd?y"
WRONG = "Wrong-Passw0rd#z"


class SecretCollector:
    """Every secret value sent to or received from Cognito, plus the cookies and form values."""

    def __init__(self) -> None:
        self.values: set[str] = set()

    def add(self, value: Any) -> None:
        if isinstance(value, str) and len(value) >= 6:
            self.values.add(value)

    def walk(self, data: Any, secret: bool = False) -> None:
        if isinstance(data, dict):
            for key, value in data.items():
                name = str(key)
                is_secret = bool(SECRET_FIELD.search(name)) and not NOT_SECRET_FIELD.search(name)
                self.walk(value, secret or is_secret)
        elif isinstance(data, list | tuple):
            for item in data:
                self.walk(item, secret)
        elif secret:
            self.add(data)

    def cookies(self, client: Client) -> None:
        for morsel in client.cookies.values():
            self.add(morsel.value)


@pytest.fixture
def collector(monkeypatch: pytest.MonkeyPatch) -> SecretCollector:
    found = SecretCollector()
    real_call = gateway.connection.call

    def recording_call(operation: str, **params: Any) -> dict[str, Any]:
        response = real_call(operation, **params)
        if not operation.startswith("describe_"):  # configuration, not secrets
            found.walk(params)
            found.walk(response)
        return response

    monkeypatch.setattr(gateway.connection, "call", recording_call)
    return found


@pytest.fixture
def everything_at_debug(caplog: pytest.LogCaptureFixture) -> Iterator[io.StringIO]:
    """caplog at DEBUG on the root logger, every known logger at DEBUG, and a DEBUG handler
    straight on botocore (so nothing depends on propagation)."""
    caplog.set_level(logging.DEBUG)
    names = ["botocore", "boto3", "urllib3", "django", "cognito_forms", "pycognito", "py.warnings"]
    for name in [*names, *logging.root.manager.loggerDict]:
        caplog.set_level(logging.DEBUG, logger=name)
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setLevel(logging.DEBUG)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    botocore = logging.getLogger("botocore")
    botocore.addHandler(handler)
    try:
        yield buffer
    finally:
        botocore.removeHandler(handler)


def _step(client: Client, collector: SecretCollector, method: str, path: str, **data: Any) -> Any:
    response = getattr(client, method)(path, data) if data else getattr(client, method)(path)
    assert response.status_code < 500, (path, response.status_code)
    collector.cookies(client)
    return response


def _captured(caplog: pytest.LogCaptureFixture, buffer: io.StringIO) -> str:
    lines = [buffer.getvalue()]
    for record in caplog.records:
        if record.name.startswith(EMULATOR_LOGGERS):
            continue
        lines.append(f"{record.name} {record.getMessage()} {record.__dict__!r}")
        if record.exc_info and record.exc_info[1] is not None:
            lines.append(repr(record.exc_info[1]))
    return "\n".join(lines)


def _appears(value: str, output: str) -> bool:
    if value.isdigit():
        # A 6-digit code must not match inside a timestamp or a thread id of a record.
        return re.search(rf"(?<![\d.]){value}(?![\d.])", output) is not None
    return value in output


def test_no_secret_of_any_journey_reaches_a_log_even_at_debug(
    cognito: Any,
    collector: SecretCollector,
    everything_at_debug: io.StringIO,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(token_verifier, "now", cognito.lc.clock.now)
    token_verifier.reset_caches()
    email = "logs@example.com"
    browser = Client()

    # Sign-up and confirmation.
    _step(browser, collector, "post", "/accounts/signup/", email=email, password=P1, name="Lo G")
    code = cognito.code_for(email, "sign_up")
    _step(browser, collector, "post", "/accounts/confirm/", code=code)
    _step(browser, collector, "post", "/accounts/signout/")

    # Sign-in (SRP), a page, a refresh after the access token expired, sign-out.
    browser = Client()
    _step(browser, collector, "post", "/accounts/signin/", email=email, password=WRONG)
    _step(browser, collector, "post", "/accounts/signin/", email=email, password=P1)
    assert _step(browser, collector, "get", "/private/").status_code == 200
    cognito.lc.clock.advance(3700)
    assert _step(browser, collector, "get", "/private/").status_code == 200
    assert cognito.calls["GetTokensFromRefreshToken"] == 1
    _step(browser, collector, "post", "/accounts/signout/")

    # Forgot and reset (signing out everywhere), then sign-in with the new password.
    browser = Client()
    _step(browser, collector, "post", "/accounts/password/forgot/", email=email)
    reset_code = cognito.code_for(email, "forgot_password")
    _step(
        browser,
        collector,
        "post",
        "/accounts/password/reset/",
        code=reset_code,
        password=P2,
        sign_out_everywhere="on",
    )
    _step(browser, collector, "post", "/accounts/signin/", email=email, password=P2)

    # A TOTP second factor.
    from local_cognito.totp import new_secret

    secret = new_secret()
    cognito.create_user("mfa-logs@example.com", P1, totp_secret=secret)
    browser = Client()
    _step(
        browser, collector, "post", "/accounts/signin/", email="mfa-logs@example.com", password=P1
    )
    mfa_code = totp(secret, cognito.lc.clock.now())
    response = _step(browser, collector, "post", "/accounts/signin/code/", code=mfa_code)
    assert response.status_code == 302

    # The demo account, signed in and out once more.
    browser = Client()
    _step(browser, collector, "post", "/accounts/signin/", email=DEMO_EMAIL, password=DEMO_PASSWORD)
    _step(browser, collector, "post", "/accounts/signout/")

    for value in (P1, P2, WRONG, DEMO_PASSWORD, code, reset_code, mfa_code, secret):
        collector.add(value)
    output = _captured(caplog, everything_at_debug)
    assert "botocore" in output  # botocore really logged at DEBUG
    assert cognito.calls["RespondToAuthChallenge"] >= 2
    assert len(collector.values) > 20
    # The same run produced the security events of each journey, each with who/where/which.
    security = [r for r in caplog.records if r.name == "cognito_forms.security"]
    events = {getattr(r, "event", "") for r in security}
    expected = {"signup", "confirmed", "signin_ok", "signin_failed", "signout", "password_reset"}
    assert expected <= events, expected - events
    for record in security:
        assert getattr(record, "request_id", None)
        assert getattr(record, "client_ip", None) == "127.0.0.1"
        assert getattr(record, "sub", None) or getattr(record, "email_hash", None)
        assert email not in record.getMessage()
    leaked = sorted(value[:12] + "..." for value in collector.values if _appears(value, output))
    assert not leaked, f"secrets in the log: {leaked}"


# --- L1 for the self-service journeys ----------------------------------------------------------
def test_no_secret_of_the_self_service_journeys_reaches_a_log_even_at_debug(
    client: Client,
    cognito: Any,
    collector: Any,
    everything_at_debug: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from tests.journeys import totp

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
