"""USER_AUTH, choice-based sign-in: PREFERRED_CHALLENGE or SELECT_CHALLENGE over the factors
the pool allows (SignInPolicy.AllowedFirstAuthFactors) and the user can use."""

from __future__ import annotations

from typing import Any

from moto.cognitoidp.models import (
    CognitoIdpUser,
    CognitoIdpUserPool,
    CognitoIdpUserPoolClient,
    UserStatus,
)

from . import auth_engine as engine
from . import errors, mfa, model
from .challenge_sessions import INVALID
from .state import EMULATOR


def pool_first_factors(pool: CognitoIdpUserPool) -> list[str]:
    policy = (pool.extended_config.get("Policies") or {}).get("SignInPolicy") or {}
    allowed = policy.get("AllowedFirstAuthFactors") or ["PASSWORD"]
    found = ["PASSWORD", "PASSWORD_SRP"] if "PASSWORD" in allowed else []
    return found + [f for f in ("EMAIL_OTP", "SMS_OTP") if f in allowed]


def available(pool: CognitoIdpUserPool, user: CognitoIdpUser) -> list[str]:
    values = model.attrs(user)
    found = []
    for factor in pool_first_factors(pool):
        if factor in ("PASSWORD", "PASSWORD_SRP") and not user.password:
            continue
        if factor == "EMAIL_OTP" and values.get("email_verified") != "true":
            continue
        if factor == "SMS_OTP" and values.get("phone_number_verified") != "true":
            continue
        found.append(factor)
    return found


def _fake(pool: CognitoIdpUserPool, client: CognitoIdpUserPoolClient, name: str) -> dict[str, Any]:
    """Same shape as a real challenge, for a user that does not exist."""
    session = mfa.open_session(pool, client, "", name, fake=True)
    params: dict[str, str] = {}
    if name in ("EMAIL_OTP", "SMS_OTP"):
        medium = "EMAIL" if name == "EMAIL_OTP" else "SMS"
        params = {
            "CODE_DELIVERY_DELIVERY_MEDIUM": medium,
            "CODE_DELIVERY_DESTINATION": "u***@e***" if medium == "EMAIL" else "+*******0000",
        }
    response: dict[str, Any] = {
        "ChallengeName": name,
        "Session": session,
        "ChallengeParameters": params,
    }
    if name == "SELECT_CHALLENGE":
        response["AvailableChallenges"] = pool_first_factors(pool)
    return response


def _start(
    pool: CognitoIdpUserPool,
    client: CognitoIdpUserPoolClient,
    user: CognitoIdpUser,
    factor: str,
    values: dict[str, str],
) -> dict[str, Any]:
    if factor == "PASSWORD":
        engine.check_password(pool, client, user, values.get("PASSWORD"))
        return engine.after_first_factor(pool, client, user)
    if factor == "PASSWORD_SRP":
        return engine.srp_challenge(pool, client, user, values.get("SRP_A"), with_session=True)
    if user.status == UserStatus.RESET_REQUIRED:  # no password proof on this path
        raise errors.PasswordResetRequired()
    if user.status == UserStatus.UNCONFIRMED:
        raise errors.UserNotConfirmed()
    return mfa.challenge(pool, client, user, factor, first_factor=True)


def initiate(
    pool: CognitoIdpUserPool,
    client: CognitoIdpUserPoolClient,
    params: dict[str, str],
    session_token: str | None,
) -> dict[str, Any]:
    user = model.find_user(pool, params.get("USERNAME"))
    if session_token:  # the Session ConfirmSignUp returned: sign in without a password
        session = EMULATOR.challenge_sessions.take(session_token, client.id)
        if session.challenge != "SIGN_UP_CONFIRMED" or user is None or user.id != session.sub:
            raise errors.NotAuthorized(INVALID)
        engine.check_before_password(pool, client, user)
        return engine.signed_in(pool, client, user)
    if user is None:
        if not model.prevent_existence_errors(client):
            raise errors.UserNotFound("User does not exist.")
        return _fake(pool, client, "SELECT_CHALLENGE")
    engine.check_before_password(pool, client, user)
    choices = available(pool, user)
    preferred = params.get("PREFERRED_CHALLENGE")
    if preferred in choices:
        return _start(pool, client, user, str(preferred), params)
    token = mfa.open_session(pool, client, user.id, "SELECT_CHALLENGE")
    return {
        "ChallengeName": "SELECT_CHALLENGE",
        "Session": token,
        "ChallengeParameters": {},
        "AvailableChallenges": choices,
    }


def select(
    pool: CognitoIdpUserPool,
    client: CognitoIdpUserPoolClient,
    token: str | None,
    responses: dict[str, str],
) -> dict[str, Any]:
    session = EMULATOR.challenge_sessions.take(token, client.id)
    if session.challenge != "SELECT_CHALLENGE":
        raise errors.NotAuthorized(INVALID)
    answer = responses.get("ANSWER", "")
    if session.data.get("fake"):
        if answer == "PASSWORD":
            raise errors.NotAuthorized(engine.GENERIC)
        if answer == "PASSWORD_SRP":
            return engine.srp_challenge(
                pool, client, None, responses.get("SRP_A"), with_session=True
            )
        if answer in ("EMAIL_OTP", "SMS_OTP"):
            return _fake(pool, client, answer)
        raise errors.InvalidParameter(f"Invalid ANSWER: {answer}")
    user = model.user_by_sub(pool, session.sub)
    if user is None:
        raise errors.NotAuthorized(engine.GENERIC)
    if answer not in available(pool, user):
        raise errors.InvalidParameter(f"Invalid ANSWER: {answer}")
    return _start(pool, client, user, answer, responses)
