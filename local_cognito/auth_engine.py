"""Sign-in rules shared by InitiateAuth, RespondToAuthChallenge and their Admin twins."""

from __future__ import annotations

import json
import secrets
from typing import Any

from moto.cognitoidp.models import (
    CognitoIdpUser,
    CognitoIdpUserPool,
    CognitoIdpUserPoolClient,
    UserStatus,
)

from . import errors, mfa, model, passwords, srp
from .challenge_sessions import opaque_token
from .state import EMULATOR

GENERIC = "Incorrect username or password."
LOCKED = "Password attempts exceeded"
TEMP_EXPIRED = "Temporary password has expired and must be reset by an administrator."
DEFAULT_FLOWS = {"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_CUSTOM_AUTH"}
LOCK_AFTER = 5


def require_flow(client: CognitoIdpUserPoolClient, flow: str) -> None:
    configured = client.extended_config.get("ExplicitAuthFlows")
    allowed = {f if f.startswith("ALLOW_") else f"ALLOW_{f}" for f in configured or DEFAULT_FLOWS}
    allowed |= {"ALLOW_REFRESH_TOKEN_AUTH"}  # Cognito always permits refresh
    if flow == "ADMIN_NO_SRP_AUTH":
        flow = "ADMIN_USER_PASSWORD_AUTH"
    if f"ALLOW_{flow}" not in allowed:
        raise errors.InvalidParameter(f"{flow} flow not enabled for this client")


def unknown_user(client: CognitoIdpUserPoolClient) -> errors.CognitoError:
    if model.prevent_existence_errors(client):
        return errors.NotAuthorized(GENERIC)
    return errors.UserNotFound("User does not exist.")


def lookup(
    pool: CognitoIdpUserPool, client: CognitoIdpUserPoolClient, username: str | None
) -> CognitoIdpUser:
    user = model.find_user(pool, username)
    if user is None:
        raise unknown_user(client)
    return user


def check_before_password(
    pool: CognitoIdpUserPool, client: CognitoIdpUserPoolClient, user: CognitoIdpUser
) -> None:
    """Refusals that do not depend on the password.

    A pending admin reset is one of them only when the client reveals existence: with
    PreventUserExistenceErrors ENABLED it is told after the password proof instead (see
    :func:`after_first_factor`), so a wrong password gets the generic answer (README).
    """
    if not user.enabled:
        raise errors.NotAuthorized("User is disabled.")
    if user.status == UserStatus.RESET_REQUIRED and not model.prevent_existence_errors(client):
        raise errors.PasswordResetRequired()
    if EMULATOR.clock.now() < EMULATOR.extra(pool.id, user.id).locked_until:
        raise errors.NotAuthorized(LOCKED)


def record_password_result(pool: CognitoIdpUserPool, user: CognitoIdpUser, ok: bool) -> None:
    """Cognito's lockout: after 5 failures, waits doubling from 1 s up to 15 minutes."""
    extra = EMULATOR.extra(pool.id, user.id)
    if ok:
        extra.failed_sign_ins = 0
        return
    extra.failed_sign_ins += 1
    if extra.failed_sign_ins >= LOCK_AFTER:
        wait = min(2 ** (extra.failed_sign_ins - LOCK_AFTER), 900)
        extra.locked_until = EMULATOR.clock.now() + wait
    raise errors.NotAuthorized(GENERIC)


def check_password(
    pool: CognitoIdpUserPool,
    client: CognitoIdpUserPoolClient,
    user: CognitoIdpUser,
    password: str | None,
) -> None:
    check_before_password(pool, client, user)
    record_password_result(pool, user, passwords.matches(user, password))


def after_first_factor(
    pool: CognitoIdpUserPool, client: CognitoIdpUserPoolClient, user: CognitoIdpUser
) -> dict[str, Any]:
    """The user proved the password: reset and confirm state, then a challenge or tokens."""
    if user.status == UserStatus.RESET_REQUIRED:
        raise errors.PasswordResetRequired()
    if user.status == UserStatus.UNCONFIRMED:
        raise errors.UserNotConfirmed()
    if user.status == UserStatus.FORCE_CHANGE_PASSWORD:
        expires = EMULATOR.extra(pool.id, user.id).temp_password_expires_at
        if expires is not None and expires <= EMULATOR.clock.now():
            raise errors.NotAuthorized(TEMP_EXPIRED)
        return new_password_challenge(pool, client, user)
    return second_factor_or_tokens(pool, client, user)


