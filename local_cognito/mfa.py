"""Which second factor a sign-in needs, and the challenge that asks for it."""

from __future__ import annotations

import json
from typing import Any

from moto.cognitoidp.models import CognitoIdpUser, CognitoIdpUserPool, CognitoIdpUserPoolClient

from . import codes, model
from .state import EMULATOR


def pool_factors(pool: CognitoIdpUserPool) -> list[str]:
    """Factors the pool's MFA configuration allows."""
    if pool.mfa_config == "OFF":
        return []
    found = []
    if pool.sms_mfa_config:
        found.append("SMS_MFA")
    if (pool.token_mfa_config or {}).get("Enabled"):
        found.append("SOFTWARE_TOKEN_MFA")
    if EMULATOR.pool_extra(pool.id).get("EmailMfaConfiguration") is not None:
        found.append("EMAIL_OTP")
    return found


def user_factors(pool: CognitoIdpUserPool, user: CognitoIdpUser) -> list[str]:
    """Factors this user has turned on (and the pool allows)."""
    allowed = pool_factors(pool)
    extra = EMULATOR.extra(pool.id, user.id)
    values = model.attrs(user)
    found = []
    if "SMS_MFA" in allowed and user.sms_mfa_enabled and values.get("phone_number"):
        found.append("SMS_MFA")
    if "SOFTWARE_TOKEN_MFA" in allowed and user.software_token_mfa_enabled and extra.totp_secret:
        found.append("SOFTWARE_TOKEN_MFA")
    if "EMAIL_OTP" in allowed and extra.email_mfa_enabled and values.get("email"):
        found.append("EMAIL_OTP")
    return found


def settings_list(pool: CognitoIdpUserPool, user: CognitoIdpUser) -> list[str]:
    extra = EMULATOR.extra(pool.id, user.id)
    found = []
    if user.sms_mfa_enabled:
        found.append("SMS_MFA")
    if user.software_token_mfa_enabled:
        found.append("SOFTWARE_TOKEN_MFA")
    if extra.email_mfa_enabled:
        found.append("EMAIL_OTP")
    return found


def open_session(
    pool: CognitoIdpUserPool, client: CognitoIdpUserPoolClient, sub: str, name: str, **data: Any
) -> str:
    """A challenge Session that lives for the client's AuthSessionValidity (minutes, default 3)."""
    return EMULATOR.challenge_sessions.create(
        pool_id=pool.id,
        client_id=client.id,
        sub=sub,
        challenge=name,
        validity_minutes=float(client.extended_config.get("AuthSessionValidity") or 3),
        **data,
    )


def challenge(
    pool: CognitoIdpUserPool,
    client: CognitoIdpUserPoolClient,
    user: CognitoIdpUser,
    name: str,
    **data: Any,
) -> dict[str, Any]:
    """Open a challenge: sends the code for SMS/email factors; returns the API response."""
    params: dict[str, str] = {"USER_ID_FOR_SRP": user.username}
    values = model.attrs(user)
    if name in ("SMS_MFA", "SMS_OTP", "EMAIL_OTP"):
        medium = "EMAIL" if name == "EMAIL_OTP" else "SMS"
        to = values.get("email" if medium == "EMAIL" else "phone_number", "")
        code = codes.new_code()
        purpose = "mfa_email" if medium == "EMAIL" else "mfa_sms"
        EMULATOR.codes.send(to=to, purpose=purpose, code=code, medium=medium)
        data.update(code=code, code_expires_at=EMULATOR.clock.now() + codes.LIFETIMES[purpose])
        params.update(
            CODE_DELIVERY_DELIVERY_MEDIUM=medium,
            CODE_DELIVERY_DESTINATION=model.mask_destination(to, medium),
        )
    elif name == "SELECT_MFA_TYPE":
        params["MFAS_CAN_CHOOSE"] = json.dumps(user_factors(pool, user))
    elif name == "MFA_SETUP":
        params["MFAS_CAN_SETUP"] = json.dumps(
            [f for f in pool_factors(pool) if f == "SOFTWARE_TOKEN_MFA"]
        )
    session = open_session(pool, client, user.id, name, **data)
    return {"ChallengeName": name, "Session": session, "ChallengeParameters": params}


def second_factor(pool: CognitoIdpUserPool, user: CognitoIdpUser) -> str | None:
    """The challenge to send after a good password, or None to issue tokens."""
    if pool.mfa_config == "OFF":
        return None
    enabled = user_factors(pool, user)
    if not enabled:
        return "MFA_SETUP" if pool.mfa_config == "ON" else None
    if user.preferred_mfa_setting in enabled:
        return str(user.preferred_mfa_setting)
    return enabled[0] if len(enabled) == 1 else "SELECT_MFA_TYPE"
