"""SignUp, ConfirmSignUp, ResendConfirmationCode, ForgotPassword, ConfirmForgotPassword."""

from __future__ import annotations

from typing import Any

from moto.cognitoidp.models import CognitoIdpUser, UserStatus

from .. import attributes, delivery, errors, mfa, model, passwords
from ..state import EMULATOR
from .call import Call

CONFIRM_SLOT = "confirm_sign_up"
FORGOT_SLOT = "forgot_password"
#: The challenge name of the Session SignUp returns (ConfirmSignUp accepts it, nothing else).
SIGN_UP_SESSION = "SIGN_UP"
#: AWS does not document how long SignUp's Session lives; we keep it as long as the code.
SIGN_UP_SESSION_MINUTES = 24 * 60


def _refused(user: CognitoIdpUser | None) -> errors.CognitoError:
    """What a missing or disabled user gets when the client does not hide existence."""
    if user is None:
        return errors.UserNotFound("Username/client id combination not found.")
    return errors.NotAuthorized("User is disabled.")


def sign_up(call: Call) -> dict[str, Any]:
    client, pool = model.client_and_pool(call.get("ClientId"))
    username: str = call.get("Username") or ""
    aliases = pool.extended_config.get("UsernameAttributes") or []
    values = attributes.validate_write(pool, client, call.get("UserAttributes"))
    if aliases:
        if "email" in aliases and "@" in username:
            values["email"] = username
        elif "phone_number" in aliases and username.startswith("+"):
            values["phone_number"] = username
        else:
            raise errors.InvalidParameter("Username should be either an email or a phone number.")
        attributes.validate_write(pool, None, [{"Name": k, "Value": v} for k, v in values.items()])
    passwords.check_policy(pool, call.get("Password"))
    missing = attributes.missing_required(pool, values)
    if missing:
        raise errors.InvalidParameter(
            "Attributes did not conform to the schema: "
            + "".join(f"{name}: The attribute {name} is required\n" for name in missing)
        )
    if model.find_user(pool, username) is not None:
        raise errors.UsernameExists("User already exists")
    if "email" in aliases and any(
        model.attrs(u).get("email", "").lower() == values.get("email", "").lower()
        for u in pool.users.values()
    ):
        raise errors.UsernameExists("An account with the given email already exists.")
    user = CognitoIdpUser(
        pool.id,
        None if aliases else username,
        call.get("Password"),
        UserStatus.UNCONFIRMED,
        [{"Name": k, "Value": v} for k, v in values.items()],
    )
    user.create_date = user.last_modified_date = EMULATOR.clock.utcnow()
    pool.users[user.username] = user
    # Bound to this sign-up (the new user's sub) and this client: only its holder gets a
    # sign-in Session from ConfirmSignUp (docs/security.md S1).
    session = EMULATOR.challenge_sessions.create(
        pool_id=pool.id,
        client_id=client.id,
        sub=user.id,
        challenge=SIGN_UP_SESSION,
        validity_minutes=SIGN_UP_SESSION_MINUTES,
    )
    response: dict[str, Any] = {"UserConfirmed": False, "UserSub": user.id, "Session": session}
    attribute = delivery.verification_attribute(pool, user)
    if attribute:
        response["CodeDeliveryDetails"] = delivery.send(
            pool, user, attribute, slot=CONFIRM_SLOT, purpose="sign_up"
        )
    return response


def confirm_sign_up(call: Call) -> dict[str, Any]:
    client, pool = model.client_and_pool(call.get("ClientId"))
    user = model.find_user(pool, call.get("Username"))
    if user is None:
        # Documented for PreventUserExistenceErrors=ENABLED: ExpiredCodeException.
        if model.prevent_existence_errors(client):
            raise errors.ExpiredCode()
        raise _refused(user)
    if user.status != UserStatus.UNCONFIRMED:
        status = getattr(user.status, "value", user.status)
        raise errors.NotAuthorized(f"User cannot be confirmed. Current status is {status}")
    EMULATOR.codes.check(
        pool.id,
        user.id,
        CONFIRM_SLOT,
        call.get("ConfirmationCode"),
        limit_error=errors.TooManyFailedAttempts,
    )
    user.status = UserStatus.CONFIRMED
    attribute = delivery.verification_attribute(pool, user) or "email"
    model.set_attrs(user, {f"{attribute}_verified": "true"})
    if not _holds_sign_up_session(call.get("Session"), client.id, user.id):
        # Confirmed, but whoever confirms without this sign-up's Session signs in with a
        # password like anyone else: the one who chose it may be someone else (S1).
        return {}
    session = mfa.open_session(pool, client, user.id, "SIGN_UP_CONFIRMED")
    return {"Session": session}


def _holds_sign_up_session(token: str | None, client_id: str, sub: str) -> bool:
    """Is ``token`` the live Session SignUp issued for this user through this client?

    Consumed when it is: one sign-in per sign-up."""
    if not token:
        return False
    try:
        session = EMULATOR.challenge_sessions.peek(token, client_id)
    except errors.NotAuthorized:
        return False
    if session.challenge != SIGN_UP_SESSION or session.sub != sub:
        return False
    EMULATOR.challenge_sessions.drop(token)
    return True


def resend_confirmation_code(call: Call) -> dict[str, Any]:
    client, pool = model.client_and_pool(call.get("ClientId"))
    username = call.get("Username") or ""
    user = model.find_user(pool, username)
    if user is None or not user.enabled:
        if model.prevent_existence_errors(client):
            return {"CodeDeliveryDetails": delivery.simulated(username)}
        raise _refused(user)
    if user.status != UserStatus.UNCONFIRMED:
        raise errors.InvalidParameter("User is already confirmed.")
    attribute = delivery.verification_attribute(pool, user) or "email"
    return {
        "CodeDeliveryDetails": delivery.send(
            pool, user, attribute, slot=CONFIRM_SLOT, purpose="resend_confirmation"
        )
    }


def forgot_password(call: Call) -> dict[str, Any]:
    client, pool = model.client_and_pool(call.get("ClientId"))
    username = call.get("Username") or ""
    user = model.find_user(pool, username)
    attribute = delivery.recovery_attribute(pool, user) if user is not None else None
    if user is None or not user.enabled or attribute is None:
        if model.prevent_existence_errors(client):
            return {"CodeDeliveryDetails": delivery.simulated(username)}
        if user is None or not user.enabled:
            raise _refused(user)
        raise errors.InvalidParameter(
            "Cannot reset password for the user as there is no registered/verified email or "
            "phone_number"
        )
    return {
        "CodeDeliveryDetails": delivery.send(
            pool, user, attribute, slot=FORGOT_SLOT, purpose="forgot_password"
        )
    }


def confirm_forgot_password(call: Call) -> dict[str, Any]:
    client, pool = model.client_and_pool(call.get("ClientId"))
    user = model.find_user(pool, call.get("Username"))
    if user is None or not user.enabled:
        if model.prevent_existence_errors(client):
            raise errors.CodeMismatch()
        raise _refused(user)
    password = call.get("Password")
    passwords.check_policy(pool, password)
    EMULATOR.codes.check(pool.id, user.id, FORGOT_SLOT, call.get("ConfirmationCode"))
    user.password = password
    if user.status in (UserStatus.RESET_REQUIRED, UserStatus.FORCE_CHANGE_PASSWORD):
        user.status = UserStatus.CONFIRMED
    extra = EMULATOR.extra(pool.id, user.id)
    extra.failed_sign_ins, extra.locked_until = 0, 0.0
    return {}
