"""USER_AUTH (choice-based sign-in): SELECT_CHALLENGE, PREFERRED_CHALLENGE, passwordless codes,
and signing in with the Session ConfirmSignUp returns."""

from __future__ import annotations

from typing import Any

import pytest
from pycognito.aws_srp import AWSSRP

from local_cognito import LocalCognito, SeedResult


def _user_auth(idp: Any, seed: SeedResult, **params: str) -> dict[str, Any]:
    return idp.initiate_auth(
        ClientId=seed.client_id,
        AuthFlow="USER_AUTH",
        AuthParameters={"USERNAME": seed.demo_email, **params},
    )


def _select(idp: Any, seed: SeedResult, session: str, **responses: str) -> dict[str, Any]:
    return idp.respond_to_auth_challenge(
        ClientId=seed.client_id,
        ChallengeName="SELECT_CHALLENGE",
        Session=session,
        ChallengeResponses={"USERNAME": seed.demo_email, **responses},
    )


def test_select_challenge_lists_available_factors(seed: SeedResult, idp: Any) -> None:
    response = _user_auth(idp, seed)
    assert response["ChallengeName"] == "SELECT_CHALLENGE"
    assert response["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"]
    done = _select(idp, seed, response["Session"], ANSWER="PASSWORD", PASSWORD=seed.demo_password)
    assert done["AuthenticationResult"]["AccessToken"]


def test_preferred_password_challenge(seed: SeedResult, idp: Any) -> None:
    done = _user_auth(idp, seed, PREFERRED_CHALLENGE="PASSWORD", PASSWORD=seed.demo_password)
    assert done["AuthenticationResult"]["RefreshToken"]
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        _user_auth(idp, seed, PREFERRED_CHALLENGE="PASSWORD", PASSWORD="Wrong-Passw0rd!")


def test_email_otp_first_factor(lc: LocalCognito, seed: SeedResult, idp: Any) -> None:
    challenge = _user_auth(idp, seed, PREFERRED_CHALLENGE="EMAIL_OTP")
    assert challenge["ChallengeName"] == "EMAIL_OTP"
    code = lc.outbox.latest_code(seed.demo_email, "mfa_email")
    done = idp.respond_to_auth_challenge(
        ClientId=seed.client_id,
        ChallengeName="EMAIL_OTP",
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": seed.demo_email, "EMAIL_OTP_CODE": code},
    )
    assert done["AuthenticationResult"]["AccessToken"]


def test_password_srp_through_select_challenge(seed: SeedResult, idp: Any) -> None:
    srp = AWSSRP(
        username=seed.demo_email,
        password=seed.demo_password,
        pool_id=seed.pool_id,
        client_id=seed.client_id,
        client=idp,
    )
    auth = srp.get_auth_params()
    response = _user_auth(idp, seed)
    verifier = _select(idp, seed, response["Session"], ANSWER="PASSWORD_SRP", SRP_A=auth["SRP_A"])
    assert verifier["ChallengeName"] == "PASSWORD_VERIFIER"
    answer = srp.process_challenge(verifier["ChallengeParameters"], auth)
    done = idp.respond_to_auth_challenge(
        ClientId=seed.client_id,
        ChallengeName="PASSWORD_VERIFIER",
        Session=verifier["Session"],
        ChallengeResponses=answer,
    )
    assert done["AuthenticationResult"]["AccessToken"]


def test_confirm_sign_up_session_signs_in(lc: LocalCognito, seed: SeedResult, idp: Any) -> None:
    signed_up = idp.sign_up(
        ClientId=seed.client_id, Username="fresh@example.com", Password="Fresh-Passw0rd!"
    )
    code = lc.outbox.latest_code("fresh@example.com", "sign_up")
    session = idp.confirm_sign_up(
        ClientId=seed.client_id,
        Username="fresh@example.com",
        ConfirmationCode=code,
        Session=signed_up["Session"],
    )["Session"]
    done = idp.initiate_auth(
        ClientId=seed.client_id,
        AuthFlow="USER_AUTH",
        Session=session,
        AuthParameters={"USERNAME": "fresh@example.com"},
    )
    assert done["AuthenticationResult"]["AccessToken"]
    with pytest.raises(idp.exceptions.NotAuthorizedException):  # single use
        idp.initiate_auth(
            ClientId=seed.client_id,
            AuthFlow="USER_AUTH",
            Session=session,
            AuthParameters={"USERNAME": "fresh@example.com"},
        )


def test_unknown_user_gets_a_plausible_select_challenge(seed: SeedResult, idp: Any) -> None:
    response = idp.initiate_auth(
        ClientId=seed.client_id,
        AuthFlow="USER_AUTH",
        AuthParameters={"USERNAME": "ghost@example.com"},
    )
    assert response["ChallengeName"] == "SELECT_CHALLENGE"
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.respond_to_auth_challenge(
            ClientId=seed.client_id,
            ChallengeName="SELECT_CHALLENGE",
            Session=response["Session"],
            ChallengeResponses={
                "USERNAME": "ghost@example.com",
                "ANSWER": "PASSWORD",
                "PASSWORD": "Whatever-Passw0rd!",
            },
        )
