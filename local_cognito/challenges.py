"""RespondToAuthChallenge: one handler per challenge name."""

from __future__ import annotations

from typing import Any

from moto.cognitoidp.models import (
    CognitoIdpUser,
    CognitoIdpUserPool,
    CognitoIdpUserPoolClient,
    UserStatus,
)

from . import auth_engine as engine
from . import errors, mfa, model, passwords, totp, user_auth
from .challenge_sessions import INVALID, Session
from .codes import MAX_ATTEMPTS
from .state import EMULATOR

OTP_CHALLENGES = {
    "SMS_MFA": "SMS_MFA_CODE",
    "EMAIL_OTP": "EMAIL_OTP_CODE",
    "SMS_OTP": "SMS_OTP_CODE",
    "SOFTWARE_TOKEN_MFA": "SOFTWARE_TOKEN_MFA_CODE",
}


def _user(
    pool: CognitoIdpUserPool,
    client: CognitoIdpUserPoolClient,
    session: Session,
    responses: dict[str, str],
) -> CognitoIdpUser:
    user = model.user_by_sub(pool, session.sub)
    if user is None:
        raise engine.unknown_user(client)
    named = responses.get("USERNAME")
    if not named:
        raise errors.InvalidParameter("Missing required parameter USERNAME")
    if model.find_user(pool, named) is not user:
        raise errors.NotAuthorized(INVALID)
    if not user.enabled:
        raise errors.NotAuthorized("User is disabled.")
    return user


def _open(
    pool: CognitoIdpUserPool,
    client: CognitoIdpUserPoolClient,
    name: str,
    token: str | None,
    responses: dict[str, str],
) -> tuple[Session, CognitoIdpUser]:
    """The live (not yet consumed) Session for challenge `name` and the user it belongs to."""
    session = EMULATOR.challenge_sessions.peek(token, client.id)
    if session.challenge != name:
        raise errors.NotAuthorized(INVALID)
    return session, _user(pool, client, session, responses)


def _otp(
    pool: CognitoIdpUserPool,
    client: CognitoIdpUserPoolClient,
    name: str,
    token: str | None,
    responses: dict[str, str],
) -> dict[str, Any]:
    session = EMULATOR.challenge_sessions.peek(token, client.id)
    if session.challenge != name:
        raise errors.NotAuthorized(INVALID)
    given = responses.get(OTP_CHALLENGES[name])
    if session.data.get("fake"):
        raise errors.CodeMismatch()
    user = _user(pool, client, session, responses)
    if name == "SOFTWARE_TOKEN_MFA":
        secret = EMULATOR.extra(pool.id, user.id).totp_secret or ""
        ok = totp.verify(secret, given, EMULATOR.clock.now())
    else:
        ok = given is not None and given == session.data.get("code")
        if ok and session.data["code_expires_at"] <= EMULATOR.clock.now():
            EMULATOR.challenge_sessions.drop(token)
            raise errors.ExpiredCode()
    if not ok:
        failures = session.data.get("failures", 0) + 1
        session.data["failures"] = failures
        if failures >= MAX_ATTEMPTS:  # the session dies; the next try is refused outright
            EMULATOR.challenge_sessions.drop(token)
        raise errors.CodeMismatch()
    EMULATOR.challenge_sessions.take(token, client.id)
    return engine.signed_in(pool, client, user)


def _new_password(
    pool: CognitoIdpUserPool,
    client: CognitoIdpUserPoolClient,
    token: str | None,
    responses: dict[str, str],
) -> dict[str, Any]:
    _session, user = _open(pool, client, "NEW_PASSWORD_REQUIRED", token, responses)
    new_password = responses.get("NEW_PASSWORD")
    if not new_password:
        raise errors.InvalidParameter("Missing required parameter NEW_PASSWORD")
    passwords.check_policy(pool, new_password)
    given = {
        k.removeprefix("userAttributes."): v
        for k, v in responses.items()
        if k.startswith("userAttributes.")
    }
    missing = [
        name.removeprefix("userAttributes.")
        for name in engine.required_attributes(pool, user)
        if name.removeprefix("userAttributes.") not in given
    ]
    if missing:
        raise errors.InvalidParameter(f"Missing required attributes: {', '.join(missing)}")
    EMULATOR.challenge_sessions.take(token, client.id)
    if given:
        model.set_attrs(user, given)
    user.password = new_password
    user.status = UserStatus.CONFIRMED
    EMULATOR.extra(pool.id, user.id).temp_password_expires_at = None
    return engine.second_factor_or_tokens(pool, client, user)


def _select_mfa(
    pool: CognitoIdpUserPool,
    client: CognitoIdpUserPoolClient,
    token: str | None,
    responses: dict[str, str],
) -> dict[str, Any]:
    _session, user = _open(pool, client, "SELECT_MFA_TYPE", token, responses)
    answer = responses.get("ANSWER", "")
    if answer not in mfa.user_factors(pool, user):
        raise errors.InvalidParameter(f"Invalid ANSWER: {answer}")
    EMULATOR.challenge_sessions.take(token, client.id)
    return mfa.challenge(pool, client, user, answer)


def _mfa_setup(
    pool: CognitoIdpUserPool,
    client: CognitoIdpUserPoolClient,
    token: str | None,
    responses: dict[str, str],
) -> dict[str, Any]:
    session, user = _open(pool, client, "MFA_SETUP", token, responses)
    if not session.data.get("verified"):
        raise errors.InvalidParameter("Software token MFA has not been verified for this session")
    EMULATOR.challenge_sessions.take(token, client.id)
    user.software_token_mfa_enabled = True
    user.token_verified = True
    user.preferred_mfa_setting = "SOFTWARE_TOKEN_MFA"
    return engine.signed_in(pool, client, user)


def answer_challenge(
    pool: CognitoIdpUserPool,
    client: CognitoIdpUserPoolClient,
    name: str,
    token: str | None,
    responses: dict[str, str],
) -> dict[str, Any]:
    if name == "PASSWORD_VERIFIER":
        user = engine.verify_srp(pool, client, token, responses)
        return engine.after_first_factor(pool, client, user)
    if name in OTP_CHALLENGES:
        return _otp(pool, client, name, token, responses)
    if name == "NEW_PASSWORD_REQUIRED":
        return _new_password(pool, client, token, responses)
    if name == "SELECT_MFA_TYPE":
        return _select_mfa(pool, client, token, responses)
    if name == "MFA_SETUP":
        return _mfa_setup(pool, client, token, responses)
    if name == "SELECT_CHALLENGE":
        return user_auth.select(pool, client, token, responses)
    raise errors.InvalidParameter(f"Unsupported challenge name: {name}")
