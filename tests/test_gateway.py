"""The gateway: Cognito's error codes become our exceptions, network trouble becomes
ServiceUnavailable within the time budget, and every call is counted."""

from __future__ import annotations

import base64
import hashlib
import hmac
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.stub import Stubber

from cognito_forms import exceptions as exc
from cognito_forms import gateway
from cognito_forms.gateway import describe
from cognito_forms.types import Challenge

from . import fault_servers


@pytest.fixture
def stubbed(settings: Any) -> Iterator[Stubber]:
    settings.COGNITO_ENDPOINT_URL = "http://127.0.0.1:9"
    settings.COGNITO_USER_POOL_ID = "us-east-1_LocalDemo"
    settings.COGNITO_CLIENT_ID = "localdemoclient00000000000"
    gateway.reset_counters()
    with Stubber(gateway.client()) as stubber:
        yield stubber


@pytest.mark.parametrize(
    ("code", "expected", "field"),
    [
        ("NotAuthorizedException", exc.NotAuthorized, None),
        ("UsernameExistsException", exc.UsernameExists, "email"),
        ("InvalidPasswordException", exc.InvalidPassword, "password"),
        ("CodeMismatchException", exc.CodeMismatch, "code"),
        ("ExpiredCodeException", exc.ExpiredCode, "code"),
        ("LimitExceededException", exc.LimitExceeded, None),
        ("TooManyFailedAttemptsException", exc.TooManyFailedAttempts, None),
        ("TooManyRequestsException", exc.TooManyRequests, None),
        ("InternalErrorException", exc.ServiceUnavailable, None),
        ("UserLambdaValidationException", exc.LambdaRefused, None),
        ("InvalidParameterException", exc.InvalidParameter, None),
        ("UserNotConfirmedException", exc.UserNotConfirmed, None),
        ("PasswordResetRequiredException", exc.PasswordResetRequired, None),
        ("SomethingNewException", exc.CognitoUnknownError, None),
    ],
)
def test_cognito_error_codes_become_our_exceptions_with_their_field(
    stubbed: Stubber, code: str, expected: type[exc.CognitoFormsError], field: str | None
) -> None:
    stubbed.add_client_error(
        "sign_up",
        service_error_code=code,
        service_message="User input echo: secret",
        http_status_code=400,
    )
    with pytest.raises(expected) as raised:
        gateway.sign_up(username="a@example.com", password="Pw-123456789!", attributes={})
    assert type(raised.value) is expected
    assert raised.value.field == field
    # Cognito's own message may echo what the user typed: it never reaches our exception.
    assert "secret" not in str(raised.value)
    assert raised.value.__cause__ is not None
    assert gateway.calls["SignUp"] == 1


def test_unknown_5xx_error_is_service_unavailable(stubbed: Stubber) -> None:
    stubbed.add_client_error("forgot_password", service_error_code="Weird", http_status_code=502)
    with pytest.raises(exc.ServiceUnavailable):
        gateway.forgot_password(username="a@example.com")


def test_successful_sign_up_returns_a_typed_result(stubbed: Stubber) -> None:
    stubbed.add_response(
        "sign_up",
        {
            "UserConfirmed": False,
            "UserSub": "1234",
            "CodeDeliveryDetails": {
                "Destination": "a***@e***",
                "DeliveryMedium": "EMAIL",
                "AttributeName": "email",
            },
        },
        {
            "ClientId": "localdemoclient00000000000",
            "Username": "a@example.com",
            "Password": "Pw-123456789!",
            "UserAttributes": [{"Name": "email", "Value": "a@example.com"}],
        },
    )
    result = gateway.sign_up(
        username="a@example.com", password="Pw-123456789!", attributes={"email": "a@example.com"}
    )
    assert result.user_sub == "1234"
    assert result.user_confirmed is False
    assert result.delivery is not None
    assert result.delivery.medium == "EMAIL"


