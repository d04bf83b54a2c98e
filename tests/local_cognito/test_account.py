"""GetUser, UpdateUserAttributes (email/phone verification), verification codes,
DeleteUserAttributes, DeleteUser."""

from __future__ import annotations

from typing import Any

import jwt
import pytest

from local_cognito import LocalCognito, SeedResult

from .conftest import sign_in

NEW_EMAIL = "renamed@example.com"


def _attrs(idp: Any, token: str) -> dict[str, str]:
    return {a["Name"]: a["Value"] for a in idp.get_user(AccessToken=token)["UserAttributes"]}


def test_get_user_shows_readable_attributes(lc: LocalCognito, seed: SeedResult, idp: Any) -> None:
    token = sign_in(idp, seed)["AccessToken"]
    lc.update_client(ReadAttributes=["email", "name"])
    attrs = _attrs(idp, token)
    assert attrs.keys() == {"email", "name", "sub"}


def test_email_change_waits_for_verification(lc: LocalCognito, seed: SeedResult, idp: Any) -> None:
    tokens = sign_in(idp, seed)
    token = tokens["AccessToken"]
    response = idp.update_user_attributes(
        AccessToken=token,
        UserAttributes=[
            {"Name": "email", "Value": NEW_EMAIL},
            {"Name": "name", "Value": "Renamed"},
        ],
    )
    assert response["CodeDeliveryDetailsList"] == [
        {"Destination": "r***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email"}
    ]
    attrs = _attrs(idp, token)
    assert attrs["email"] == seed.demo_email
    assert attrs["email_verified"] == "true"
    assert attrs["name"] == "Renamed"
    assert sign_in(idp, seed)["AccessToken"]  # the old address still signs in
    code = lc.outbox.latest_code(NEW_EMAIL, "verify_email")
    assert lc.outbox.messages(to=seed.demo_email) == []
    with pytest.raises(idp.exceptions.CodeMismatchException):
        idp.verify_user_attribute(
            AccessToken=token,
            AttributeName="email",
            Code="000000" if code != "000000" else "111111",
        )
    idp.verify_user_attribute(AccessToken=token, AttributeName="email", Code=code)
    attrs = _attrs(idp, token)
    assert attrs["email"] == NEW_EMAIL
    assert attrs["email_verified"] == "true"
    assert sign_in(idp, seed, NEW_EMAIL)["AccessToken"]
    refreshed = idp.get_tokens_from_refresh_token(
        ClientId=seed.client_id, RefreshToken=tokens["RefreshToken"]
    )["AuthenticationResult"]
    assert (
        jwt.decode(refreshed["IdToken"], options={"verify_signature": False})["email"] == NEW_EMAIL
    )


def test_email_change_without_verify_first_resets_email_verified(
    lc: LocalCognito, seed: SeedResult, idp: Any
) -> None:
    idp.update_user_pool(
        UserPoolId=seed.pool_id,
        AutoVerifiedAttributes=["email"],
        UserAttributeUpdateSettings={"AttributesRequireVerificationBeforeUpdate": []},
    )
    token = sign_in(idp, seed)["AccessToken"]
    idp.update_user_attributes(
        AccessToken=token, UserAttributes=[{"Name": "email", "Value": NEW_EMAIL}]
    )
    attrs = _attrs(idp, token)
    assert attrs["email"] == NEW_EMAIL
    assert attrs["email_verified"] == "false"
    code = lc.outbox.latest_code(NEW_EMAIL, "verify_email")
    idp.verify_user_attribute(AccessToken=token, AttributeName="email", Code=code)
    assert _attrs(idp, token)["email_verified"] == "true"


def test_phone_number_change_and_verification_code(
    lc: LocalCognito, seed: SeedResult, idp: Any
) -> None:
    token = sign_in(idp, seed)["AccessToken"]
    idp.update_user_attributes(
        AccessToken=token, UserAttributes=[{"Name": "phone_number", "Value": "+15555550100"}]
    )
    assert _attrs(idp, token).get("phone_number_verified") == "false"
    details = idp.get_user_attribute_verification_code(
        AccessToken=token, AttributeName="phone_number"
    )
    assert details["CodeDeliveryDetails"]["DeliveryMedium"] == "SMS"
    code = lc.outbox.latest_code("+15555550100", "verify_phone_number")
    lc.clock.advance(24 * 3600 + 1)
    token = sign_in(idp, seed)["AccessToken"]
    with pytest.raises(idp.exceptions.ExpiredCodeException):
        idp.verify_user_attribute(AccessToken=token, AttributeName="phone_number", Code=code)


def test_update_rejects_unwritable_immutable_and_invalid(
    lc: LocalCognito, seed: SeedResult, idp: Any
) -> None:
    token = sign_in(idp, seed)["AccessToken"]
    with pytest.raises(idp.exceptions.NotAuthorizedException, match="unauthorized attribute"):
        idp.update_user_attributes(
            AccessToken=token, UserAttributes=[{"Name": "custom:role", "Value": "admin"}]
        )
    idp.update_user_attributes(
        AccessToken=token, UserAttributes=[{"Name": "custom:member_id", "Value": "M-1"}]
    )
    with pytest.raises(idp.exceptions.InvalidParameterException, match="immutable"):
        idp.update_user_attributes(
            AccessToken=token, UserAttributes=[{"Name": "custom:member_id", "Value": "M-2"}]
        )
    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.update_user_attributes(
            AccessToken=token, UserAttributes=[{"Name": "custom:seats", "Value": "0"}]
        )
    lc.create_user("taken@example.com", "Taken-Passw0rd!")
    with pytest.raises(idp.exceptions.AliasExistsException):
        idp.update_user_attributes(
            AccessToken=token, UserAttributes=[{"Name": "email", "Value": "taken@example.com"}]
        )


def test_delete_user_attributes(seed: SeedResult, idp: Any) -> None:
    token = sign_in(idp, seed)["AccessToken"]
    idp.delete_user_attributes(AccessToken=token, UserAttributeNames=["custom:company"])
    assert "custom:company" not in _attrs(idp, token)
    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.delete_user_attributes(AccessToken=token, UserAttributeNames=["email"])
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.delete_user_attributes(AccessToken=token, UserAttributeNames=["custom:role"])


def test_delete_user(seed: SeedResult, idp: Any) -> None:
    tokens = sign_in(idp, seed)
    idp.delete_user(AccessToken=tokens["AccessToken"])
    with pytest.raises(idp.exceptions.UserNotFoundException):
        idp.admin_get_user(UserPoolId=seed.pool_id, Username=seed.demo_email)
    with pytest.raises(idp.exceptions.UserNotFoundException):
        idp.get_user(AccessToken=tokens["AccessToken"])
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        sign_in(idp, seed)
