"""The pool's signing keys (JWKS), for token verification: no Cognito API call.

The JWKS is kept per process and in Django's cache; it is fetched with urllib and a short
timeout, kept when a fetch fails, and re-fetched for an unknown ``kid`` at most once per
cool-down shared by every process. With the shared cache away each process fetches on its own,
still at most once per cool-down (docs/production.md "When Redis or the database is away"). A
cold worker waits for a fetch another worker is making rather than failing its first requests.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
import time
import urllib.request
from collections.abc import Callable
from typing import Any, TypeVar

import jwt
from django.core.cache import caches

from . import outages
from .conf import app_settings
from .exceptions import KeysUnavailable, TokenError

logger = logging.getLogger(__name__)
T = TypeVar("T")

MAX_JWKS_BYTES = 512 * 1024
JWKS_CACHE_SECONDS = 24 * 3600
#: What a key id may look like: anything else (paths, SQL, kilobytes) is refused unread.
KID = re.compile(r"[A-Za-z0-9_+/=-]{1,128}")

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
        if not isinstance(kid, str) or not KID.fullmatch(kid):
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


def reset() -> None:
    """Forget the keys of this process (tests; key rotation by hand)."""
    with _keys_lock:
        _keys.clear()
        _fetched_at.clear()