def test_tokens_are_hidden_from_repr(stubbed: Stubber) -> None:
    stubbed.add_response(
        "initiate_auth",
        {
            "AuthenticationResult": {
                "IdToken": "id-token-value",
                "AccessToken": "access-token-value",
                "RefreshToken": "refresh-token-value",
                "ExpiresIn": 3600,
            }
        },
    )
    result = gateway.initiate_auth(flow="USER_PASSWORD_AUTH", parameters={"USERNAME": "a"})
    text = repr(result)
    assert "token-value" not in text


def test_client_secret_adds_a_secret_hash(stubbed: Stubber, settings: Any) -> None:
    settings.COGNITO_CLIENT_SECRET = "s3cr3t"
    stubbed.add_response(
        "forgot_password",
        {},
        {
            "ClientId": "localdemoclient00000000000",
            "Username": "a@example.com",
            # Cognito's documented SECRET_HASH: Base64(HMAC-SHA256(secret, username + client id)).
            "SecretHash": base64.b64encode(
                hmac.new(
                    b"s3cr3t", b"a@example.comlocaldemoclient00000000000", hashlib.sha256
                ).digest()
            ).decode(),
        },
    )
    gateway.forgot_password(username="a@example.com")


SESSION = "cognito-session-" + "x" * 20


def _hash(secret: str, username: str) -> str:
    message = (username + "localdemoclient00000000000").encode()
    return base64.b64encode(hmac.new(secret.encode(), message, hashlib.sha256).digest()).decode()


def test_without_a_client_secret_no_secret_hash_is_added(stubbed: Stubber) -> None:
    stubbed.add_response(
        "initiate_auth",
        {"ChallengeName": "SELECT_CHALLENGE", "Session": SESSION, "ChallengeParameters": {}},
        {
            "ClientId": "localdemoclient00000000000",
            "AuthFlow": "USER_AUTH",
            "AuthParameters": {"USERNAME": "a@example.com"},
        },
    )
    stubbed.add_response(
        "respond_to_auth_challenge",
        {"AuthenticationResult": {"IdToken": "i", "AccessToken": "a"}},
        {
            "ClientId": "localdemoclient00000000000",
            "ChallengeName": "SELECT_CHALLENGE",
            "Session": SESSION,
            "ChallengeResponses": {"USERNAME": "a@example.com", "ANSWER": "EMAIL_OTP"},
        },
    )
    gateway.initiate_auth(flow="USER_AUTH", parameters={"USERNAME": "a@example.com"})
    gateway.respond_to_challenge(
        name="SELECT_CHALLENGE",
        session=SESSION,
        responses={"USERNAME": "a@example.com", "ANSWER": "EMAIL_OTP"},
    )


def test_the_secret_hash_is_for_the_username_each_call_carries(
    stubbed: Stubber, settings: Any
) -> None:
    """SRP's PASSWORD_VERIFIER answers for Cognito's internal username, not the email: the
    hash must be computed over the USERNAME the answer carries (as pycognito did)."""
    settings.COGNITO_CLIENT_SECRET = "s3cr3t"
    stubbed.add_response(
        "initiate_auth",
        {"ChallengeName": "PASSWORD_VERIFIER", "ChallengeParameters": {"USERNAME": "sub-1"}},
        {
            "ClientId": "localdemoclient00000000000",
            "AuthFlow": "USER_SRP_AUTH",
            "AuthParameters": {
                "USERNAME": "a@example.com",
                "SRP_A": "abc",
                "SECRET_HASH": _hash("s3cr3t", "a@example.com"),
            },
        },
    )
    stubbed.add_response(
        "respond_to_auth_challenge",
        {"AuthenticationResult": {"IdToken": "i", "AccessToken": "a"}},
        {
            "ClientId": "localdemoclient00000000000",
            "ChallengeName": "PASSWORD_VERIFIER",
            "ChallengeResponses": {
                "USERNAME": "sub-1",
                "PASSWORD_CLAIM_SIGNATURE": "sig",
                "SECRET_HASH": _hash("s3cr3t", "sub-1"),
            },
        },
    )
    parameters = {"USERNAME": "a@example.com", "SRP_A": "abc"}
    challenge = gateway.initiate_auth(flow="USER_SRP_AUTH", parameters=parameters)
    assert parameters == {"USERNAME": "a@example.com", "SRP_A": "abc"}  # the caller's, untouched
    assert isinstance(challenge, Challenge)
    gateway.respond_to_challenge(
        name="PASSWORD_VERIFIER",
        session=None,
        responses={"USERNAME": "sub-1", "PASSWORD_CLAIM_SIGNATURE": "sig"},
    )


