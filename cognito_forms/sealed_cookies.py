"""How every cookie of cognito-forms is sealed and set: encryption, chunking, names and flags.

Values are sealed with AES-GCM (an AEAD from ``cryptography``): confidential (no page, proxy log
or browser extension reads a token) and authenticated (a flipped byte is refused). The cookie's
purpose is the associated data, so a sealed value cannot be moved from one cookie to another.
Keys come from ``COGNITO_COOKIE_KEYS`` (newest first) or are derived from ``SECRET_KEY`` and
``SECRET_KEY_FALLBACKS`` through HKDF; every listed key can open, only the first one seals.

Sealed values longer than one cookie may hold are split over numbered chunks (``name``,
``name.1``, ``name.2`` ...) so that no ``Set-Cookie`` exceeds 4096 bytes. Flags: HttpOnly,
SameSite, Path=/, no Domain; Secure and the ``__Host-`` prefix whenever the site is HTTPS.

What each cookie holds (the session, the journey state) is in :mod:`cognito_forms.cookies`;
the smaller cookies (remembered address, known device, pending change) seal their own values here.
"""

from __future__ import annotations

import base64
import binascii
import functools
import os
import re
from typing import Literal

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

from .conf import app_settings

VERSION = b"\x01"
NONCE_BYTES = 12
#: Characters of value per chunk: name, value and attributes stay well under 4096 bytes.
CHUNK_CHARS = 3800
#: More chunks than this is not ours (a session needs 2): refuse without decrypting.
MAX_CHUNKS = 6
HOST_PREFIX = "__Host-"


class CookieInvalid(Exception):
    """A cookie is present but cannot be opened: tampered, truncated, foreign key or expired."""


# --- keys and sealing -------------------------------------------------------------------------
def _key_material() -> tuple[str, ...]:
    configured = app_settings.COOKIE_KEYS
    if configured:
        return tuple(str(k) for k in configured)
    fallbacks = getattr(settings, "SECRET_KEY_FALLBACKS", []) or []
    return (str(settings.SECRET_KEY), *(str(k) for k in fallbacks))


@functools.lru_cache(maxsize=8)
def _derive(material: tuple[str, ...]) -> tuple[AESGCM, ...]:
    ciphers = []
    for secret in material:
        # HKDF separates these keys from every other use of SECRET_KEY (signing, sessions).
        hkdf = HKDF(
            algorithm=hashes.SHA256(),
            length=32,
            salt=b"cognito_forms.cookies",
            info=b"cookie encryption key v1",
        )
        ciphers.append(AESGCM(hkdf.derive(secret.encode("utf-8"))))
    return tuple(ciphers)


def _ciphers() -> tuple[AESGCM, ...]:
    return _derive(_key_material())


def _aad(purpose: str) -> bytes:
    return b"cognito_forms:" + purpose.encode("ascii") + b":" + VERSION


def seal(data: bytes, purpose: str) -> str:
    """Encrypt and authenticate ``data`` for ``purpose`` with the newest key (URL-safe text)."""
    nonce = os.urandom(NONCE_BYTES)  # random 96-bit nonces: safe for far more than 2**32 seals
    sealed = _ciphers()[0].encrypt(nonce, data, _aad(purpose))
    return base64.urlsafe_b64encode(VERSION + nonce + sealed).rstrip(b"=").decode("ascii")


def unseal(text: str, purpose: str) -> bytes:
    """Open a value sealed by :func:`seal` with any configured key; ``CookieInvalid`` if not."""
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as error:
        raise CookieInvalid("not base64") from error
    if len(raw) < 1 + NONCE_BYTES + 16 or raw[:1] != VERSION:
        raise CookieInvalid("bad format")
    nonce, sealed = raw[1 : 1 + NONCE_BYTES], raw[1 + NONCE_BYTES :]
    for cipher in _ciphers():
        try:
            return cipher.decrypt(nonce, sealed, _aad(purpose))
        except InvalidTag:
            continue
    raise CookieInvalid("no key opens it")


# --- names and flags --------------------------------------------------------------------------
def is_secure(request: HttpRequest) -> bool:
    """Secure cookies whenever the site is HTTPS (or COGNITO_COOKIE_SECURE forces it)."""
    forced = app_settings.COOKIE_SECURE
    return request.is_secure() if forced is None else forced


def cookie_name(request: HttpRequest, base: str) -> str:
    # __Host- makes the browser refuse the cookie unless Secure, Path=/ and no Domain: a
    # sibling subdomain or a plain-HTTP attacker cannot plant or overwrite it.
    return HOST_PREFIX + base if is_secure(request) else base


def _chunk_name(name: str, index: int) -> str:
    return name if index == 0 else f"{name}.{index}"


def _existing(request: HttpRequest, base: str) -> list[str]:
    """Every cookie of ``base`` the browser sent, both variants, every chunk."""
    pattern = re.compile(rf"^(?:{re.escape(HOST_PREFIX)})?{re.escape(base)}(?:\.\d+)?$")
    return [name for name in request.COOKIES if pattern.match(name)]


def _samesite() -> Literal["Lax", "Strict"]:
    # Never "None": token cookies must not travel on cross-site requests (checks.E006).
    return "Strict" if app_settings.COOKIE_SAMESITE == "Strict" else "Lax"


def _set(
    response: HttpResponseBase, request: HttpRequest, name: str, value: str, max_age: int
) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        domain=None,  # host-only: never shared with other subdomains
        secure=is_secure(request),
        httponly=True,  # no page script can read a token
        samesite=_samesite(),
    )


def expire(response: HttpResponseBase, name: str) -> None:
    response.delete_cookie(name, path="/", samesite=_samesite())


def write_chunked(
    response: HttpResponseBase, request: HttpRequest, base: str, value: str, max_age: int
) -> None:
    """Set ``value`` over as many chunks as needed and expire every other cookie of ``base``."""
    name = cookie_name(request, base)
    parts = [value[i : i + CHUNK_CHARS] for i in range(0, len(value), CHUNK_CHARS)] or [""]
    written = set()
    for index, part in enumerate(parts):
        chunk = _chunk_name(name, index)
        # The first chunk says how many there are, so a missing chunk is detected.
        _set(response, request, chunk, f"{len(parts)}~{part}" if index == 0 else part, max_age)
        written.add(chunk)
    for stale in _existing(request, base):
        if stale not in written:
            expire(response, stale)


def read_chunked(request: HttpRequest, base: str) -> str | None:
    """The joined value, ``None`` if absent; ``CookieInvalid`` if a chunk is missing or odd."""
    name = cookie_name(request, base)
    head = request.COOKIES.get(name)
    if head is None:
        return None
    count_text, sep, first = head.partition("~")
    if not sep or not count_text.isdigit() or not 1 <= int(count_text) <= MAX_CHUNKS:
        raise CookieInvalid("bad chunk header")
    parts = [first]
    for index in range(1, int(count_text)):
        part = request.COOKIES.get(_chunk_name(name, index))
        if part is None:
            raise CookieInvalid("missing chunk")
        parts.append(part)
    return "".join(parts)


def clear_chunked(response: HttpResponseBase, request: HttpRequest, base: str) -> None:
    for name in _existing(request, base):
        expire(response, name)
