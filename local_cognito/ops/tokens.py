"""GetTokensFromRefreshToken, RevokeToken, GlobalSignOut, AdminUserGlobalSignOut."""

from __future__ import annotations

from typing import Any

from .. import errors, model
from ..state import EMULATOR
from .call import Call


def get_tokens_from_refresh_token(call: Call) -> dict[str, Any]:
    client, pool = model.client_and_pool(call.get("ClientId"))
    rotation = client.extended_config.get("RefreshTokenRotation") or {}
    rotate = rotation.get("Feature") == "ENABLED"
    result = EMULATOR.tokens.refresh(pool, client, call.get("RefreshToken"), rotate=rotate)
    return {"AuthenticationResult": result}


def revoke_token(call: Call) -> dict[str, Any]:
    client, _pool = model.client_and_pool(call.get("ClientId"))
    if client.extended_config.get("EnableTokenRevocation") is False:
        raise errors.UnsupportedOperation("Token revocation is not enabled for this client.")
    EMULATOR.tokens.revoke(client, call.get("Token"))
    return {}


def global_sign_out(call: Call) -> dict[str, Any]:
    pool, user, _claims = EMULATOR.tokens.verify_access(call.get("AccessToken"))
    EMULATOR.tokens.revoke_user(pool.id, user.id)
    return {}


def admin_user_global_sign_out(call: Call) -> dict[str, Any]:
    pool = model.require_pool(call.get("UserPoolId"))
    user = model.require_user(pool, call.get("Username"))
    EMULATOR.tokens.revoke_user(pool.id, user.id)
    return {}