def test_the_seeded_pool_and_client_are_described_as_typed_fields(cognito: Any) -> None:
    pool, client = gateway.describe_pool(), gateway.describe_client()
    assert pool.mfa_configuration == "OPTIONAL"
    assert pool.sms_configured is True
    assert pool.email_through_ses is True
    assert pool.username_attributes == ("email",)
    assert not hasattr(pool, "raw")
    assert not hasattr(client, "raw")
    assert client.has_secret is False
    assert client.refresh_token_rotation is True
    assert client.retry_grace_period_seconds == 10
    assert client.access_token_validity_seconds == 3600  # 60 minutes
    assert client.refresh_token_validity_seconds == 30 * 86400


def test_token_lifetimes_use_cognitos_default_units_and_values() -> None:
    """Without TokenValidityUnits Cognito counts access/ID tokens in hours, refresh in days."""
    described = describe.client_description(
        {"ClientId": "c", "AccessTokenValidity": 2, "RefreshTokenValidity": 5}
    )
    assert described.access_token_validity_seconds == 2 * 3600
    assert described.id_token_validity_seconds == 3600  # absent: Cognito's default
    assert described.refresh_token_validity_seconds == 5 * 86400
    assert described.refresh_token_rotation is False
    assert described.retry_grace_period_seconds == 0
    assert described.prevent_user_existence_errors == "LEGACY"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_refused_connection_is_service_unavailable(settings: Any) -> None:
    settings.COGNITO_ENDPOINT_URL = f"http://127.0.0.1:{_closed_port()}"
    settings.COGNITO_LOCAL_EMULATOR = True
    started = time.monotonic()
    with pytest.raises(exc.ServiceUnavailable) as raised:
        gateway.forgot_password(username="a@example.com")
    assert time.monotonic() - started < 5
    assert raised.value.status == 503
    assert gateway.calls["ForgotPassword"] == 1


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A server that accepts connections and never answers (its URL)."""
    with fault_servers.silent_server() as url:
        yield url


def test_server_that_never_answers_gives_up_within_the_budget(
    settings: Any, silent_server: str
) -> None:
    settings.COGNITO_ENDPOINT_URL = silent_server
    settings.COGNITO_LOCAL_EMULATOR = True
    settings.COGNITO_READ_TIMEOUT = 0.5
    settings.COGNITO_MAX_ATTEMPTS = 2
    gateway.reset_counters()
    started = time.monotonic()
    with pytest.raises(exc.ServiceUnavailable):
        gateway.forgot_password(username="a@example.com")
    elapsed = time.monotonic() - started
    # One read timeout ends the call: a silent Cognito is not asked again.
    assert elapsed < 3, elapsed  # within the budget, with room for a loaded machine
    assert gateway.calls["ForgotPassword"] == 1
    assert gateway.attempts["ForgotPassword"] == 1


def test_default_budget_for_a_silent_server_is_one_read_timeout(
    settings: Any, silent_server: str
) -> None:
    settings.COGNITO_ENDPOINT_URL = silent_server
    settings.COGNITO_LOCAL_EMULATOR = True
    settings.COGNITO_READ_TIMEOUT = 1.0  # the default attempts (3) but a shorter wait
    started = time.monotonic()
    with pytest.raises(exc.ServiceUnavailable):
        gateway.forgot_password(username="a@example.com")
    assert time.monotonic() - started < 2.9  # three attempts would take 3 s or more
    assert gateway.attempts["ForgotPassword"] == 1


def test_client_is_built_once_per_configuration(settings: Any) -> None:
    settings.COGNITO_ENDPOINT_URL = "http://127.0.0.1:9"
    assert gateway.client() is gateway.client()
    settings.COGNITO_READ_TIMEOUT = 1.5
    assert gateway.client().meta.config.read_timeout == 1.5
