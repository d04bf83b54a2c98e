"""InitiateAuth / RespondToAuthChallenge (and Admin twins) on our own engine."""

from __future__ import annotations

from typing import Any

from moto.cognitoidp.models import CognitoIdpUser, CognitoIdpUserPool, CognitoIdpUserPoolClient

from .. import auth_engine as engine
from .. import errors, model, user_auth
from ..challenges import answer_challenge
from ..state import EMULATOR
from .call import Call

USER_FLOWS = {
    "USER_SRP_AUTH",
    "USER_PASSWORD_AUTH",
    "REFRESH_TOKEN_AUTH",
    "REFRESH_TOKEN",
    "USER_AUTH",
    "CUSTOM_AUTH",
}
ADMIN_FLOWS = {
    "ADMIN_USER_PASSWORD_AUTH",
    "ADMIN_NO_SRP_AUTH",
    "REFRESH_TOKEN_AUTH",
    "REFRESH_TOKEN",
    "USER_AUTH",
    "USER_SRP_AUTH",
    "CUSTOM_AUTH",
}


def _flow(call: Call, valid: set[str]) -> str:
    flow = call.get("AuthFlow") or ""
    if flow not in valid:
        raise errors.InvalidParameter(
            f"1 validation error detected: Value '{flow}' at 'authFlow' failed to satisfy "
            f"constraint: Member must satisfy enum value set: {sorted(valid)}"
        )
    return flow


def _admin_client(call: Call) -> tuple[CognitoIdpUserPoolClient, CognitoIdpUserPool]:
    client, pool = model.client_and_pool(call.get("ClientId"))
    if pool.id != call.get("UserPoolId"):
        raise errors.ResourceNotFound(f"User pool client {client.id} does not exist.")
    return client, pool


def _refresh(
    pool: CognitoIdpUserPool, client: CognitoIdpUserPoolClient, params: dict[str, str]
) -> dict[str, Any]:
    rotation = client.extended_config.get("RefreshTokenRotation") or {}
    if rotation.get("Feature") == "ENABLED":
        # Documented: rotation must be completed with GetTokensFromRefreshToken.
        raise errors.NotAuthorized(
            "Refresh token rotation is enabled for this client; use GetTokensFromRefreshToken"
        )
    result = EMULATOR.tokens.refresh(pool, client, params.get("REFRESH_TOKEN"), rotate=False)
    return {"ChallengeParameters": {}, "AuthenticationResult": result}


def _password_sign_in(
    pool: CognitoIdpUserPool, client: CognitoIdpUserPoolClient, params: dict[str, str]
) -> dict[str, Any]:
    user: CognitoIdpUser = engine.lookup(pool, client, params.get("USERNAME"))
    engine.check_password(pool, client, user, params.get("PASSWORD"))
    return engine.after_first_factor(pool, client, user)


def _initiate(
    call: Call, pool: CognitoIdpUserPool, client: CognitoIdpUserPoolClient, flow: str
) -> dict[str, Any]:
    params: dict[str, str] = call.get("AuthParameters") or {}
    if flow in ("REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"):
        return _refresh(pool, client, params)
    engine.require_flow(client, flow)
    if flow in ("USER_PASSWORD_AUTH", "ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"):
        return _password_sign_in(pool, client, params)
    if flow == "USER_SRP_AUTH":
        user = model.find_user(pool, params.get("USERNAME"))
        if user is None and not model.prevent_existence_errors(client):
            raise errors.UserNotFound("User does not exist.")
        if user is not None:
            engine.check_before_password(pool, client, user)
        return engine.srp_challenge(pool, client, user, params.get("SRP_A"))
    if flow == "USER_AUTH":
        return user_auth.initiate(pool, client, params, call.get("Session"))
    raise errors.InvalidParameter("CUSTOM_AUTH requires a custom auth Lambda trigger")


def initiate_auth(call: Call) -> dict[str, Any]:
    flow = _flow(call, USER_FLOWS)
    client, pool = model.client_and_pool(call.get("ClientId"))
    return _initiate(call, pool, client, flow)


def admin_initiate_auth(call: Call) -> dict[str, Any]:
    flow = _flow(call, ADMIN_FLOWS)
    client, pool = _admin_client(call)
    return _initiate(call, pool, client, flow)


def respond_to_auth_challenge(call: Call) -> dict[str, Any]:
    client, pool = model.client_and_pool(call.get("ClientId"))
    return answer_challenge(
        pool,
        client,
        call.get("ChallengeName") or "",
        call.get("Session"),
        call.get("ChallengeResponses") or {},
    )


def admin_respond_to_auth_challenge(call: Call) -> dict[str, Any]:
    client, pool = _admin_client(call)
    return answer_challenge(
        pool,
        client,
        call.get("ChallengeName") or "",
        call.get("Session"),
        call.get("ChallengeResponses") or {},
    )
