"""Admin operations we replaced or tightened."""

from __future__ import annotations

from typing import Any

import pytest

from local_cognito import LocalCognito, SeedResult

from .conftest import make_client, sign_in

INVITEE = "invitee@example.com"


def test_admin_initiate_auth_checks_the_password_and_flow(
    lc: LocalCognito, seed: SeedResult, idp: Any
) -> None:
    def admin_sign_in(password: str) -> dict[str, Any]:
        return idp.admin_initiate_auth(
            UserPoolId=seed.pool_id,
            ClientId=seed.client_id,
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": seed.demo_email, "PASSWORD": password},
        )

    with pytest.raises(idp.exceptions.InvalidParameterException, match="flow not enabled"):
        admin_sign_in(seed.demo_password)
    lc.update_client(
        ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    )
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        admin_sign_in("Wrong-Passw0rd!")
    assert admin_sign_in(seed.demo_password)["AuthenticationResult"]["AccessToken"]


def test_admin_create_user_resend_issues_a_new_temporary_password(
    lc: LocalCognito, seed: SeedResult, idp: Any
) -> None:
    idp.admin_create_user(
        UserPoolId=seed.pool_id, Username=INVITEE, DesiredDeliveryMediums=["EMAIL"]
    )
    first = lc.outbox.latest_code(INVITEE, "temporary_password")
    idp.admin_create_user(
        UserPoolId=seed.pool_id,
        Username=INVITEE,
        MessageAction="RESEND",
        DesiredDeliveryMediums=["EMAIL"],
    )
    second = lc.outbox.latest_code(INVITEE, "temporary_password")
    assert first != second
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        sign_in(idp, seed, INVITEE, first)
    challenge = idp.initiate_auth(
        ClientId=seed.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": INVITEE, "PASSWORD": second},
    )
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    with pytest.raises(idp.exceptions.UsernameExistsException):
        idp.admin_create_user(UserPoolId=seed.pool_id, Username=INVITEE)


def test_admin_confirm_sign_up_and_delete(lc: LocalCognito, seed: SeedResult, idp: Any) -> None:
    idp.sign_up(ClientId=seed.client_id, Username=INVITEE, Password="Invitee-Passw0rd!")
    idp.admin_confirm_sign_up(UserPoolId=seed.pool_id, Username=INVITEE)
    tokens = sign_in(idp, seed, INVITEE, "Invitee-Passw0rd!")
    idp.admin_delete_user(UserPoolId=seed.pool_id, Username=INVITEE)
    with pytest.raises(idp.exceptions.UserNotFoundException):
        idp.get_user(AccessToken=tokens["AccessToken"])


def test_admin_update_user_attributes_follows_verification_settings(
    lc: LocalCognito, seed: SeedResult, idp: Any
) -> None:
    idp.admin_update_user_attributes(
        UserPoolId=seed.pool_id,
        Username=seed.demo_email,
        UserAttributes=[{"Name": "email", "Value": "n@example.com"}],
    )
    lc.outbox.latest_code("n@example.com", "verify_email")
    user = idp.admin_get_user(UserPoolId=seed.pool_id, Username=seed.demo_email)
    assert {"Name": "email", "Value": seed.demo_email} in user["UserAttributes"]
    idp.admin_update_user_attributes(
        UserPoolId=seed.pool_id,
        Username=seed.demo_email,
        UserAttributes=[
            {"Name": "email", "Value": "n@example.com"},
            {"Name": "email_verified", "Value": "true"},
            {"Name": "custom:role", "Value": "admin"},
        ],
    )
    user = idp.admin_get_user(UserPoolId=seed.pool_id, Username="n@example.com")
    attrs = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
    assert attrs["email"] == "n@example.com"
    assert attrs["custom:role"] == "admin"


def test_update_user_pool_keeps_creation_only_settings(seed: SeedResult, idp: Any) -> None:
    idp.update_user_pool(UserPoolId=seed.pool_id, MfaConfiguration="OFF")
    pool = idp.describe_user_pool(UserPoolId=seed.pool_id)["UserPool"]
    assert pool["UsernameAttributes"] == ["email"]
    assert pool["MfaConfiguration"] == "OFF"
    assert sign_in(idp, seed)["AccessToken"]


def test_admin_calls_work_from_any_region(lc: LocalCognito, seed: SeedResult) -> None:
    idp = make_client(lc, "eu-west-2")
    idp.admin_set_user_mfa_preference(
        UserPoolId=seed.pool_id,
        Username=seed.demo_email,
        EmailMfaSettings={"Enabled": True, "PreferredMfa": True},
    )
    challenge = idp.initiate_auth(
        ClientId=seed.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": seed.demo_email, "PASSWORD": seed.demo_password},
    )
    assert challenge["ChallengeName"] == "EMAIL_OTP"
