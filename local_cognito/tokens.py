"""ID/access JWTs signed with our keys, opaque refresh tokens, families, rotation, revocation.

A *family* is everything issued from one sign-in: its ``origin_jti`` is in every access and ID
token, and revoking the refresh token (RevokeToken) or the user's sessions (GlobalSignOut)
revokes the whole family.
"""

from __future__ import annotations

import base64
import json
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

import jwt
from moto.cognitoidp.models import CognitoIdpUser, CognitoIdpUserPool, CognitoIdpUserPoolClient

from . import errors, model
from .clock import Clock
from .keys import KeyRing

UNITS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}
# (parameter, TokenValidityUnits key, default value, default unit) from the API reference
VALIDITY = {
    "access": ("AccessTokenValidity", "AccessToken", 60, "minutes"),
    "id": ("IdTokenValidity", "IdToken", 60, "minutes"),
    "refresh": ("RefreshTokenValidity", "RefreshToken", 30, "days"),
}
DEFAULT_UNITS = {"access": "hours", "id": "hours", "refresh": "days"}
BOOLEAN_CLAIMS = {"email_verified", "phone_number_verified"}
JWE_HEADER = {"cty": "JWT", "enc": "A256GCM", "alg": "RSA-OAEP"}


def lifetime(client: CognitoIdpUserPoolClient, use: str) -> int:
    param, unit_key, default, default_unit = VALIDITY[use]
    config = client.extended_config
    value = config.get(param)
    if value is None:
        return int(default * UNITS[default_unit])
    unit = (config.get("TokenValidityUnits") or {}).get(unit_key) or DEFAULT_UNITS[use]
    return int(value) * UNITS[unit]


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def opaque_refresh_token() -> str:
    """Shaped like Cognito's JWE refresh token (~1,780 chars): opaque, not a JWS."""
    header = _b64(json.dumps(JWE_HEADER, separators=(",", ":")).encode())
    parts = [
        secrets.token_bytes(256),
        secrets.token_bytes(12),
        secrets.token_bytes(1000),
        secrets.token_bytes(16),
    ]
    return ".".join([header, *(_b64(p) for p in parts)])


@dataclass
class Family:
    origin_jti: str
    pool_id: str
    client_id: str
    sub: str
    auth_time: int
    revoked: bool = False


@dataclass
class RefreshRecord:
    family: Family
    expires_at: float
    rotated_at: float | None = None


