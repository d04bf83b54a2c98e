"""Operations the signed-in user makes with their own access token: their attributes, their
password, their authenticator app and MFA preference, and deleting the account.

Software tokens are also enrolled during sign-in, with the challenge's Cognito session
instead of an access token (``MFA_SETUP``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from .. import exceptions as exc
from ..types import CodeDelivery, CognitoUser, SoftwareTokenSecret
from . import connection

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp.type_defs import (
        AssociateSoftwareTokenResponseTypeDef,
        GetUserAttributeVerificationCodeResponseTypeDef,
        GetUserResponseTypeDef,
        UpdateUserAttributesResponseTypeDef,
        VerifySoftwareTokenResponseTypeDef,
    )


def get_user(*, access_token: str) -> CognitoUser:
    response = cast("GetUserResponseTypeDef", connection.call("get_user", AccessToken=access_token))
    return CognitoUser(
        username=str(response.get("Username", "")),
        attributes=connection.attribute_map(response.get("UserAttributes")),
        mfa_options=tuple(response.get("UserMFASettingList") or ()),
        preferred_mfa=response.get("PreferredMfaSetting"),
    )


def update_user_attributes(
    *, access_token: str, attributes: Mapping[str, str]
) -> list[CodeDelivery]:
    response = connection.call(
        "update_user_attributes",
        AccessToken=access_token,
        UserAttributes=connection.attribute_list(attributes),
    )
    typed = cast("UpdateUserAttributesResponseTypeDef", response)
    deliveries = [connection.delivery(d) for d in typed.get("CodeDeliveryDetailsList", [])]
    return [d for d in deliveries if d is not None]


def delete_user_attributes(*, access_token: str, names: list[str]) -> None:
    connection.call("delete_user_attributes", AccessToken=access_token, UserAttributeNames=names)


def get_user_attribute_verification_code(
    *, access_token: str, attribute: str
) -> CodeDelivery | None:
    response = connection.call(
        "get_user_attribute_verification_code",
        AccessToken=access_token,
        AttributeName=attribute,
    )
    typed = cast("GetUserAttributeVerificationCodeResponseTypeDef", response)
    return connection.delivery(typed.get("CodeDeliveryDetails"))


def verify_user_attribute(*, access_token: str, attribute: str, code: str) -> None:
    connection.call(
        "verify_user_attribute", AccessToken=access_token, AttributeName=attribute, Code=code
    )


def change_password(*, access_token: str, previous: str, proposed: str) -> None:
    connection.call(
        "change_password",
        AccessToken=access_token,
        PreviousPassword=previous,
        ProposedPassword=proposed,
    )


def associate_software_token(
    *, access_token: str | None = None, session: str | None = None
) -> SoftwareTokenSecret:
    params: dict[str, Any] = {}
    if access_token:
        params["AccessToken"] = access_token
    if session:
        params["Session"] = session
    response = connection.call("associate_software_token", **params)
    typed = cast("AssociateSoftwareTokenResponseTypeDef", response)
    return SoftwareTokenSecret(secret=typed["SecretCode"], session=typed.get("Session"))


def verify_software_token(
    *,
    code: str,
    access_token: str | None = None,
    session: str | None = None,
    device_name: str | None = None,
) -> str | None:
    """Verify a TOTP code during enrolment; returns the new Session (sign-in enrolment)."""
    params: dict[str, Any] = {"UserCode": code}
    if access_token:
        params["AccessToken"] = access_token
    if session:
        params["Session"] = session
    if device_name:
        params["FriendlyDeviceName"] = device_name
    response = connection.call("verify_software_token", **params)
    typed = cast("VerifySoftwareTokenResponseTypeDef", response)
    if typed.get("Status") != "SUCCESS":
        raise exc.CodeMismatch("verification did not succeed")
    return typed.get("Session")


def set_mfa_preference(
    *,
    access_token: str,
    totp: tuple[bool, bool] | None = None,
    sms: tuple[bool, bool] | None = None,
    email: tuple[bool, bool] | None = None,
) -> None:
    """Each argument is ``(enabled, preferred)``; ``None`` leaves that method unchanged."""
    params: dict[str, Any] = {"AccessToken": access_token}
    for key, value in (
        ("SoftwareTokenMfaSettings", totp),
        ("SMSMfaSettings", sms),
        ("EmailMfaSettings", email),
    ):
        if value is not None:
            params[key] = {"Enabled": value[0], "PreferredMfa": value[1]}
    connection.call("set_user_mfa_preference", **params)


def delete_user(*, access_token: str) -> None:
    connection.call("delete_user", AccessToken=access_token)
