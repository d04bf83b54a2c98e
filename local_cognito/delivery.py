"""Where a code goes, CodeDeliveryDetails as Cognito shows them, and simulated ones."""

from __future__ import annotations

from moto.cognitoidp.models import CognitoIdpUser, CognitoIdpUserPool

from . import model
from .state import EMULATOR

MEDIUM = {"email": "EMAIL", "phone_number": "SMS"}


def details(attribute: str, value: str) -> dict[str, str]:
    medium = MEDIUM[attribute]
    return {
        "Destination": model.mask_destination(value, medium),
        "DeliveryMedium": medium,
        "AttributeName": attribute,
    }


def simulated(username: str) -> dict[str, str]:
    """What PreventUserExistenceErrors answers for a user that does not exist: nothing is sent."""
    if "@" in username:
        return details("email", username)
    if username.startswith("+"):
        return details("phone_number", username)
    return {"Destination": "u***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email"}


def send(
    pool: CognitoIdpUserPool,
    user: CognitoIdpUser,
    attribute: str,
    *,
    slot: str,
    purpose: str,
    to: str | None = None,
) -> dict[str, str]:
    """Issue a code into ``slot`` and mail/text it; returns CodeDeliveryDetails."""
    address = to or model.attrs(user).get(attribute, "")
    EMULATOR.codes.issue(pool.id, user.id, slot, purpose, to=address, medium=MEDIUM[attribute])
    return details(attribute, address)


def verification_attribute(pool: CognitoIdpUserPool, user: CognitoIdpUser) -> str | None:
    """Which attribute a sign-up code goes to (AutoVerifiedAttributes, email first)."""
    auto = pool.extended_config.get("AutoVerifiedAttributes") or []
    values = model.attrs(user)
    for attribute in ("email", "phone_number"):
        if attribute in auto and values.get(attribute):
            return attribute
    return None


def recovery_attribute(pool: CognitoIdpUserPool, user: CognitoIdpUser) -> str | None:
    """AccountRecoverySetting order; only verified addresses qualify."""
    setting = pool.extended_config.get("AccountRecoverySetting") or {}
    mechanisms = sorted(
        setting.get("RecoveryMechanisms")
        or [
            {"Name": "verified_phone_number", "Priority": 1},
            {"Name": "verified_email", "Priority": 2},
        ],
        key=lambda m: m["Priority"],
    )
    values = model.attrs(user)
    for mechanism in mechanisms:
        attribute = {"verified_email": "email", "verified_phone_number": "phone_number"}.get(
            mechanism["Name"]
        )
        if attribute and values.get(attribute) and values.get(f"{attribute}_verified") == "true":
            return attribute
    return None
