"""Access-token operations on one's own account: GetUser, attributes, password, DeleteUser."""

from __future__ import annotations

from typing import Any

from moto.cognitoidp.models import CognitoIdpUser, CognitoIdpUserPool, CognitoIdpUserPoolClient

from .. import attributes, auth_engine, delivery, errors, mfa, model, passwords
from ..state import EMULATOR
from .call import Call

VERIFIABLE = ("email", "phone_number")
PURPOSE = {"email": "verify_email", "phone_number": "verify_phone_number"}


def _session(
    call: Call, *, deleted_user: type[errors.CognitoError] | None = None
) -> tuple[CognitoIdpUserPool, CognitoIdpUserPoolClient, CognitoIdpUser]:
    pool, user, claims = EMULATOR.tokens.verify_access(
        call.get("AccessToken"), deleted_user=deleted_user
    )
    client = pool.clients.get(str(claims.get("client_id")))
    if client is None:
        raise errors.NotAuthorized("Invalid Access Token")
    return pool, client, user


def _slot(attribute: str) -> str:
    return f"verify_{attribute}"


def _alias_taken(
    pool: CognitoIdpUserPool, user: CognitoIdpUser, attribute: str, value: str
) -> bool:
    if attribute not in (pool.extended_config.get("UsernameAttributes") or []):
        return False
    return any(
        other is not user and model.attrs(other).get(attribute, "").lower() == value.lower()
        for other in pool.users.values()
    )


def get_user(call: Call) -> dict[str, Any]:
    # A token of a user deleted since: "User does not exist." (UserNotFoundException), as AWS.
    pool, client, user = _session(call, deleted_user=errors.UserNotFound)
    readable = client.extended_config.get("ReadAttributes")
    shown = [
        {"Name": k, "Value": v}
        for k, v in model.attrs(user).items()
        if k == "sub" or not readable or k in readable
    ]
    response: dict[str, Any] = {
        "Username": user.username,
        "UserAttributes": shown,
        "MFAOptions": [],
    }
    settings = mfa.settings_list(pool, user)
    if settings:
        response["UserMFASettingList"] = settings
    if user.preferred_mfa_setting:
        response["PreferredMfaSetting"] = user.preferred_mfa_setting
    return response


def apply_update(
    pool: CognitoIdpUserPool, user: CognitoIdpUser, values: dict[str, str]
) -> list[dict[str, str]]:
    """Write attributes; email/phone changes follow the pool's verification settings."""
    current = model.attrs(user)
    must_verify_first = (pool.extended_config.get("UserAttributeUpdateSettings") or {}).get(
        "AttributesRequireVerificationBeforeUpdate"
    ) or []
    auto_verified = pool.extended_config.get("AutoVerifiedAttributes") or []
    extra = EMULATOR.extra(pool.id, user.id)
    deliveries = []
    for attribute in VERIFIABLE:
        value = values.get(attribute)
        if value is None or value == current.get(attribute):
            values.pop(attribute, None)
            continue
        if _alias_taken(pool, user, attribute, value):
            raise errors.AliasExists()
        if values.get(f"{attribute}_verified") == "true":  # an admin vouching for it
            extra.pending.pop(attribute, None)
            continue
        if attribute in must_verify_first:
            # Documented: the old value stays in effect until the new one is verified.
            values.pop(attribute)
            extra.pending[attribute] = value
        else:
            values[f"{attribute}_verified"] = "false"
            extra.pending.pop(attribute, None)
        if attribute in auto_verified or attribute in must_verify_first:
            deliveries.append(
                delivery.send(
                    pool,
                    user,
                    attribute,
                    slot=_slot(attribute),
                    purpose=PURPOSE[attribute],
                    to=value,
                )
            )
    if values:
        model.set_attrs(user, values)
    return deliveries


def update_user_attributes(call: Call) -> dict[str, Any]:
    pool, client, user = _session(call)
    values = attributes.validate_write(pool, client, call.get("UserAttributes"), user)
    deliveries = apply_update(pool, user, values)
    return {"CodeDeliveryDetailsList": deliveries} if deliveries else {}


def get_user_attribute_verification_code(call: Call) -> dict[str, Any]:
    pool, _client, user = _session(call)
    attribute = call.get("AttributeName") or ""
    if attribute not in VERIFIABLE:
        raise errors.InvalidParameter(f"Invalid attribute name: {attribute}")
    value = EMULATOR.extra(pool.id, user.id).pending.get(attribute) or model.attrs(user).get(
        attribute
    )
    if not value:
        raise errors.InvalidParameter(f"Missing attribute: {attribute}")
    return {
        "CodeDeliveryDetails": delivery.send(
            pool, user, attribute, slot=_slot(attribute), purpose=PURPOSE[attribute], to=value
        )
    }


def verify_user_attribute(call: Call) -> dict[str, Any]:
    pool, _client, user = _session(call)
    attribute = call.get("AttributeName") or ""
    if attribute not in VERIFIABLE:
        raise errors.InvalidParameter(f"Invalid attribute name: {attribute}")
    EMULATOR.codes.check(pool.id, user.id, _slot(attribute), call.get("Code"))
    extra = EMULATOR.extra(pool.id, user.id)
    update = {f"{attribute}_verified": "true"}
    pending = extra.pending.pop(attribute, None)
    if pending is not None:
        if _alias_taken(pool, user, attribute, pending):
            raise errors.AliasExists()
        update[attribute] = pending
    model.set_attrs(user, update)
    return {}


def delete_user_attributes(call: Call) -> dict[str, Any]:
    pool, client, user = _session(call)
    names: list[str] = call.get("UserAttributeNames") or []
    writable = client.extended_config.get("WriteAttributes")
    for name in names:
        if name not in pool.schema_attributes or name == "sub":
            raise errors.InvalidParameter(
                f"Invalid user attributes: user.{name}: Attribute does not exist in the schema."
            )
        if writable is not None and name not in writable:
            raise errors.NotAuthorized("A client attempted to write unauthorized attribute")
        if pool.schema_attributes[name].required:
            raise errors.InvalidParameter(f"Cannot delete required attribute: {name}")
    doomed = list(names) + [f"{n}_verified" for n in names if n in VERIFIABLE]
    model.delete_attrs(user, doomed)
    for name in names:
        EMULATOR.extra(pool.id, user.id).pending.pop(name, None)
    return {}


def change_password(call: Call) -> dict[str, Any]:
    pool, _client, user = _session(call)
    proposed = call.get("ProposedPassword")
    passwords.check_policy(pool, proposed)
    if EMULATOR.clock.now() < EMULATOR.extra(pool.id, user.id).locked_until:
        raise errors.LimitExceeded()
    auth_engine.record_password_result(
        pool, user, passwords.matches(user, call.get("PreviousPassword"))
    )
    user.password = proposed
    return {}


def remove_user(pool: CognitoIdpUserPool, user: CognitoIdpUser) -> None:
    """Delete a user everywhere: its tokens, group memberships and emulator extras."""
    EMULATOR.tokens.revoke_user(pool.id, user.id)
    for group in list(user.groups):
        group.users.discard(user)
    pool.users.pop(user.username, None)
    EMULATOR.extras.pop((pool.id, user.id), None)


def delete_user(call: Call) -> dict[str, Any]:
    pool, _client, user = _session(call)
    remove_user(pool, user)
    return {}
