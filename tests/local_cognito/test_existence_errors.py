"""PreventUserExistenceErrors: ENABLED hides unknown users; LEGACY says UserNotFoundException."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from local_cognito import LocalCognito, SeedResult

from .conftest import error_of

GHOST = "ghost@example.com"


def _password_sign_in(idp: Any, seed: SeedResult) -> None:
    idp.initiate_auth(
        ClientId=seed.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": GHOST, "PASSWORD": "Whatever-Passw0rd!"},
    )


def test_enabled_sign_in_of_unknown_user_is_generic(seed: SeedResult, idp: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        _password_sign_in(idp, seed)
    assert error_of(excinfo) == ("NotAuthorizedException", "Incorrect username or password.")


def test_enabled_forgot_and_resend_answer_plausibly_without_sending(
    lc: LocalCognito, seed: SeedResult, idp: Any
) -> None:
    forgot = idp.forgot_password(ClientId=seed.client_id, Username=GHOST)
    assert forgot["CodeDeliveryDetails"] == {
        "Destination": "g***@e***",
        "DeliveryMedium": "EMAIL",
        "AttributeName": "email",
    }
    resend = idp.resend_confirmation_code(ClientId=seed.client_id, Username=GHOST)
    assert resend["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    assert lc.outbox.messages() == []


def test_enabled_forgot_for_unverified_user_looks_the_same(
    lc: LocalCognito, seed: SeedResult, idp: Any
) -> None:
    lc.create_user("unverified@example.com", "Unverified-Passw0rd!", confirmed=False)
    forgot = idp.forgot_password(ClientId=seed.client_id, Username="unverified@example.com")
    assert forgot["CodeDeliveryDetails"]["Destination"] == "u***@e***"
    assert lc.outbox.messages() == []


def test_enabled_confirmations_for_unknown_user(seed: SeedResult, idp: Any) -> None:
    with pytest.raises(idp.exceptions.CodeMismatchException):
        idp.confirm_forgot_password(
            ClientId=seed.client_id,
            Username=GHOST,
            ConfirmationCode="123456",
            Password="Whatever-Passw0rd!",
        )
    # Cognito documents ExpiredCodeException for ConfirmSignUp of a user that isn't found.
    with pytest.raises(idp.exceptions.ExpiredCodeException):
        idp.confirm_sign_up(ClientId=seed.client_id, Username=GHOST, ConfirmationCode="123456")


def test_legacy_reports_user_not_found(lc: LocalCognito, seed: SeedResult, idp: Any) -> None:
    lc.update_client(PreventUserExistenceErrors="LEGACY")
    calls = [
        lambda: _password_sign_in(idp, seed),
        lambda: idp.forgot_password(ClientId=seed.client_id, Username=GHOST),
        lambda: idp.resend_confirmation_code(ClientId=seed.client_id, Username=GHOST),
        lambda: idp.confirm_sign_up(
            ClientId=seed.client_id, Username=GHOST, ConfirmationCode="123456"
        ),
        lambda: idp.confirm_forgot_password(
            ClientId=seed.client_id,
            Username=GHOST,
            ConfirmationCode="123456",
            Password="Whatever-Passw0rd!",
        ),
        lambda: idp.initiate_auth(
            ClientId=seed.client_id,
            AuthFlow="USER_SRP_AUTH",
            AuthParameters={"USERNAME": GHOST, "SRP_A": "abc123"},
        ),
    ]
    for call in calls:
        with pytest.raises(idp.exceptions.UserNotFoundException):
            call()


def test_enabled_srp_for_unknown_user_returns_a_challenge(seed: SeedResult, idp: Any) -> None:
    response = idp.initiate_auth(
        ClientId=seed.client_id,
        AuthFlow="USER_SRP_AUTH",
        AuthParameters={"USERNAME": GHOST, "SRP_A": "abc123"},
    )
    assert response["ChallengeName"] == "PASSWORD_VERIFIER"
    assert set(response["ChallengeParameters"]) >= {
        "SALT",
        "SRP_B",
        "SECRET_BLOCK",
        "USER_ID_FOR_SRP",
    }
