"""Profile edits and attribute verification for the signed-in user.

Only attributes the caller allows (the profile form's writable fields) *and* the pool lets this
user change are ever sent, and only changed ones: UpdateUserAttributes for new values,
DeleteUserAttributes for cleared ones. An email or phone change takes effect only once its code
is verified (with the pool's ``AttributesRequireVerificationBeforeUpdate`` Cognito keeps the
old value meanwhile).
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping
from typing import Any

from .. import exceptions as exc
from .. import gateway, pool
from ..conf import app_settings
from ..types import CodeDelivery

logger = logging.getLogger(__name__)

#: Attributes that carry a ``<name>_verified`` flag and are verified with a code.
VERIFIABLE = ("email", "phone_number")


def profile_writable(name: str) -> bool:
    """May the user change ``name`` on the profile? The pool's schema and the app client
    decide: a mutable, non developer-only attribute in ``WriteAttributes``, not one of the
    operator's ``COGNITO_PRIVILEGED_ATTRIBUTES``, not a flag or id Cognito sets (``sub``,
    ``email_verified`` ...), and not email or phone number (changed with a code, F8)."""
    if name in VERIFIABLE or name in pool.NOT_ASKED or name in app_settings.PRIVILEGED_ATTRIBUTES:
        return False
    schema = pool.describe_pool().attribute(name)
    if schema is None or not schema.mutable or schema.developer_only:
        return False
    return pool.writable(name)


def update_attributes(
    *,
    access_token: str,
    changed: Mapping[str, str],
    cleared: Collection[str] = (),
    allowed: Collection[str],
) -> list[str]:
    """Send the changed attributes; returns the names sent (empty: nothing to do).

    ``allowed`` is the allow-list (the attributes the form offered); an attribute is sent only
    if it is allowed *and* :func:`profile_writable`, so neither a forged field nor a form (ours
    or an operator's replacement) that offers too much can reach Cognito with it.
    """
    # Defence in depth for F7: the server decides what may be written, never the post.
    permitted = {name for name in allowed if profile_writable(name)}
    values = {name: value for name, value in changed.items() if name in permitted}
    removed = [name for name in cleared if name in permitted and name not in values]
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
