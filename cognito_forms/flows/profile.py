"""Profile edits and attribute verification for the signed-in user.

Only attributes the caller allows (the profile form's writable fields) are ever sent, and only
changed ones: UpdateUserAttributes for new values, DeleteUserAttributes for cleared ones. An
email or phone change takes effect only once its code is verified (with the pool's
``AttributesRequireVerificationBeforeUpdate`` Cognito keeps the old value meanwhile).
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping
from typing import Any

from .. import exceptions as exc
from .. import gateway
from ..types import CodeDelivery

logger = logging.getLogger(__name__)

#: Attributes that carry a ``<name>_verified`` flag and are verified with a code.
VERIFIABLE = ("email", "phone_number")


def update_attributes(
    *,
    access_token: str,
    changed: Mapping[str, str],
    cleared: Collection[str] = (),
    allowed: Collection[str],
) -> list[str]:
    """Send the changed attributes; returns the names sent (empty: nothing to do).

    ``allowed`` is the allow-list (the attributes the form offered): anything else is dropped
    here as well, so a forged field cannot reach Cognito even if a form let it through.
    """
    # Defence in depth for F7: the server decides what may be written, never the post.
    values = {name: value for name, value in changed.items() if name in allowed}
    removed = [name for name in cleared if name in allowed and name not in values]
    dropped = (set(changed) | set(cleared)) - set(values) - set(removed)
    if dropped:
        logger.warning("Dropped %d attribute(s) outside the allow-list", len(dropped))
    if values:
        gateway.update_user_attributes(access_token=access_token, attributes=values)
    if removed:
        gateway.delete_user_attributes(access_token=access_token, names=removed)
    return sorted([*values, *removed])


def start_change(*, access_token: str, attribute: str, value: str) -> CodeDelivery | None:
    """Ask Cognito to change email or phone number; a code goes to the new address.

    Cognito sends the code itself for auto-verified attributes; otherwise we ask for one.
    """
    if attribute not in VERIFIABLE:
        raise exc.InvalidParameter("not a verifiable attribute", field="value")
    deliveries = gateway.update_user_attributes(
        access_token=access_token, attributes={attribute: value}
    )
    for delivery in deliveries:
        if delivery.attribute == attribute:
            return delivery
    return gateway.get_user_attribute_verification_code(
        access_token=access_token, attribute=attribute
    )


def resend_code(*, access_token: str, attribute: str) -> CodeDelivery | None:
    if attribute not in VERIFIABLE:
        raise exc.InvalidParameter("not a verifiable attribute")
    return gateway.get_user_attribute_verification_code(
        access_token=access_token, attribute=attribute
    )


def verify(*, access_token: str, attribute: str, code: str) -> None:
    """Check the code; the pending value takes effect (and is marked verified)."""
    if attribute not in VERIFIABLE:
        raise exc.InvalidParameter("not a verifiable attribute")
    gateway.verify_user_attribute(access_token=access_token, attribute=attribute, code=code)


def unverified(claims: Mapping[str, Any]) -> list[str]:
    """Verifiable attributes present in the claims whose ``_verified`` flag is false."""
    result = []
    for attribute in VERIFIABLE:
        flag = claims.get(f"{attribute}_verified")
        if claims.get(attribute) and flag is not None and str(flag).lower() != "true":
            result.append(attribute)
    return result
