"""Signing keys generated at start: never moto's published key, so nobody can forge our tokens.

Like a real user pool, the JWKS holds two RS256 keys: one signs ID tokens, one access tokens.
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass, field
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa


def _b64url_uint(value: int) -> str:
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _new_kid() -> str:
    # Cognito's kids are base64 of a 32-byte digest (44 chars ending in "=").
    return base64.b64encode(secrets.token_bytes(32)).decode("ascii")


@dataclass
class SigningKey:
    kid: str = field(default_factory=_new_kid)
    private_key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )

    def jwk(self) -> dict[str, str]:
        numbers = self.private_key.public_key().public_numbers()
        return {
            "alg": "RS256",
            "e": _b64url_uint(numbers.e),
            "kid": self.kid,
            "kty": "RSA",
            "n": _b64url_uint(numbers.n),
            "use": "sig",
        }


class KeyRing:
    """One key per token use; ``sign`` picks it, ``verify`` accepts either."""

    def __init__(self) -> None:
        self.id_key = SigningKey()
        self.access_key = SigningKey()

    def jwks(self) -> dict[str, Any]:
        return {"keys": [self.id_key.jwk(), self.access_key.jwk()]}

    def sign(self, payload: dict[str, Any], token_use: str) -> str:
        key = self.id_key if token_use == "id" else self.access_key
        # Cognito's header is exactly {"kid", "alg"}; PyJWT drops "typ" when given None.
        return jwt.encode(
            payload, key.private_key, algorithm="RS256", headers={"kid": key.kid, "typ": None}
        )

    def decode(self, token: str) -> dict[str, Any]:
        """Verify the signature only (expiry is judged on the emulator clock by the caller)."""
        header = jwt.get_unverified_header(token)
        key = {self.id_key.kid: self.id_key, self.access_key.kid: self.access_key}.get(
            str(header.get("kid"))
        )
        if key is None:
            raise jwt.InvalidTokenError("unknown kid")
        return jwt.decode(
            token,
            key.private_key.public_key(),
            algorithms=["RS256"],
            options={
                "verify_exp": False,
                "verify_iat": False,
                "verify_aud": False,
                "verify_nbf": False,
            },
        )
