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
from dataclasses import dataclass
from typing import Any

from .. import exceptions as exc
from .. import gateway, pool
from ..conf import app_settings
from ..types import CodeDelivery
from . import attempts

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


@dataclass(frozen=True)
class ChangeStarted:
    """What :func:`start_change` did. ``refused``: Cognito would not take the address (another
    account has it); nothing changed and nothing was sent, yet the caller answers exactly as
    if a code had gone out, so the form cannot be used to probe for accounts (S10)."""

    delivery: CodeDelivery | None
    refused: bool = False


def _attempts_key(sub: str, attribute: str) -> str:
    return f"{sub}:{attribute}"


def start_change(*, access_token: str, attribute: str, value: str) -> ChangeStarted:
    """Ask Cognito to change email or phone number; a code goes to the new address.

    Cognito sends the code itself for auto-verified attributes; otherwise we ask for one.
    """
    if attribute not in VERIFIABLE:
        raise exc.InvalidParameter("not a verifiable attribute", field="value")
    try:
        deliveries = gateway.update_user_attributes(
            access_token=access_token, attributes={attribute: value}
        )
    except exc.AliasExists:
        # S10: "taken" must not read differently from "code sent"; Cognito changed nothing.
        return ChangeStarted(delivery=None, refused=True)
    for delivery in deliveries:
        if delivery.attribute == attribute:
            return ChangeStarted(delivery=delivery)
    return ChangeStarted(
        delivery=gateway.get_user_attribute_verification_code(
            access_token=access_token, attribute=attribute
        )
    )


def resend_code(*, access_token: str, attribute: str, refused: bool = False) -> None:
    """A new code for the pending value; for a ``refused`` one nothing is sent (S10)."""
    if attribute not in VERIFIABLE:
        raise exc.InvalidParameter("not a verifiable attribute")
    if refused:
        return
    gateway.get_user_attribute_verification_code(access_token=access_token, attribute=attribute)


def verify(
    *, access_token: str, sub: str, attribute: str, code: str, refused: bool = False
) -> None:
    """Check the code; the pending value takes effect (and is marked verified).

    Wrong codes are counted here, per user and attribute, and stop at
    ``COGNITO_CODE_MAX_ATTEMPTS``: before Cognito's own limit, whose different answer would
    otherwise tell a pending change from a ``refused`` one, for which no code exists and every
    code is wrong without asking Cognito (S10).
    """
    if attribute not in VERIFIABLE:
        raise exc.InvalidParameter("not a verifiable attribute")
    key = _attempts_key(sub, attribute)
    if attempts.failures("attribute_code", key) >= app_settings.CODE_MAX_ATTEMPTS:
        raise exc.TooManyCodes("too many codes")
    try:
        if refused:
            raise exc.CodeMismatch("no code was sent")
        gateway.verify_user_attribute(access_token=access_token, attribute=attribute, code=code)
    except (exc.CodeMismatch, exc.ExpiredCode):
        attempts.add_failure("attribute_code", key, 3600)
        raise
    except (exc.LimitExceeded, exc.TooManyFailedAttempts) as error:
        raise exc.TooManyCodes(error.code) from error
    attempts.clear_failures("attribute_code", key)


def unverified(claims: Mapping[str, Any]) -> list[str]:
    """Verifiable attributes present in the claims whose ``_verified`` flag is false."""
    result = []
    for attribute in VERIFIABLE:
        flag = claims.get(f"{attribute}_verified")
        if claims.get(attribute) and flag is not None and str(flag).lower() != "true":
            result.append(attribute)
    return result
