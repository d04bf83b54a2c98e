"""The deterministic demo pool that .env names, and helpers to add users to it."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from moto.cognitoidp.models import (
    CognitoIdpUser,
    CognitoIdpUserPool,
    CognitoIdpUserPoolAttribute,
    UserStatus,
    cognitoidp_backends,
)
from moto.core import DEFAULT_ACCOUNT_ID

from .state import EMULATOR

REGION = "us-east-1"
POOL_ID = "us-east-1_LocalDemo"
CLIENT_ID = "localdemoclient00000000000"
CLIENT_NAME = "cognito-forms demo"
DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "Demo-Passw0rd!"
READ_ATTRIBUTES = [
    "email",
    "email_verified",
    "name",
    "phone_number",
    "phone_number_verified",
    "custom:company",
    "custom:seats",
    "custom:member_id",
    "custom:role",
]
WRITE_ATTRIBUTES = [
    "email",
    "name",
    "phone_number",
    "custom:company",
    "custom:seats",
    "custom:member_id",
]
CUSTOM_SCHEMA = [
    {
        "Name": "company",
        "AttributeDataType": "String",
        "Mutable": True,
        "StringAttributeConstraints": {"MinLength": "0", "MaxLength": "64"},
    },
    {
        "Name": "seats",
        "AttributeDataType": "Number",
        "Mutable": True,
        "NumberAttributeConstraints": {"MinValue": "1", "MaxValue": "1000"},
    },
    {
        "Name": "member_id",
        "AttributeDataType": "String",
        "Mutable": False,
        "StringAttributeConstraints": {"MinLength": "0", "MaxLength": "32"},
    },
    {
        "Name": "role",
        "AttributeDataType": "String",
        "Mutable": True,
        "StringAttributeConstraints": {"MinLength": "0", "MaxLength": "32"},
    },
]


@dataclass(frozen=True)
class SeedResult:
    pool_id: str
    client_id: str
    region: str
    demo_email: str
    demo_password: str


def _schema() -> list[dict[str, Any]]:
    standard = []
    for name, spec in CognitoIdpUserPoolAttribute.STANDARD_SCHEMA.items():
        entry = {"Name": name, **spec}
        if name == "email":
            entry["Required"] = True
        standard.append(entry)
    return standard + CUSTOM_SCHEMA


POOL_CONFIG: dict[str, Any] = {
    "UsernameAttributes": ["email"],
    "UsernameConfiguration": {"CaseSensitive": False},
    "AutoVerifiedAttributes": ["email"],
    "Policies": {
        "PasswordPolicy": {
            "MinimumLength": 10,
            "RequireUppercase": True,
            "RequireLowercase": True,
            "RequireNumbers": True,
            "RequireSymbols": True,
            "TemporaryPasswordValidityDays": 7,
        },
        "SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP", "SMS_OTP"]},
    },
    "AccountRecoverySetting": {
        "RecoveryMechanisms": [
            {"Priority": 1, "Name": "verified_email"},
            {"Priority": 2, "Name": "verified_phone_number"},
        ]
    },
    "UserAttributeUpdateSettings": {"AttributesRequireVerificationBeforeUpdate": ["email"]},
    "MfaConfiguration": "OPTIONAL",
    # SMS and email MFA need these in a real pool; DescribeUserPool shows them.
    "SmsConfiguration": {
        "SnsCallerArn": f"arn:aws:iam::{DEFAULT_ACCOUNT_ID}:role/cognito-sms",
        "ExternalId": "local-cognito",
        "SnsRegion": REGION,
    },
    "SmsAuthenticationMessage": "Your authentication code is {####}. ",
    "EmailConfiguration": {
        "EmailSendingAccount": "DEVELOPER",
        "SourceArn": f"arn:aws:ses:{REGION}:{DEFAULT_ACCOUNT_ID}:identity/example.com",
        "From": "Example <no-reply@example.com>",
    },
    "UserPoolTier": "ESSENTIALS",
    "DeletionProtection": "INACTIVE",
}
CLIENT_CONFIG: dict[str, Any] = {
    "ClientName": CLIENT_NAME,
    "ExplicitAuthFlows": [
        "ALLOW_USER_SRP_AUTH",
        "ALLOW_USER_PASSWORD_AUTH",
        "ALLOW_USER_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
    ],
    "ReadAttributes": READ_ATTRIBUTES,
    "WriteAttributes": WRITE_ATTRIBUTES,
    "PreventUserExistenceErrors": "ENABLED",
    "EnableTokenRevocation": True,
    "RefreshTokenRotation": {"Feature": "ENABLED", "RetryGracePeriodSeconds": 10},
    "AccessTokenValidity": 60,
    "IdTokenValidity": 60,
    "RefreshTokenValidity": 30,
    "TokenValidityUnits": {"AccessToken": "minutes", "IdToken": "minutes", "RefreshToken": "days"},
    "AuthSessionValidity": 3,
}


def seed() -> SeedResult:
    """Create (or recreate) the demo pool, client, group and demo user."""
    with EMULATOR.lock:
        backend = cognitoidp_backends[DEFAULT_ACCOUNT_ID][REGION]
        backend.user_pools.pop(POOL_ID, None)
        config = {**copy.deepcopy(POOL_CONFIG), "Schema": _schema()}
        pool = backend.create_user_pool("cognito-forms-demo", config)
        del backend.user_pools[pool.id]
        pool.id = POOL_ID
        pool.arn = f"arn:aws:cognito-idp:{REGION}:{DEFAULT_ACCOUNT_ID}:userpool/{POOL_ID}"
        backend.user_pools[POOL_ID] = pool
        pool.mfa_config = "OPTIONAL"
        pool.token_mfa_config = {"Enabled": True}
        # SMS MFA uses the pool's own SMS settings, as SetUserPoolMfaConfig records them.
        pool.sms_mfa_config = {
            key: copy.deepcopy(POOL_CONFIG[key])
            for key in ("SmsAuthenticationMessage", "SmsConfiguration")
        }
        EMULATOR.pool_extra(POOL_ID)["EmailMfaConfiguration"] = {
            "Message": "Your sign-in code is {####}",
            "Subject": "Your sign-in code",
        }
        client = backend.create_user_pool_client(POOL_ID, False, copy.deepcopy(CLIENT_CONFIG))
        del pool.clients[client.id]
        client.id = CLIENT_ID
        pool.clients[CLIENT_ID] = client
        backend.create_group(POOL_ID, "staff", "Site staff", "", 1)
        create_user(
            pool,
            DEMO_EMAIL,
            DEMO_PASSWORD,
            attributes={"name": "Demo User", "custom:company": "Example Ltd"},
        )
    return SeedResult(POOL_ID, CLIENT_ID, REGION, DEMO_EMAIL, DEMO_PASSWORD)


def create_user(
    pool: CognitoIdpUserPool,
    email: str,
    password: str,
    *,
    confirmed: bool = True,
    attributes: dict[str, str] | None = None,
    groups: tuple[str, ...] = (),
    totp_secret: str | None = None,
    enabled: bool = True,
) -> str:
    """Add a user directly to the model (no codes, no outbox); returns the sub."""
    with EMULATOR.lock:
        values = {"email": email, "email_verified": "true" if confirmed else "false"}
        values.update(attributes or {})
        status = UserStatus.CONFIRMED if confirmed else UserStatus.UNCONFIRMED
        aliased = bool(pool.extended_config.get("UsernameAttributes"))
        user = CognitoIdpUser(
            pool.id,
            None if aliased else email,
            password,
            status,
            [{"Name": k, "Value": v} for k, v in values.items()],
        )
        user.enabled = enabled
        user.create_date = user.last_modified_date = EMULATOR.clock.utcnow()
        pool.users[user.username] = user
        for name in groups:
            group = pool.groups[name]
            group.users.add(user)
            user.groups.add(group)
        if totp_secret:
            extra = EMULATOR.extra(pool.id, user.id)
            extra.totp_secret = totp_secret
            user.token_verified = True
            user.software_token_mfa_enabled = True
            user.preferred_mfa_setting = "SOFTWARE_TOKEN_MFA"
        return str(user.id)


def update_client(pool: CognitoIdpUserPool, client_id: str, **params: Any) -> None:
    """Merge ``params`` into the settings of ``pool``'s app client ``client_id``."""
    with EMULATOR.lock:
        pool.clients[client_id].extended_config.update(params)
