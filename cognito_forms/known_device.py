"""A browser some address has signed in from before (docs/security.md S7).

After a successful sign-in the browser keeps, in its own encrypted HttpOnly cookie, a keyed
hash of the address (a few addresses at most, newest first; never the address itself). The
sign-in page then spares that browser the per-address failure ceiling, the counter a stranger
could fill from many networks to lock the owner out; the per-network counters still apply,
so the marker is no licence to guess. A cookie that cannot be opened is no marker at all.
"""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponseBase
from django.utils.crypto import constant_time_compare, salted_hmac

from . import sealed_cookies
from .conf import app_settings
from .request_meta import normalise_email

PURPOSE = "known_device"
MAX_AGE = 180 * 24 * 3600
MAX_ADDRESSES = 5


def _digest(email: str) -> str:
    # Keyed with SECRET_KEY: the cookie's content says nothing about the address even to
    # someone holding the cookie keys, and cannot be forged for another address.
    return salted_hmac(
        "cognito_forms.known_device", normalise_email(email), algorithm="sha256"
    ).hexdigest()[:32]


def _digests(request: HttpRequest) -> list[str]:
    try:
        sealed = sealed_cookies.read_chunked(request, app_settings.DEVICE_COOKIE_NAME)
        if sealed is None:
            return []
        value = json.loads(sealed_cookies.unseal(sealed, PURPOSE))
    except (sealed_cookies.CookieInvalid, ValueError):
        return []
    if not isinstance(value, list):
        return []
    return [str(item) for item in value if isinstance(item, str)][:MAX_ADDRESSES]


def recognises(request: HttpRequest, email: str) -> bool:
    """Has ``email`` signed in from this browser before (and the marker is still ours)?"""
    if not email.strip():
        return False
    wanted = _digest(email)
    return any(constant_time_compare(wanted, seen) for seen in _digests(request))


def remember(response: HttpResponseBase, request: HttpRequest, email: str) -> None:
    """Mark this browser for ``email`` (after a successful sign-in)."""
    if not email.strip():
        return
    digest = _digest(email)
    kept = [digest] + [seen for seen in _digests(request) if seen != digest]
    sealed = sealed_cookies.seal(json.dumps(kept[:MAX_ADDRESSES]).encode("ascii"), PURPOSE)
    sealed_cookies.write_chunked(
        response, request, app_settings.DEVICE_COOKIE_NAME, sealed, MAX_AGE
    )
