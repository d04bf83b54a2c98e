"""Software tokens, MFA preferences and the pool's MFA configuration (with email MFA)."""

from __future__ import annotations

from typing import Any

from moto.cognitoidp.models import CognitoIdpUser, CognitoIdpUserPool

from .. import errors, mfa, model, totp
from ..state import EMULATOR
from .call import Call


def _who(call: Call) -> tuple[CognitoIdpUserPool, CognitoIdpUser, str | None]:
    """The user behind AccessToken or an MFA_SETUP Session (then the session token too)."""
    token = call.get("Session")
    if token and not call.get("AccessToken"):
        session = EMULATOR.challenge_sessions.peek(token)
        pool = model.find_pool(session.pool_id)
        user = model.user_by_sub(pool, session.sub) if pool else None
        if pool is None or user is None or session.challenge != "MFA_SETUP":
            raise errors.NotAuthorized("Invalid session for the user.")
        return pool, user, token
    pool, user, _claims = EMULATOR.tokens.verify_access(call.get("AccessToken"))
    return pool, user, None


def _next_session(token: str, **data: Any) -> str:
    """Associate/Verify hand back a fresh Session for the same MFA_SETUP challenge."""
    old = EMULATOR.challenge_sessions.take(token)
    remaining = (old.expires_at - EMULATOR.clock.now()) / 60
    return EMULATOR.challenge_sessions.create(
        pool_id=old.pool_id,
        client_id=old.client_id,
        sub=old.sub,
        challenge=old.challenge,
        validity_minutes=remaining,
        **{**old.data, **data},
    )


def associate_software_token(call: Call) -> dict[str, Any]:
    pool, user, token = _who(call)
    secret = totp.new_secret()
    EMULATOR.extra(pool.id, user.id).totp_pending = secret
    response: dict[str, Any] = {"SecretCode": secret}
    if token:
        response["Session"] = _next_session(token)
    return response


def verify_software_token(call: Call) -> dict[str, Any]:
    pool, user, token = _who(call)
    extra = EMULATOR.extra(pool.id, user.id)
    if not extra.totp_pending:
        raise errors.InvalidParameter("User has not associated a software token")
    if not totp.verify(extra.totp_pending, call.get("UserCode"), EMULATOR.clock.now()):
        raise errors.EnableSoftwareTokenMFA("Code mismatch")
    extra.totp_secret, extra.totp_pending = extra.totp_pending, None
    user.token_verified = True
    response: dict[str, Any] = {"Status": "SUCCESS"}
    if token:
        response["Session"] = _next_session(token, verified=True)
    return response


def _set_preference(pool: CognitoIdpUserPool, user: CognitoIdpUser, params: dict[str, Any]) -> None:
    extra = EMULATOR.extra(pool.id, user.id)
    values = model.attrs(user)
    settings = [
        ("SMSMfaSettings", "SMS_MFA"),
        ("SoftwareTokenMfaSettings", "SOFTWARE_TOKEN_MFA"),
        ("EmailMfaSettings", "EMAIL_OTP"),
    ]
    for key, factor in settings:
        chosen = params.get(key)
        if not chosen:
            continue
        enabled = bool(chosen.get("Enabled"))
        if enabled and factor == "SOFTWARE_TOKEN_MFA" and not extra.totp_secret:
            raise errors.InvalidParameter("User has not verified software token mfa")
        if enabled and factor == "SMS_MFA" and not values.get("phone_number"):
            raise errors.InvalidParameter(
                "User does not have delivery config set to turn on SMS_MFA"
            )
        if enabled and factor == "EMAIL_OTP" and not values.get("email"):
            raise errors.InvalidParameter(
                "User does not have delivery config set to turn on EMAIL_OTP"
            )
        if factor == "SMS_MFA":
            user.sms_mfa_enabled = enabled
        elif factor == "SOFTWARE_TOKEN_MFA":
            user.software_token_mfa_enabled = enabled
        else:
            extra.email_mfa_enabled = enabled
        if enabled and chosen.get("PreferredMfa"):
            user.preferred_mfa_setting = factor
        elif user.preferred_mfa_setting == factor and (not enabled or "PreferredMfa" in chosen):
            user.preferred_mfa_setting = ""


def set_user_mfa_preference(call: Call) -> dict[str, Any]:
    pool, user, _claims = EMULATOR.tokens.verify_access(call.get("AccessToken"))
    _set_preference(pool, user, call.params)
    return {}


def admin_set_user_mfa_preference(call: Call) -> dict[str, Any]:
    pool = model.require_pool(call.get("UserPoolId"))
    user = model.require_user(pool, call.get("Username"))
    _set_preference(pool, user, call.params)
    return {}


def _mfa_config(pool: CognitoIdpUserPool) -> dict[str, Any]:
    response: dict[str, Any] = {"MfaConfiguration": pool.mfa_config}
    if pool.sms_mfa_config:
        response["SmsMfaConfiguration"] = pool.sms_mfa_config
    if pool.token_mfa_config:
        response["SoftwareTokenMfaConfiguration"] = pool.token_mfa_config
    email = EMULATOR.pool_extra(pool.id).get("EmailMfaConfiguration")
    if email is not None:
        response["EmailMfaConfiguration"] = email
    return response


def set_user_pool_mfa_config(call: Call) -> dict[str, Any]:
    pool = model.require_pool(call.get("UserPoolId"))
    config = call.get("MfaConfiguration") or pool.mfa_config
    if config not in ("ON", "OFF", "OPTIONAL"):
        raise errors.InvalidParameter(
            "[MfaConfiguration] must be one of 'ON', 'OFF', or 'OPTIONAL'."
        )
    pool.mfa_config = config
    if "SmsMfaConfiguration" in call.params:
        pool.sms_mfa_config = call.get("SmsMfaConfiguration")
        for key in ("SmsConfiguration", "SmsAuthenticationMessage"):  # as Cognito records them
            if (pool.sms_mfa_config or {}).get(key):
                pool.extended_config[key] = pool.sms_mfa_config[key]
    if "SoftwareTokenMfaConfiguration" in call.params:
        pool.token_mfa_config = call.get("SoftwareTokenMfaConfiguration")
    if "EmailMfaConfiguration" in call.params:
        EMULATOR.pool_extra(pool.id)["EmailMfaConfiguration"] = call.get("EmailMfaConfiguration")
    if config != "OFF" and not mfa.pool_factors(pool):
        raise errors.InvalidParameter("At least one MFA method must be configured.")
    return _mfa_config(pool)


def get_user_pool_mfa_config(call: Call) -> dict[str, Any]:
    pool = model.require_pool(call.get("UserPoolId"))
    return _mfa_config(pool)
