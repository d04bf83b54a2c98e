"""Verification of Cognito ID and access tokens against the pool's JWKS (no Cognito API call).

The checks follow AWS's guidance and RFC 8725: RS256 only (decided from our settings, never from
the token), a key from the pool's JWKS chosen by ``kid`` (key material in the header is
ignored), the exact issuer, ``token_use``, ``aud`` (ID token) or ``client_id`` (access token),
``exp`` and ``iat`` required with a small leeway, ``nbf``/``iat`` not in the future. Malformed
input is refused before any JSON or RSA work of size.

The keys come from :mod:`cognito_forms.jwks` (cached per process and shared). Verified claims are
remembered per process, keyed by a hash of the token, until the token expires, so an ordinary
page view pays no RSA verification. Errors name the check that failed; a token is never logged.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import threading
import time
from collections import OrderedDict
from typing import Any, Literal

import jwt

from . import jwks
from .conf import app_settings
from .exceptions import TokenError

logger = logging.getLogger(__name__)

TokenUse = Literal["id", "access"]

#: Cognito tokens are ~1-2 KB; anything far larger is refused before decoding.
MAX_TOKEN_LENGTH = 16 * 1024
CLAIMS_CACHE_SIZE = 4096


class TokenExpired(TokenError):
    """The token is genuine but past ``exp`` (beyond the leeway)."""

    code = "token_expired"


def now() -> float:
    """The verifier's clock (tests patch it)."""
    return time.time()


# --- cheap structural checks ------------------------------------------------------------------
def _b64json(segment: str) -> Any:
    try:
        raw = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
        return json.loads(raw)
    except (binascii.Error, ValueError) as error:
        raise TokenError("malformed") from error


def _header(token: object) -> dict[str, Any]:
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        raise TokenError("malformed")
    segments = token.split(".")
    if len(segments) != 3 or not all(segments[:2]):
        raise TokenError("malformed")
    header = _b64json(segments[0])
    if not isinstance(header, dict):
        raise TokenError("malformed")
    # The algorithm is ours to choose: "none", HS256 with the public key, ES/PS... all refused.
    if header.get("alg") != "RS256":
        raise TokenError("algorithm")
    kid = header.get("kid")
    if not isinstance(kid, str) or not jwks.KID.fullmatch(kid):
        raise TokenError("kid")
    return header


def reset_caches() -> None:
    """Forget keys and verified claims of this process (tests; key rotation by hand)."""
    jwks.reset()
    with _claims_lock:
        _claims.clear()


# --- claims -----------------------------------------------------------------------------------
_claims: OrderedDict[str, dict[str, Any]] = OrderedDict()
_claims_lock = threading.Lock()


def _claims_key(token: str, use: TokenUse) -> str:
    settings_part = f"{app_settings.ISSUER}|{app_settings.CLIENT_ID}|{use}|"
    return hashlib.sha256((settings_part + token).encode()).hexdigest()


def _check_times(claims: dict[str, Any], *, allow_expired: bool = False) -> None:
    leeway = app_settings.CLOCK_LEEWAY
    current = now()
    for name in ("exp", "iat"):
        value = claims.get(name)
        if isinstance(value, bool) or not isinstance(value, int):
            raise TokenError(f"missing_{name}")
    nbf = claims.get("nbf")
    if nbf is not None and (isinstance(nbf, bool) or not isinstance(nbf, int | float)):
        raise TokenError("nbf")
    if claims["iat"] > current + leeway:
        raise TokenError("issued_in_future")
    if nbf is not None and nbf > current + leeway:
        raise TokenError("not_yet_valid")
    if not allow_expired and claims["exp"] < current - leeway:
        raise TokenExpired("expired")


def _decode(token: str, use: TokenUse) -> dict[str, Any]:
    header = _header(token)
    key = jwks.signing_key(header["kid"])
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key=key,
            algorithms=["RS256"],
            audience=app_settings.CLIENT_ID if use == "id" else None,
            issuer=app_settings.ISSUER,
            options={
                "require": ["exp", "iat", "iss", "sub", "token_use"],
                "verify_signature": True,
                "verify_aud": use == "id",
                "strict_aud": True,  # aud must be exactly our client id, not a list holding it
                "verify_iss": True,
                # Times are checked by _check_times with our clock, also for cached claims.
                "verify_exp": False,
                "verify_iat": False,
                "verify_nbf": False,
            },
        )
    except jwt.InvalidSignatureError as error:
        raise TokenError("signature") from error
    except jwt.InvalidIssuerError as error:
        raise TokenError("issuer") from error
    except jwt.InvalidAudienceError as error:
        raise TokenError("audience") from error
    except jwt.MissingRequiredClaimError as error:
        raise TokenError(f"missing_{error.claim}") from error
    except jwt.InvalidAlgorithmError as error:
        raise TokenError("algorithm") from error
    except jwt.PyJWTError as error:
        raise TokenError("malformed") from error
    if claims.get("token_use") != use:
        raise TokenError("token_use")
    if use == "access" and claims.get("client_id") != app_settings.CLIENT_ID:
        raise TokenError("client_id")
    if not isinstance(claims.get("sub"), str) or not claims["sub"]:
        raise TokenError("missing_sub")
    return claims


def verify(token: str, use: TokenUse, *, allow_expired: bool = False) -> dict[str, Any]:
    """The verified claims of an ID or access token; raises :class:`TokenError` (``reason``
    names the failed check), :class:`TokenExpired` or :class:`KeysUnavailable`.

    ``allow_expired`` skips only the ``exp`` check (the caller then decides: refresh)."""
    key = _claims_key(token, use) if isinstance(token, str) else ""
    cached = _claims.get(key) if key and app_settings.CLAIMS_CACHE else None
    if cached is not None:
        _check_times(cached, allow_expired=allow_expired)
        return dict(cached)
    claims = _decode(token, use)
    _check_times(claims, allow_expired=allow_expired)
    if app_settings.CLAIMS_CACHE:
        with _claims_lock:
            _claims[key] = claims
            while len(_claims) > CLAIMS_CACHE_SIZE:
                _claims.popitem(last=False)
    return dict(claims)


def verify_id_token(token: str) -> dict[str, Any]:
    return verify(token, "id")


def verify_pair(
    id_token: str, access_token: str, *, allow_expired: bool = False
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Verify both tokens of one session: same user, same sign-in (family)."""
    id_claims = verify(id_token, "id", allow_expired=allow_expired)
    access_claims = verify(access_token, "access", allow_expired=allow_expired)
    check_same_session(id_claims, access_claims)
    return id_claims, access_claims


def check_same_session(id_claims: dict[str, Any], access_claims: dict[str, Any]) -> None:
    # An ID token of user A beside an access token of user B is a forged pair: refuse both.
    if id_claims.get("sub") != access_claims.get("sub"):
        raise TokenError("subject_mismatch")
    a, b = id_claims.get("origin_jti"), access_claims.get("origin_jti")
    if a and b and a != b:
        raise TokenError("family_mismatch")
