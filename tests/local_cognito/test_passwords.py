"""The password policy wherever a password is set."""

from __future__ import annotations

from typing import Any

import pytest

from local_cognito import LocalCognito, SeedResult

from .conftest import sign_in

WEAK = "weakpassword"


def test_change_password_checks_old_and_policy(seed: SeedResult, idp: Any) -> None:
    token = sign_in(idp, seed)["AccessToken"]
    with pytest.raises(idp.exceptions.InvalidPasswordException):
        idp.change_password(
            AccessToken=token, PreviousPassword=seed.demo_password, ProposedPassword=WEAK
        )
    with pytest.raises(
        idp.exceptions.NotAuthorizedException, match="Incorrect username or password"
    ):
        idp.change_password(
            AccessToken=token,
            PreviousPassword="Wrong-Passw0rd!",
            ProposedPassword="Changed-Passw0rd!",
        )
    idp.change_password(
        AccessToken=token, PreviousPassword=seed.demo_password, ProposedPassword="Changed-Passw0rd!"
    )
    assert sign_in(idp, seed, password="Changed-Passw0rd!")


def test_admin_set_user_password_checks_policy(seed: SeedResult, idp: Any) -> None:
    with pytest.raises(idp.exceptions.InvalidPasswordException):
        idp.admin_set_user_password(
            UserPoolId=seed.pool_id, Username=seed.demo_email, Password=WEAK, Permanent=True
        )
    idp.admin_set_user_password(
        UserPoolId=seed.pool_id,
        Username=seed.demo_email,
        Password="Admin-Set-Passw0rd!",
        Permanent=True,
    )
    assert sign_in(idp, seed, password="Admin-Set-Passw0rd!")


def test_new_password_required_checks_policy(lc: LocalCognito, seed: SeedResult, idp: Any) -> None:
    idp.admin_create_user(
        UserPoolId=seed.pool_id,
        Username="invitee@example.com",
        UserAttributes=[{"Name": "email", "Value": "invitee@example.com"}],
        DesiredDeliveryMediums=["EMAIL"],
    )
    temporary = lc.outbox.latest_code("invitee@example.com", "temporary_password")
    challenge = idp.initiate_auth(
        ClientId=seed.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "invitee@example.com", "PASSWORD": temporary},
    )
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    answer = {"USERNAME": "invitee@example.com", "NEW_PASSWORD": WEAK}
    with pytest.raises(idp.exceptions.InvalidPasswordException):
        idp.respond_to_auth_challenge(
            ClientId=seed.client_id,
            Session=challenge["Session"],
            ChallengeName="NEW_PASSWORD_REQUIRED",
            ChallengeResponses=answer,
        )
    answer["NEW_PASSWORD"] = "Invitee-Passw0rd!"
    done = idp.respond_to_auth_challenge(
        ClientId=seed.client_id,
        Session=challenge["Session"],
        ChallengeName="NEW_PASSWORD_REQUIRED",
        ChallengeResponses=answer,
    )
    assert done["AuthenticationResult"]["AccessToken"]


def test_admin_create_user_checks_temporary_password(seed: SeedResult, idp: Any) -> None:
    with pytest.raises(idp.exceptions.InvalidPasswordException):
        idp.admin_create_user(
            UserPoolId=seed.pool_id, Username="invitee@example.com", TemporaryPassword=WEAK
        )
