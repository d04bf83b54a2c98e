"""The pool and its app client, described (DescribeUserPool / DescribeUserPoolClient).

Cognito's answers become the frozen :class:`~cognito_forms.types.PoolDescription` and
:class:`~cognito_forms.types.ClientDescription`: typed fields, no raw dict. The conversions
are pure functions of the API's shapes (:func:`pool_description`, :func:`client_description`)
so what each field means is testable without a pool. :mod:`cognito_forms.pool` caches them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from ..conf import app_settings
from ..types import AttributeSchema, ClientDescription, PasswordPolicy, PoolDescription
from . import connection

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp.type_defs import (
        DescribeUserPoolClientResponseTypeDef,
        DescribeUserPoolResponseTypeDef,
        SchemaAttributeTypeTypeDef,
        UserPoolClientTypeTypeDef,
        UserPoolTypeTypeDef,
    )

_UNIT_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}


def _int(value: object) -> int | None:
    try:
        return int(str(value)) if value is not None else None
    except ValueError:
        return None


def _attribute(item: SchemaAttributeTypeTypeDef) -> AttributeSchema:
    strings = item.get("StringAttributeConstraints") or {}
    numbers = item.get("NumberAttributeConstraints") or {}
    return AttributeSchema(
        name=str(item["Name"]),
        data_type=str(item.get("AttributeDataType", "String")),
        mutable=bool(item.get("Mutable", True)),
        required=bool(item.get("Required", False)),
        developer_only=bool(item.get("DeveloperOnlyAttribute", False)),
        min_length=_int(strings.get("MinLength")),
        max_length=_int(strings.get("MaxLength")),
        min_value=_int(numbers.get("MinValue")),
        max_value=_int(numbers.get("MaxValue")),
    )


def pool_description(pool: UserPoolTypeTypeDef) -> PoolDescription:
    """DescribeUserPool's ``UserPool``, as the fields this app reads."""
    raw_policy = pool.get("Policies", {}).get("PasswordPolicy", {})
    policy = PasswordPolicy(
        min_length=int(raw_policy.get("MinimumLength", 8)),
        require_uppercase=bool(raw_policy.get("RequireUppercase", False)),
        require_lowercase=bool(raw_policy.get("RequireLowercase", False)),
        require_numbers=bool(raw_policy.get("RequireNumbers", False)),
        require_symbols=bool(raw_policy.get("RequireSymbols", False)),
        temporary_password_validity_days=int(raw_policy.get("TemporaryPasswordValidityDays", 7)),
    )
    update = pool.get("UserAttributeUpdateSettings") or {}
    email = pool.get("EmailConfiguration") or {}
    return PoolDescription(
        pool_id=str(pool.get("Id", app_settings.USER_POOL_ID)),
        password_policy=policy,
        attributes=tuple(_attribute(item) for item in pool.get("SchemaAttributes", [])),
        username_attributes=tuple(pool.get("UsernameAttributes") or ()),
        auto_verified_attributes=tuple(pool.get("AutoVerifiedAttributes") or ()),
        mfa_configuration=str(pool.get("MfaConfiguration", "OFF")),
        attributes_require_verification_before_update=tuple(
            update.get("AttributesRequireVerificationBeforeUpdate") or ()
        ),
        sms_configured=bool(pool.get("SmsConfiguration")),
        email_through_ses=email.get("EmailSendingAccount") == "DEVELOPER",
    )


def client_description(c: UserPoolClientTypeTypeDef) -> ClientDescription:
    """DescribeUserPoolClient's ``UserPoolClient``, with token lifetimes in seconds."""
    units: dict[str, str] = {k: str(v) for k, v in (c.get("TokenValidityUnits") or {}).items()}

    def seconds(value: int | None, unit_key: str, default_unit: str, default: int) -> int:
        if value is None:
            return default
        return int(value) * _UNIT_SECONDS.get(units.get(unit_key, default_unit), 1)

    rotation = c.get("RefreshTokenRotation")
    return ClientDescription(
        client_id=str(c.get("ClientId", "")),
        has_secret=bool(c.get("ClientSecret")),
        explicit_auth_flows=tuple(c.get("ExplicitAuthFlows") or ()),
        read_attributes=tuple(c.get("ReadAttributes") or ()),
        write_attributes=tuple(c.get("WriteAttributes") or ()),
        prevent_user_existence_errors=str(c.get("PreventUserExistenceErrors", "LEGACY")),
        enable_token_revocation=bool(c.get("EnableTokenRevocation", False)),
        refresh_token_rotation=bool(rotation and rotation.get("Feature") == "ENABLED"),
        retry_grace_period_seconds=int(rotation.get("RetryGracePeriodSeconds", 0) or 0)
        if rotation
        else 0,
        access_token_validity_seconds=seconds(
            c.get("AccessTokenValidity"), "AccessToken", "hours", 3600
        ),
        id_token_validity_seconds=seconds(c.get("IdTokenValidity"), "IdToken", "hours", 3600),
        refresh_token_validity_seconds=seconds(
            c.get("RefreshTokenValidity"), "RefreshToken", "days", 30 * 86400
        ),
    )


def describe_pool() -> PoolDescription:
    response = connection.call("describe_user_pool", UserPoolId=app_settings.USER_POOL_ID)
    return pool_description(cast("DescribeUserPoolResponseTypeDef", response)["UserPool"])


def describe_client() -> ClientDescription:
    response = connection.call(
        "describe_user_pool_client",
        UserPoolId=app_settings.USER_POOL_ID,
        ClientId=app_settings.CLIENT_ID,
    )
    return client_description(
        cast("DescribeUserPoolClientResponseTypeDef", response)["UserPoolClient"]
    )
