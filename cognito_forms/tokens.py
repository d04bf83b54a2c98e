"""Verification of Cognito ID and access tokens against the pool's JWKS (no Cognito API call).

The checks follow AWS's guidance and RFC 8725: RS256 only (decided from our settings, never from
the token), a key from the pool's JWKS chosen by ``kid`` (key material in the header is
ignored), the exact issuer, ``token_use``, ``aud`` (ID token) or ``client_id`` (access token),
``exp`` and ``iat`` required with a small leeway, ``nbf``/``iat`` not in the future. Malformed
input is refused before any JSON or RSA work of size.

The JWKS is kept per process and in Django's cache; it is fetched with urllib and a short
timeout, kept when a fetch fails, and re-fetched for an unknown ``kid`` at most once per
cool-down. With the shared cache away each process fetches on its own, still at most once per
cool-down (docs/production.md "When Redis or the database is away"). Verified claims are
remembered per process, keyed by a hash of the token, until the token expires, so an ordinary
page view pays no RSA verification. Errors name the check that failed; a token is never logged.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import re
import threading
import time
import urllib.request
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Literal, TypeVar

import jwt
from django.core.cache import caches

from . import outages
from .conf import app_settings
from .exceptions import KeysUnavailable, TokenError

logger = logging.getLogger(__name__)
T = TypeVar("T")

TokenUse = Literal["id", "access"]

#: Cognito tokens are ~1-2 KB; anything far larger is refused before decoding.
MAX_TOKEN_LENGTH = 16 * 1024
MAX_JWKS_BYTES = 512 * 1024
JWKS_CACHE_SECONDS = 24 * 3600
CLAIMS_CACHE_SIZE = 4096
_KID = re.compile(r"[A-Za-z0-9_+/=-]{1,128}")


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
    if not isinstance(kid, str) or not _KID.fullmatch(kid):
        raise TokenError("kid")
    return header


# --- the JWKS ---------------------------------------------------------------------------------
_keys: dict[str, dict[str, jwt.PyJWK]] = {}
_keys_lock = threading.Lock()
_fetched_at: dict[str, float] = {}  # url -> this process's last fetch (cache away only)
MISSING_DOCUMENT = object()


def _shared(operation: Callable[[], T], unavailable: T) -> T:
    """A shared-cache operation for the keys; ``unavailable`` when the cache is away, so a
    token still verifies with the keys this process has or fetches itself."""
    try:
        return operation()
    except Exception as error:
        outages.report("shared cache (JWKS)", error)
        return unavailable


def _local_cooldown(url: str) -> bool:
    """The fetch cool-down of this process alone: True when a fetch may happen now."""
    with _keys_lock:
        last = _fetched_at.get(url)
        if last is not None and time.monotonic() - last < app_settings.JWKS_COOLDOWN:
            return False
        _fetched_at[url] = time.monotonic()
        return True


def _cache_key(kind: str, url: str) -> str:
    return f"cognito_forms:jwks:{kind}:{hashlib.sha256(url.encode()).hexdigest()[:24]}"


def _parse_jwks(document: Any) -> dict[str, jwt.PyJWK]:
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise ValueError("not a JWKS")
    keys: dict[str, jwt.PyJWK] = {}
    for item in document["keys"]:
        if not isinstance(item, dict) or item.get("kty") != "RSA":
            continue
        if item.get("alg", "RS256") != "RS256" or item.get("use", "sig") != "sig":
            continue
        kid = item.get("kid")
        if not isinstance(kid, str) or not _KID.fullmatch(kid):
            continue
        try:
            keys[kid] = jwt.PyJWK(item, algorithm="RS256")
        except jwt.PyJWTError:
            continue
    if not keys:
        raise ValueError("no usable key")
    return keys


def fetch_jwks(url: str, timeout: float) -> Any:
    """GET the JWKS document (tests replace or count this)."""
    if not url.startswith(("https://", "http://")):
        raise ValueError("JWKS URL must be http(s)")
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
        return json.loads(response.read(MAX_JWKS_BYTES))


def _refresh_keys(url: str) -> dict[str, jwt.PyJWK] | None:
    """Fetch the JWKS unless a fetch happened within the cool-down; None if none was made."""
    cache = caches[app_settings.CACHE_ALIAS]
    # One fetch per cool-down across all processes: unknown kids cannot make us hammer AWS.
    key = _cache_key("cooldown", url)
    may_fetch = _shared(lambda: cache.add(key, 1, timeout=app_settings.JWKS_COOLDOWN), None)
    if may_fetch is None:  # the cache is away: each process keeps its own cool-down
        may_fetch = _local_cooldown(url)
    if not may_fetch:
        # Another worker holds the cool-down, maybe fetching right now: a cold worker waits
        # for that document (one fetch timeout at most) rather than failing its first requests.
        return None if url in _keys else _await_document(url)
    try:
        document = fetch_jwks(url, app_settings.JWKS_TIMEOUT)
        keys = _parse_jwks(document)
    except Exception as error:  # any failure keeps the keys we have
        logger.warning("JWKS fetch failed (%s); keeping cached keys", type(error).__name__)
        return None
    _shared(lambda: cache.set(_cache_key("document", url), document, JWKS_CACHE_SECONDS), None)
    with _keys_lock:
        _keys[url] = keys
    return keys


def _await_document(url: str) -> dict[str, jwt.PyJWK] | None:
    deadline = time.monotonic() + app_settings.JWKS_TIMEOUT
    cache = caches[app_settings.CACHE_ALIAS]
    while True:
        document = _shared(lambda: cache.get(_cache_key("document", url)), MISSING_DOCUMENT)
        if document is MISSING_DOCUMENT:
            return None  # nobody can leave it there while the cache is away
        if document is not None:
            try:
                keys = _parse_jwks(document)
            except ValueError:
                return None
            with _keys_lock:
                _keys[url] = keys
            return keys
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.05)


def signing_key(kid: str) -> jwt.PyJWK:
    """The pool's key for ``kid``: process cache, then Django's cache, then one fetch."""
    url = app_settings.JWKS_URL
    known = _keys.get(url)
    if known is None:
        cache = caches[app_settings.CACHE_ALIAS]
        document = _shared(lambda: cache.get(_cache_key("document", url)), None)
        if document is not None:
            try:
                known = _parse_jwks(document)
                with _keys_lock:
                    _keys[url] = known
            except ValueError:
                known = None
    if known is not None and kid in known:
        return known[kid]
    fetched = _refresh_keys(url)
    if fetched is not None and kid in fetched:
        return fetched[kid]
    if known is None and fetched is None:
        raise KeysUnavailable("keys_unavailable")
    raise TokenError("unknown_kid")


def keys_available() -> bool:
    """Whether this process can verify tokens now (the health check): the pool's keys are in
    memory, in the shared cache, or fetched once within the cool-down. No Cognito API call."""
    url = app_settings.JWKS_URL
    if _keys.get(url):
        return True
    cache = caches[app_settings.CACHE_ALIAS]
    document = _shared(lambda: cache.get(_cache_key("document", url)), None)
    if document is not None:
        try:
            keys = _parse_jwks(document)
        except ValueError:
            keys = {}
        if keys:
            with _keys_lock:
                _keys[url] = keys
            return True
    return bool(_refresh_keys(url))


def reset_caches() -> None:
    """Forget keys and verified claims of this process (tests; key rotation by hand)."""
    with _keys_lock:
        _keys.clear()
        _fetched_at.clear()
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
    key = signing_key(header["kid"])
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
