"""Admin operations tightened: passwords and codes through the outbox, revocation on
disable/delete, attribute updates with verification. The rest stays moto's."""

from __future__ import annotations

import secrets
import string
from typing import Any

from moto.cognitoidp.models import CognitoIdpUser, CognitoIdpUserPool, UserStatus

from .. import attributes, delivery, errors, model, passwords
from ..state import EMULATOR
from .account import apply_update, remove_user
from .call import Call
from .signup import CONFIRM_SLOT, FORGOT_SLOT

DAY = 86400.0


def _pool_user(call: Call) -> tuple[CognitoIdpUserPool, CognitoIdpUser]:
    """The call's pool and user, or the errors Cognito gives when either is missing."""
    pool = model.require_pool(call.get("UserPoolId"))
    return pool, model.require_user(pool, call.get("Username"))


def _temporary_password(pool: CognitoIdpUserPool) -> str:
    length = max(int(passwords.policy(pool).get("MinimumLength", 8)), 12)  # type: ignore[call-overload]
    pools = [string.ascii_lowercase, string.ascii_uppercase, string.digits, "^$*.!@#%&"]
    chars = [secrets.choice(p) for p in pools]
    alphabet = string.ascii_letters + string.digits
    chars += [secrets.choice(alphabet) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


def _set_temporary(pool: CognitoIdpUserPool, user: CognitoIdpUser, password: str) -> None:
    days = float(passwords.policy(pool).get("TemporaryPasswordValidityDays", 7))  # type: ignore[arg-type]
    user.password = password
    user.status = UserStatus.FORCE_CHANGE_PASSWORD
    EMULATOR.extra(pool.id, user.id).temp_password_expires_at = EMULATOR.clock.now() + days * DAY


def _send_invitation(user: CognitoIdpUser, password: str, mediums: list[str]) -> None:
    values = model.attrs(user)
    targets = [("EMAIL", values.get("email")), ("SMS", values.get("phone_number"))]
    sent = False
    for medium, address in targets:
        if address and medium in mediums:
            EMULATOR.codes.send(
                to=address, purpose="temporary_password", code=password, medium=medium
            )
            sent = True
    if not sent and values.get("email"):
        EMULATOR.codes.send(
            to=values["email"], purpose="temporary_password", code=password, medium="EMAIL"
        )


def admin_create_user(call: Call) -> dict[str, Any]:
    pool = model.require_pool(call.get("UserPoolId"))
    existing = model.find_user(pool, call.get("Username"))
    action = call.get("MessageAction")
    temporary = call.get("TemporaryPassword")
    if temporary is not None:
        passwords.check_policy(pool, temporary)
    mediums = call.get("DesiredDeliveryMediums") or ["SMS"]
    if action == "RESEND":
        if existing is None:
            raise errors.UserNotFound("User does not exist.")
        if existing.status != UserStatus.FORCE_CHANGE_PASSWORD:
            raise errors.UnsupportedOperation(
                "Resend not possible. The user is not in the FORCE_CHANGE_PASSWORD state."
            )
        password = temporary or _temporary_password(pool)
        _set_temporary(pool, existing, password)
        _send_invitation(existing, password, mediums)
        return {"User": existing.to_json(extended=True)}
    if existing is not None:
        raise errors.UsernameExists("User account already exists")
    values = attributes.validate_write(pool, None, call.get("UserAttributes"))
    backend = model.backend_of_pool(pool.id)
    assert backend is not None
    user = backend.admin_create_user(
        pool.id, call.get("Username"), "", "", [{"Name": k, "Value": v} for k, v in values.items()]
    )
    user.create_date = user.last_modified_date = EMULATOR.clock.utcnow()  # the emulator's time
    password = temporary or _temporary_password(pool)
    _set_temporary(pool, user, password)
    if action != "SUPPRESS":
        _send_invitation(user, password, mediums)
    return {"User": user.to_json(extended=True)}


def admin_set_user_password(call: Call) -> dict[str, Any]:
    pool, user = _pool_user(call)
    password = call.get("Password")
    passwords.check_policy(pool, password)
    if call.get("Permanent"):
        user.password = password
        user.status = UserStatus.CONFIRMED
        EMULATOR.extra(pool.id, user.id).temp_password_expires_at = None
    else:
        _set_temporary(pool, user, password)
    extra = EMULATOR.extra(pool.id, user.id)
    extra.failed_sign_ins, extra.locked_until = 0, 0.0
    return {}


def admin_reset_user_password(call: Call) -> dict[str, Any]:
    pool, user = _pool_user(call)
    backend = model.backend_of_pool(pool.id)
    assert backend is not None
    backend.admin_reset_user_password(pool.id, user.username)
    attribute = delivery.recovery_attribute(pool, user)
    if attribute:
        delivery.send(pool, user, attribute, slot=FORGOT_SLOT, purpose="forgot_password")
    return {}


def admin_confirm_sign_up(call: Call) -> dict[str, Any]:
    pool, user = _pool_user(call)
    if user.status != UserStatus.UNCONFIRMED:
        status = getattr(user.status, "value", user.status)
        raise errors.NotAuthorized(f"User cannot be confirmed. Current status is {status}")
    user.status = UserStatus.CONFIRMED
    EMULATOR.codes.discard(pool.id, user.id, CONFIRM_SLOT)
    return {}


def admin_disable_user(call: Call) -> dict[str, Any]:
    pool, user = _pool_user(call)
    user.enabled = False
    EMULATOR.tokens.revoke_user(pool.id, user.id)  # documented: revokes the user's tokens
    return {}


def admin_delete_user(call: Call) -> dict[str, Any]:
    pool, user = _pool_user(call)
    remove_user(pool, user)
    return {}


def admin_update_user_attributes(call: Call) -> dict[str, Any]:
    pool, user = _pool_user(call)
    values = attributes.validate_write(pool, None, call.get("UserAttributes"), user)
    apply_update(pool, user, values)
    return {}


CREATION_ONLY = ("UsernameAttributes", "AliasAttributes", "UsernameConfiguration")


def update_user_pool(call: Call) -> dict[str, Any]:
    """Unspecified settings return to defaults (as documented), but settings that can only be
    chosen at creation, which moto would drop, are kept."""
    pool = model.require_pool(call.get("UserPoolId"))
    kept = {k: pool.extended_config[k] for k in CREATION_ONLY if k in pool.extended_config}
    config = {k: v for k, v in call.params.items() if k != "UserPoolId"}
    pool.update_extended_config({**config, **kept})
    if "MfaConfiguration" in config:
        pool.mfa_config = config["MfaConfiguration"]
    return {}
