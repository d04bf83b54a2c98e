"""An app client with a secret: every journey proves it on every Cognito call that takes it.

The gateway adds SECRET_HASH itself (``SecretHash``; SECRET_HASH inside AuthParameters and
ChallengeResponses for the USERNAME they carry) and ``ClientSecret`` for the token endpoints;
flows never build it. The embedded Cognito does not check the hash, so these tests read what
botocore was asked to send and check each value against Cognito's documented formula:
Base64(HMAC-SHA256(client secret, username + client id)).
"""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from cognito_forms import gateway
from local_cognito.seed import CLIENT_CONFIG
from tests.journeys import DEMO_EMAIL, DEMO_PASSWORD, STRONG, signed_in, totp
from tests.session_helpers import idp_client

pytestmark = pytest.mark.django_db

#: Operations that take the hash as their own ``SecretHash`` parameter.
SECRET_HASH_PARAM = {
    "SignUp",
    "ConfirmSignUp",
    "ResendConfirmationCode",
    "ForgotPassword",
    "ConfirmForgotPassword",
}
#: Operations that take the client secret itself.
CLIENT_SECRET_PARAM = {"GetTokensFromRefreshToken", "RevokeToken"}
#: Operations whose parameters carry a USERNAME and its SECRET_HASH.
IN_PARAMETERS = {"InitiateAuth": "AuthParameters", "RespondToAuthChallenge": "ChallengeResponses"}


class SecretClient:
    def __init__(self, client_id: str, secret: str) -> None:
        self.client_id = client_id
        self.secret = secret
        self.sent: list[tuple[str, dict[str, Any]]] = []

    def record(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        self.sent.append((model.name, copy.deepcopy(params)))

    def hash_for(self, username: str) -> str:
        message = (username + self.client_id).encode()
        digest = hmac.new(self.secret.encode(), message, hashlib.sha256).digest()
        return base64.b64encode(digest).decode()

    def operations(self) -> set[str]:
        return {name for name, _ in self.sent}

    def assert_every_call_proves_the_secret(self) -> None:
        assert self.sent
        for name, params in self.sent:
            if name in SECRET_HASH_PARAM:
                assert params.get("SecretHash") == self.hash_for(params["Username"]), name
            elif name in IN_PARAMETERS:
                values = params[IN_PARAMETERS[name]]
                assert values.get("SECRET_HASH") == self.hash_for(values["USERNAME"]), name
            elif name in CLIENT_SECRET_PARAM:
                assert params.get("ClientSecret") == self.secret, name
            else:  # the access-token operations take no secret: botocore would refuse it
                assert "SecretHash" not in params, name


@pytest.fixture
def secret_client(cognito: Any, settings: Any) -> Iterator[SecretClient]:
    """The seeded client's configuration, with a secret the emulator generates; every call the
    site makes is recorded as botocore receives it."""
    created = idp_client(cognito).create_user_pool_client(
        UserPoolId=cognito.seed.pool_id, GenerateSecret=True, **copy.deepcopy(CLIENT_CONFIG)
    )["UserPoolClient"]
    settings.COGNITO_CLIENT_ID = created["ClientId"]
    settings.COGNITO_CLIENT_SECRET = created["ClientSecret"]
    handle = SecretClient(created["ClientId"], created["ClientSecret"])
    events = gateway.client().meta.events
    events.register("provide-client-params.cognito-identity-provider", handle.record, "secret")
    try:
        yield handle
    finally:
        events.unregister("provide-client-params.cognito-identity-provider", unique_id="secret")


def test_sign_up_resend_confirm_and_sign_in_prove_the_secret(
    client: Client, cognito: Any, secret_client: SecretClient, settings: Any
) -> None:
    settings.COGNITO_RESEND_COOLDOWN = 0
    email = "secret@example.com"
    data = {"email": email, "password": STRONG, "name": "Ada", "custom_company": "ACME"}
    assert client.post("/accounts/signup/", data).status_code == 302
    assert client.post("/accounts/confirm/resend/").status_code == 302
    response = client.post("/accounts/confirm/", {"code": cognito.code_for(email)})
    assert signed_in(response)  # ConfirmSignUp's Session, then InitiateAuth USER_AUTH
    srp = Client().post("/accounts/signin/", {"email": email, "password": STRONG})
    assert signed_in(srp)

    assert {
        "SignUp",
        "ResendConfirmationCode",
        "ConfirmSignUp",
        "InitiateAuth",
        "RespondToAuthChallenge",
    } <= secret_client.operations()
    secret_client.assert_every_call_proves_the_secret()


def test_password_sign_in_reset_and_sign_out_prove_the_secret(
    client: Client, cognito: Any, secret_client: SecretClient, settings: Any
) -> None:
    settings.COGNITO_AUTH_FLOW = "USER_PASSWORD_AUTH"
    client.post("/accounts/password/forgot/", {"email": DEMO_EMAIL})
    code = cognito.code_for(DEMO_EMAIL, "forgot_password")
    new = "Brand-New-Passw0rd!"
    assert signed_in(client.post("/accounts/password/reset/", {"code": code, "password": new}))
    browser = Client()
    assert signed_in(browser.post("/accounts/signin/", {"email": DEMO_EMAIL, "password": new}))
    assert browser.post("/accounts/signout/").status_code == 302

    assert {"ForgotPassword", "ConfirmForgotPassword", "InitiateAuth", "RevokeToken"} <= (
        secret_client.operations()
    )
    secret_client.assert_every_call_proves_the_secret()


def test_challenges_and_choice_based_sign_in_prove_the_secret(
    client: Client, cognito: Any, secret_client: SecretClient, settings: Any
) -> None:
    secret = base64.b32encode(b"0123456789abcdefghij").decode()
    cognito.create_user("mfa@example.com", STRONG, totp_secret=secret)
    client.post("/accounts/signin/", {"email": "mfa@example.com", "password": STRONG})
    assert signed_in(client.post("/accounts/signin/code/", {"code": totp(secret)}))

    settings.COGNITO_CHOICE_BASED_SIGN_IN = True
    for method, password in (("EMAIL_OTP", None), ("PASSWORD", DEMO_PASSWORD)):
        browser = Client()
        browser.post("/accounts/signin/", {"email": DEMO_EMAIL})
        chosen = {"method": method, **({"password": password} if password else {})}
        response = browser.post("/accounts/signin/choose/", chosen)
        if method == "EMAIL_OTP":
            code = cognito.code_for(DEMO_EMAIL)
            response = browser.post("/accounts/signin/code/", {"code": code})
        assert signed_in(response), method

    names = [name for name, _ in secret_client.sent]
    assert names.count("RespondToAuthChallenge") >= 5  # SRP, TOTP, SELECT x2, OTP, SRP again
    secret_client.assert_every_call_proves_the_secret()


def test_a_refresh_and_a_revocation_send_the_client_secret(
    cognito: Any, secret_client: SecretClient
) -> None:
    tokens = idp_client(cognito).initiate_auth(
        ClientId=secret_client.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={
            "USERNAME": DEMO_EMAIL,
            "PASSWORD": DEMO_PASSWORD,
            "SECRET_HASH": secret_client.hash_for(DEMO_EMAIL),
        },
    )["AuthenticationResult"]
    refreshed = gateway.refresh(refresh_token=tokens["RefreshToken"])
    gateway.revoke(refresh_token=refreshed.refresh_token or tokens["RefreshToken"])

    assert secret_client.operations() == CLIENT_SECRET_PARAM
    secret_client.assert_every_call_proves_the_secret()
