"""RFC 6238 TOTP as Cognito uses it: SHA-1, 30-second steps, 6 digits, one step of drift."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct

STEP = 30
DIGITS = 6


def new_secret() -> str:
    """A 32-character base32 secret, like Cognito's AssociateSoftwareToken SecretCode."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii")


def _key(secret: str) -> bytes:
    padded = secret.upper() + "=" * (-len(secret) % 8)
    return base64.b32decode(padded)


def code_at(secret: str, when: float) -> str:
    counter = int(when // STEP)
    digest = hmac.new(_key(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**DIGITS:0{DIGITS}d}"


def verify(secret: str, code: str | None, when: float, window: int = 1) -> bool:
    if not code or not code.isdigit() or len(code) != DIGITS:
        return False
    return any(
        hmac.compare_digest(code_at(secret, when + drift * STEP), code)
        for drift in range(-window, window + 1)
    )