def second_factor_or_tokens(
    pool: CognitoIdpUserPool, client: CognitoIdpUserPoolClient, user: CognitoIdpUser
) -> dict[str, Any]:
    name = mfa.second_factor(pool, user)
    if name is None:
        return signed_in(pool, client, user)
    return mfa.challenge(pool, client, user, name)


def signed_in(
    pool: CognitoIdpUserPool, client: CognitoIdpUserPoolClient, user: CognitoIdpUser
) -> dict[str, Any]:
    return {
        "ChallengeParameters": {},
        "AuthenticationResult": EMULATOR.tokens.sign_in(pool, client, user),
    }


def required_attributes(pool: CognitoIdpUserPool, user: CognitoIdpUser) -> list[str]:
    have = model.attrs(user)
    return [
        f"userAttributes.{name}"
        for name, attr in pool.schema_attributes.items()
        if attr.required and name not in have
    ]


def new_password_challenge(
    pool: CognitoIdpUserPool, client: CognitoIdpUserPoolClient, user: CognitoIdpUser
) -> dict[str, Any]:
    shown = {k: v for k, v in model.attrs(user).items() if k not in ("sub",)}
    session = mfa.open_session(pool, client, user.id, "NEW_PASSWORD_REQUIRED")
    return {
        "ChallengeName": "NEW_PASSWORD_REQUIRED",
        "Session": session,
        "ChallengeParameters": {
            "USER_ID_FOR_SRP": user.username,
            "requiredAttributes": json.dumps(required_attributes(pool, user)),
            "userAttributes": json.dumps(shown),
        },
    }


def srp_challenge(
    pool: CognitoIdpUserPool,
    client: CognitoIdpUserPoolClient,
    user: CognitoIdpUser | None,
    srp_a: str | None,
    *,
    with_session: bool = False,
) -> dict[str, Any]:
    """PASSWORD_VERIFIER; for a missing user (PreventUserExistenceErrors) a well-formed fake."""
    if not srp_a:
        raise errors.InvalidParameter("Missing required parameter SRP_A")
    salt = srp.new_salt()
    secret_block = opaque_token(768).replace("-", "+").replace("_", "/")
    secret_block += "=" * (-len(secret_block) % 4)
    if user is None:
        data: dict[str, Any] = {"fake": True}
        user_id, big_b = opaque_token(16), srp.fake_challenge()
        sub = ""
    else:
        small_b, big_b, verifier = srp.server_challenge(
            pool.id, user.username, user.password or "", salt
        )
        user_id, sub = user.username, user.id
        data = {"small_b": small_b, "big_b": big_b, "verifier": verifier, "srp_a": srp_a}
    mfa.open_session(
        pool,
        client,
        sub,
        "PASSWORD_VERIFIER",
        token=secret_block,
        secret_block=secret_block,
        user_id=user_id,
        **data,
    )
    response: dict[str, Any] = {
        "ChallengeName": "PASSWORD_VERIFIER",
        "ChallengeParameters": {
            "SALT": salt,
            "SECRET_BLOCK": secret_block,
            "SRP_B": f"{big_b:x}",
            "USERNAME": user_id,
            "USER_ID_FOR_SRP": user_id,
        },
    }
    if with_session:
        response["Session"] = secret_block
    return response


def verify_srp(
    pool: CognitoIdpUserPool,
    client: CognitoIdpUserPoolClient,
    session_token: str | None,
    responses: dict[str, str],
) -> CognitoIdpUser:
    """Check PASSWORD_CLAIM_SIGNATURE; the session is spent whatever the outcome."""
    block = responses.get("PASSWORD_CLAIM_SECRET_BLOCK")
    session = EMULATOR.challenge_sessions.take(session_token or block, client.id)
    if session.challenge != "PASSWORD_VERIFIER" or block != session.data["secret_block"]:
        raise errors.NotAuthorized("Invalid session for the user.")
    if session.data.get("fake"):
        raise errors.NotAuthorized(GENERIC)
    user = model.user_by_sub(pool, session.sub)
    if user is None:
        raise unknown_user(client)
    check_before_password(pool, client, user)
    expected = srp.expected_signature(
        pool_id=pool.id,
        user_id_for_srp=session.data["user_id"],
        srp_a_hex=session.data["srp_a"],
        small_b=session.data["small_b"],
        big_b=session.data["big_b"],
        verifier=session.data["verifier"],
        secret_block_b64=block or "",
        timestamp=responses.get("TIMESTAMP", ""),
    )
    given = responses.get("PASSWORD_CLAIM_SIGNATURE", "")
    ok = expected is not None and secrets.compare_digest(expected.encode(), given.encode())
    record_password_result(pool, user, ok)
    return user
