"""The LocalCognito facade: deterministic seed, outbox, clock, helpers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from local_cognito import LocalCognito, SeedResult


def test_seed_is_deterministic(lc: LocalCognito) -> None:
    first = lc.seed()
    lc.reset()
    assert (
        lc.seed()
        == first
        == SeedResult(
            "us-east-1_LocalDemo",
            "localdemoclient00000000000",
            "us-east-1",
            "demo@example.com",
            "Demo-Passw0rd!",
        )
    )
    assert len(first.client_id) == 26


def test_seeded_pool_looks_like_the_brief(seed: SeedResult, idp: Any) -> None:
    pool = idp.describe_user_pool(UserPoolId=seed.pool_id)["UserPool"]
    assert pool["UsernameAttributes"] == ["email"]
    assert pool["AutoVerifiedAttributes"] == ["email"]
    policy = pool["Policies"]["PasswordPolicy"]
    assert policy["MinimumLength"] == 10
    assert policy["RequireSymbols"] is True
    schema = {a["Name"]: a for a in pool["SchemaAttributes"]}
    assert schema["email"]["Required"] is True
    assert schema["custom:member_id"]["Mutable"] is False
    assert schema["custom:seats"]["NumberAttributeConstraints"] == {
        "MinValue": "1",
        "MaxValue": "1000",
    }
    assert pool["UserAttributeUpdateSettings"] == {
        "AttributesRequireVerificationBeforeUpdate": ["email"]
    }
    assert pool["SmsConfiguration"]["SnsCallerArn"]
    assert pool["EmailConfiguration"]["EmailSendingAccount"] == "DEVELOPER"
    mfa = idp.get_user_pool_mfa_config(UserPoolId=seed.pool_id)
    assert mfa["MfaConfiguration"] == "OPTIONAL"
    assert mfa["SoftwareTokenMfaConfiguration"] == {"Enabled": True}
    assert "SmsMfaConfiguration" in mfa
    assert "EmailMfaConfiguration" in mfa
    assert idp.get_group(UserPoolId=seed.pool_id, GroupName="staff")["Group"]
    demo = idp.admin_get_user(UserPoolId=seed.pool_id, Username=seed.demo_email)
    attrs = {a["Name"]: a["Value"] for a in demo["UserAttributes"]}
    assert demo["UserStatus"] == "CONFIRMED"
    assert attrs["name"] == "Demo User"
    assert attrs["custom:company"] == "Example Ltd"
    assert attrs["email_verified"] == "true"


def test_seeded_client_echoes_every_setting(seed: SeedResult, idp: Any) -> None:
    client = idp.describe_user_pool_client(UserPoolId=seed.pool_id, ClientId=seed.client_id)[
        "UserPoolClient"
    ]
    assert client["ClientName"] == "cognito-forms demo"
    assert "ClientSecret" not in client
    assert set(client["ExplicitAuthFlows"]) == {
        "ALLOW_USER_SRP_AUTH",
        "ALLOW_USER_PASSWORD_AUTH",
        "ALLOW_USER_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
    }
    assert "custom:role" in client["ReadAttributes"]
    assert "custom:role" not in client["WriteAttributes"]
    assert client["PreventUserExistenceErrors"] == "ENABLED"
    assert client["EnableTokenRevocation"] is True
    assert client["RefreshTokenRotation"] == {"Feature": "ENABLED", "RetryGracePeriodSeconds": 10}
    assert (
        client["AccessTokenValidity"],
        client["IdTokenValidity"],
        client["RefreshTokenValidity"],
    ) == (60, 60, 30)
    assert client["TokenValidityUnits"] == {
        "AccessToken": "minutes",
        "IdToken": "minutes",
        "RefreshToken": "days",
    }


def test_update_client_changes_the_seeded_client(
    lc: LocalCognito, seed: SeedResult, idp: Any
) -> None:
    lc.update_client(PreventUserExistenceErrors="LEGACY")
    client = idp.describe_user_pool_client(UserPoolId=seed.pool_id, ClientId=seed.client_id)[
        "UserPoolClient"
    ]
    assert client["PreventUserExistenceErrors"] == "LEGACY"


def test_create_user_returns_the_sub(lc: LocalCognito, seed: SeedResult, idp: Any) -> None:
    sub = lc.create_user(
        "new@example.com",
        "New-Passw0rd!",
        confirmed=False,
        attributes={"name": "New"},
        enabled=False,
    )
    user = idp.admin_get_user(UserPoolId=seed.pool_id, Username="new@example.com")
    assert user["Username"] == sub
    assert user["UserStatus"] == "UNCONFIRMED"
    assert user["Enabled"] is False


def test_clock_advances_and_resets(lc: LocalCognito) -> None:
    start = lc.clock.now()
    lc.clock.advance(90)
    assert lc.clock.offset == 90
    assert lc.clock.now() - start >= 90
    lc.reset()
    assert lc.clock.offset == 0


def test_outbox_filters_and_latest_code(lc: LocalCognito, seed: SeedResult, idp: Any) -> None:
    assert lc.outbox.messages() == []
    with pytest.raises(LookupError):
        lc.outbox.latest_code(seed.demo_email)
    idp.forgot_password(ClientId=seed.client_id, Username=seed.demo_email)
    (message,) = lc.outbox.messages(to="DEMO@example.com", purpose="forgot_password")
    assert message.medium == "EMAIL"
    assert len(message.code) == 6
    assert message.code.isdigit()
    assert message.sent_at.tzinfo == UTC
    assert message.sent_at <= datetime.now(UTC)
    assert lc.outbox.messages(purpose="sign_up") == []
    lc.outbox.clear()
    assert lc.outbox.messages() == []


def test_reset_wipes_pools(lc: LocalCognito, seed: SeedResult) -> None:
    lc.reset()
    with pytest.raises(LookupError):
        _ = lc.pool
