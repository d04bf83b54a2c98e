"""USER_SRP_AUTH verifies the password proof for real (pycognito's AWSSRP as the client)."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError
from pycognito.aws_srp import AWSSRP

from local_cognito import LocalCognito, SeedResult

from .conftest import error_of, sign_in


def _srp(idp: Any, seed: SeedResult, username: str, password: str) -> AWSSRP:
    return AWSSRP(
        username=username,
        password=password,
        pool_id=seed.pool_id,
        client_id=seed.client_id,
        client=idp,
    )


def test_srp_with_the_right_password_signs_in(seed: SeedResult, idp: Any) -> None:
    result = _srp(idp, seed, seed.demo_email, seed.demo_password).authenticate_user()
    assert set(result["AuthenticationResult"]) >= {"AccessToken", "IdToken", "RefreshToken"}


def test_srp_with_a_wrong_password_is_refused(seed: SeedResult, idp: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        _srp(idp, seed, seed.demo_email, "Wrong-Passw0rd!").authenticate_user()
    assert error_of(excinfo) == ("NotAuthorizedException", "Incorrect username or password.")


def test_password_verifier_challenge_is_well_formed(seed: SeedResult, idp: Any) -> None:
    srp = _srp(idp, seed, seed.demo_email, seed.demo_password)
    response = idp.initiate_auth(
        ClientId=seed.client_id, AuthFlow="USER_SRP_AUTH", AuthParameters=srp.get_auth_params()
    )
    params = response["ChallengeParameters"]
    assert response["ChallengeName"] == "PASSWORD_VERIFIER"
    assert set(params) >= {"SALT", "SRP_B", "SECRET_BLOCK", "USER_ID_FOR_SRP", "USERNAME"}
    assert int(params["SRP_B"], 16) > 2**3000
    int(params["SALT"], 16)
    user = idp.admin_get_user(UserPoolId=seed.pool_id, Username=seed.demo_email)
    assert params["USER_ID_FOR_SRP"] == user["Username"]


def test_secret_block_cannot_be_replayed(seed: SeedResult, idp: Any) -> None:
    srp = _srp(idp, seed, seed.demo_email, seed.demo_password)
    auth = srp.get_auth_params()
    response = idp.initiate_auth(
        ClientId=seed.client_id, AuthFlow="USER_SRP_AUTH", AuthParameters=auth
    )
    answer = srp.process_challenge(response["ChallengeParameters"], auth)
    idp.respond_to_auth_challenge(
        ClientId=seed.client_id, ChallengeName="PASSWORD_VERIFIER", ChallengeResponses=answer
    )
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.respond_to_auth_challenge(
            ClientId=seed.client_id, ChallengeName="PASSWORD_VERIFIER", ChallengeResponses=answer
        )


def test_srp_for_unknown_user_gets_a_fake_challenge_then_generic_error(
    seed: SeedResult, idp: Any
) -> None:
    with pytest.raises(ClientError) as excinfo:
        _srp(idp, seed, "nobody@example.com", "Whatever-Passw0rd!").authenticate_user()
    assert error_of(excinfo) == ("NotAuthorizedException", "Incorrect username or password.")


def test_srp_unconfirmed_user_with_right_password(
    lc: LocalCognito, seed: SeedResult, idp: Any
) -> None:
    lc.create_user("pending@example.com", "Pending-Passw0rd!", confirmed=False)
    with pytest.raises(idp.exceptions.UserNotConfirmedException):
        _srp(idp, seed, "pending@example.com", "Pending-Passw0rd!").authenticate_user()


def test_user_password_auth_checks_the_password(seed: SeedResult, idp: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        sign_in(idp, seed, password="nope")
    assert error_of(excinfo) == ("NotAuthorizedException", "Incorrect username or password.")


def test_repeated_failures_lock_the_account_for_a_while(
    lc: LocalCognito, seed: SeedResult, idp: Any
) -> None:
    for _ in range(5):
        with pytest.raises(idp.exceptions.NotAuthorizedException):
            sign_in(idp, seed, password="x")
    with pytest.raises(ClientError) as excinfo:
        sign_in(idp, seed)
    assert error_of(excinfo) == ("NotAuthorizedException", "Password attempts exceeded")
    lc.clock.advance(2)
    sign_in(idp, seed)


def test_flow_not_allowed_by_the_client(lc: LocalCognito, seed: SeedResult, idp: Any) -> None:
    lc.update_client(ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])
    with pytest.raises(
        idp.exceptions.InvalidParameterException, match="USER_PASSWORD_AUTH flow not enabled"
    ):
        sign_in(idp, seed)


def test_disabled_user_is_refused(lc: LocalCognito, seed: SeedResult, idp: Any) -> None:
    lc.create_user("off@example.com", "Off-Passw0rd!!", enabled=False)
    with pytest.raises(ClientError) as excinfo:
        sign_in(idp, seed, "off@example.com", "Off-Passw0rd!!")
    assert error_of(excinfo) == ("NotAuthorizedException", "User is disabled.")


def test_unconfirmed_user_password_auth(lc: LocalCognito, seed: SeedResult, idp: Any) -> None:
    lc.create_user("pending@example.com", "Pending-Passw0rd!", confirmed=False)
    with pytest.raises(idp.exceptions.UserNotConfirmedException):
        sign_in(idp, seed, "pending@example.com", "Pending-Passw0rd!")


def test_admin_reset_user_password_requires_a_reset(
    lc: LocalCognito, seed: SeedResult, idp: Any
) -> None:
    idp.admin_reset_user_password(UserPoolId=seed.pool_id, Username=seed.demo_email)
    with pytest.raises(idp.exceptions.PasswordResetRequiredException):
        sign_in(idp, seed)
    code = lc.outbox.latest_code(seed.demo_email, "forgot_password")
    idp.confirm_forgot_password(
        ClientId=seed.client_id,
        Username=seed.demo_email,
        ConfirmationCode=code,
        Password="Brand-New-Passw0rd!",
    )
    sign_in(idp, seed, password="Brand-New-Passw0rd!")
