"""A pending admin reset (AdminResetUserPassword -> RESET_REQUIRED) and the password proof
(docs/security.md S6): with PreventUserExistenceErrors ENABLED the emulator checks the password
first and answers PasswordResetRequiredException only to a right one, a wrong one getting the
generic NotAuthorizedException; with LEGACY it answers before any password check, as before."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError
from pycognito.aws_srp import AWSSRP

from local_cognito import LocalCognito, SeedResult

from .conftest import error_of, sign_in

EMAIL = "reset@example.com"
PASSWORD = "Reset-Passw0rd!!"
WRONG = "Wrong-Passw0rd!!"
GENERIC = ("NotAuthorizedException", "Incorrect username or password.")
RESET = "PasswordResetRequiredException"


@pytest.fixture
def reset_user(lc: LocalCognito, seed: SeedResult, idp: Any) -> str:
    lc.create_user(EMAIL, PASSWORD)
    idp.admin_reset_user_password(UserPoolId=seed.pool_id, Username=EMAIL)
    return EMAIL


def _srp(idp: Any, seed: SeedResult, password: str) -> tuple[AWSSRP, dict[str, Any]]:
    srp = AWSSRP(
        username=EMAIL,
        password=password,
        pool_id=seed.pool_id,
        client_id=seed.client_id,
        client=idp,
    )
    auth = srp.get_auth_params()
    challenge = idp.initiate_auth(
        ClientId=seed.client_id, AuthFlow="USER_SRP_AUTH", AuthParameters=auth
    )
    return srp, challenge


def _verify(idp: Any, seed: SeedResult, srp: AWSSRP, challenge: dict[str, Any]) -> Any:
    answer = srp.process_challenge(challenge["ChallengeParameters"], srp.get_auth_params())
    return idp.respond_to_auth_challenge(
        ClientId=seed.client_id, ChallengeName="PASSWORD_VERIFIER", ChallengeResponses=answer
    )


def _code(excinfo: pytest.ExceptionInfo[ClientError]) -> str:
    return error_of(excinfo)[0]


# --- PreventUserExistenceErrors ENABLED: the password first ------------------------------------
def test_password_auth_with_a_wrong_password_is_the_generic_refusal(
    seed: SeedResult, idp: Any, reset_user: str
) -> None:
    with pytest.raises(ClientError) as excinfo:
        sign_in(idp, seed, reset_user, WRONG)
    assert error_of(excinfo) == GENERIC


def test_password_auth_with_the_right_password_requires_the_reset(
    seed: SeedResult, idp: Any, reset_user: str
) -> None:
    with pytest.raises(ClientError) as excinfo:
        sign_in(idp, seed, reset_user, PASSWORD)
    assert _code(excinfo) == RESET


def test_srp_gives_a_password_verifier_and_tells_only_the_right_proof(
    seed: SeedResult, idp: Any, reset_user: str
) -> None:
    srp, challenge = _srp(idp, seed, WRONG)
    assert challenge["ChallengeName"] == "PASSWORD_VERIFIER"
    with pytest.raises(ClientError) as excinfo:
        _verify(idp, seed, srp, challenge)
    assert error_of(excinfo) == GENERIC
    srp, challenge = _srp(idp, seed, PASSWORD)
    with pytest.raises(ClientError) as excinfo:
        _verify(idp, seed, srp, challenge)
    assert _code(excinfo) == RESET


def test_wrong_passwords_of_a_reset_required_user_count_towards_the_lockout(
    seed: SeedResult, idp: Any, reset_user: str
) -> None:
    for _ in range(5):
        with pytest.raises(ClientError):
            sign_in(idp, seed, reset_user, WRONG)
    with pytest.raises(ClientError) as excinfo:
        sign_in(idp, seed, reset_user, PASSWORD)
    assert error_of(excinfo) == ("NotAuthorizedException", "Password attempts exceeded")


def test_choice_based_sign_in_offers_the_choice_then_checks_the_password_first(
    seed: SeedResult, idp: Any, reset_user: str
) -> None:
    start = idp.initiate_auth(
        ClientId=seed.client_id, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": EMAIL}
    )
    assert start["ChallengeName"] == "SELECT_CHALLENGE"

    def choose(password: str) -> Any:
        session = idp.initiate_auth(
            ClientId=seed.client_id, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": EMAIL}
        )["Session"]
        return idp.respond_to_auth_challenge(
            ClientId=seed.client_id,
            ChallengeName="SELECT_CHALLENGE",
            Session=session,
            ChallengeResponses={"USERNAME": EMAIL, "ANSWER": "PASSWORD", "PASSWORD": password},
        )

    with pytest.raises(ClientError) as excinfo:
        choose(WRONG)
    assert error_of(excinfo) == GENERIC
    with pytest.raises(ClientError) as excinfo:
        choose(PASSWORD)
    assert _code(excinfo) == RESET


def test_the_reset_itself_still_works(lc: LocalCognito, seed: SeedResult, idp: Any) -> None:
    lc.create_user(EMAIL, PASSWORD)
    idp.admin_reset_user_password(UserPoolId=seed.pool_id, Username=EMAIL)
    idp.confirm_forgot_password(
        ClientId=seed.client_id,
        Username=EMAIL,
        ConfirmationCode=lc.outbox.latest_code(EMAIL, "forgot_password"),
        Password="Brand-New-Passw0rd!",
    )
    assert sign_in(idp, seed, EMAIL, "Brand-New-Passw0rd!")["AccessToken"]


# --- LEGACY: the reset is told before any password ---------------------------------------------
def test_legacy_client_requires_the_reset_whatever_the_password(
    lc: LocalCognito, seed: SeedResult, idp: Any, reset_user: str
) -> None:
    lc.update_client(PreventUserExistenceErrors="LEGACY")
    with pytest.raises(ClientError) as excinfo:
        sign_in(idp, seed, reset_user, WRONG)
    assert _code(excinfo) == RESET
    with pytest.raises(ClientError) as excinfo:
        _srp(idp, seed, WRONG)
    assert _code(excinfo) == RESET