class TokenService:
    def __init__(self, clock: Clock, keys: KeyRing) -> None:
        self._clock = clock
        self._keys = keys
        self._families: dict[str, Family] = {}
        self._refresh: dict[str, RefreshRecord] = {}

    def reset(self) -> None:
        self._families.clear()
        self._refresh.clear()

    # --- issuing -------------------------------------------------------------------------
    def sign_in(
        self, pool: CognitoIdpUserPool, client: CognitoIdpUserPoolClient, user: CognitoIdpUser
    ) -> dict[str, Any]:
        """AuthenticationResult for a completed sign-in: a new family and refresh token."""
        now = int(self._clock.now())
        family = Family(str(uuid.uuid4()), pool.id, client.id, user.id, now)
        self._families[family.origin_jti] = family
        result = self._jwts(pool, client, user, family)
        result["RefreshToken"] = self._new_refresh(family, client)
        return result

    def _new_refresh(self, family: Family, client: CognitoIdpUserPoolClient) -> str:
        token = opaque_refresh_token()
        self._refresh[token] = RefreshRecord(
            family, self._clock.now() + lifetime(client, "refresh")
        )
        return token

    def _jwts(
        self,
        pool: CognitoIdpUserPool,
        client: CognitoIdpUserPoolClient,
        user: CognitoIdpUser,
        family: Family,
    ) -> dict[str, Any]:
        now = int(self._clock.now())
        event_id = str(uuid.uuid4())
        iss = f"https://cognito-idp.{pool.region}.amazonaws.com/{pool.id}"
        groups = sorted(g.group_name for g in user.groups)
        access_life, id_life = lifetime(client, "access"), lifetime(client, "id")
        access: dict[str, Any] = {"sub": user.id}
        if groups:
            access["cognito:groups"] = groups
        access.update(
            {
                "iss": iss,
                "client_id": client.id,
                "origin_jti": family.origin_jti,
                "event_id": event_id,
                "token_use": "access",
                "scope": "aws.cognito.signin.user.admin",
                "auth_time": family.auth_time,
                "exp": now + access_life,
                "iat": now,
                "jti": str(uuid.uuid4()),
                "username": user.username,
            }
        )
        id_claims: dict[str, Any] = {"sub": user.id}
        if groups:
            id_claims["cognito:groups"] = groups
        readable = client.extended_config.get("ReadAttributes")
        for name, value in model.attrs(user).items():
            if name == "sub" or (readable and name not in readable):
                continue
            id_claims[name] = value == "true" if name in BOOLEAN_CLAIMS else value
        id_claims.update(
            {
                "iss": iss,
                "cognito:username": user.username,
                "origin_jti": family.origin_jti,
                "aud": client.id,
                "event_id": event_id,
                "token_use": "id",
                "auth_time": family.auth_time,
                "exp": now + id_life,
                "iat": now,
                "jti": str(uuid.uuid4()),
            }
        )
        return {
            "AccessToken": self._keys.sign(access, "access"),
            "ExpiresIn": access_life,
            "TokenType": "Bearer",
            "IdToken": self._keys.sign(id_claims, "id"),
        }

    # --- refreshing ----------------------------------------------------------------------
    def refresh(
        self,
        pool: CognitoIdpUserPool,
        client: CognitoIdpUserPoolClient,
        token: str | None,
        *,
        rotate: bool,
    ) -> dict[str, Any]:
        record = self._refresh.get(token or "")
        if record is None or record.family.client_id != client.id:
            raise errors.NotAuthorized("Invalid Refresh Token.")
        family = record.family
        now = self._clock.now()
        if family.revoked:
            raise errors.NotAuthorized("Refresh Token has been revoked")
        if record.expires_at <= now:
            raise errors.NotAuthorized("Refresh Token has expired")
        if record.rotated_at is not None:
            grace = int(
                (client.extended_config.get("RefreshTokenRotation") or {}).get(
                    "RetryGracePeriodSeconds", 0
                )
            )
            if now >= record.rotated_at + grace:
                raise errors.RefreshTokenReuse()
        user = model.user_by_sub(pool, family.sub)
        if user is None:
            raise errors.NotAuthorized("User does not exist.")
        if not user.enabled:
            raise errors.NotAuthorized("User is disabled.")
        result = self._jwts(pool, client, user, family)
        if rotate:
            if record.rotated_at is None:
                record.rotated_at = now
            result["RefreshToken"] = self._new_refresh(family, client)
        return result

    # --- verifying and revoking ----------------------------------------------------------
    def verify_access(
        self, token: str | None, *, deleted_user: type[errors.CognitoError] | None = None
    ) -> tuple[CognitoIdpUserPool, CognitoIdpUser, dict[str, Any]]:
        """What every access-token API does first; errors as Cognito words them.

        ``deleted_user``: the error an operation answers for an unexpired token of a user
        deleted since (GetUser: UserNotFoundException); otherwise the token is "revoked".
        """
        try:
            claims = self._keys.decode(token or "")
        except (jwt.InvalidTokenError, ValueError):
            raise errors.NotAuthorized("Invalid Access Token") from None
        if claims.get("token_use") != "access":
            raise errors.NotAuthorized("Invalid Access Token")
        family = self._families.get(str(claims.get("origin_jti")))
        if family is None:
            raise errors.NotAuthorized("Access Token has been revoked")
        expired = int(claims.get("exp", 0)) <= self._clock.now()
        pool = model.find_pool(family.pool_id)
        user = model.user_by_sub(pool, family.sub) if pool else None
        if deleted_user is not None and user is None and not expired:
            raise deleted_user("User does not exist.")
        if family.revoked:
            raise errors.NotAuthorized("Access Token has been revoked")
        if expired:
            raise errors.NotAuthorized("Access Token has expired")
        if pool is None or user is None:
            raise errors.NotAuthorized("Access Token has been revoked")
        if not user.enabled:
            raise errors.NotAuthorized("User is disabled.")
        return pool, user, claims

    def revoke(self, client: CognitoIdpUserPoolClient, token: str | None) -> None:
        if token and token.count(".") == 2:
            raise errors.UnsupportedTokenType("Unsupported token type")
        record = self._refresh.get(token or "")
        if record is None:
            return  # RFC 7009: an unknown token is already as good as revoked
        if record.family.client_id != client.id:
            raise errors.NotAuthorized("Invalid Refresh Token.")
        record.family.revoked = True

    def revoke_user(self, pool_id: str, sub: str) -> None:
        for family in self._families.values():
            if family.pool_id == pool_id and family.sub == sub:
                family.revoked = True
