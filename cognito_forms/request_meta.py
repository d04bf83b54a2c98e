"""Facts about where a request comes from: the client IP, a request id, a hashed email.

Rate limits and security events both key on these, so they are computed one way, here.
"""

from __future__ import annotations

import ipaddress
import re
import uuid

from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from .conf import app_settings

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


def client_ip(request: HttpRequest) -> str:
    """The client's address: ``X-Forwarded-For`` is read only behind trusted proxies.

    With ``COGNITO_TRUSTED_PROXY_COUNT = n`` the right-most ``n`` entries of the header were
    appended by our own proxies, so the ``n``-th from the right is the client as the outermost
    trusted proxy saw it. Anything to its left was written by the client and is ignored.
    """
    cached = getattr(request, "_cf_client_ip", None)
    if isinstance(cached, str):
        return cached
    address = _valid_ip(str(request.META.get("REMOTE_ADDR", "") or ""))
    trusted = app_settings.TRUSTED_PROXY_COUNT
    if trusted > 0:
        header = str(request.META.get("HTTP_X_FORWARDED_FOR", "") or "")
        entries = [entry.strip() for entry in header.split(",") if entry.strip()]
        # Fewer entries than proxies: the request did not pass through all of them, so the
        # header cannot be trusted; the direct peer is the only fact we have.
        if len(entries) >= trusted:
            address = _valid_ip(entries[-trusted]) or address
    result = address or "unknown"
    request._cf_client_ip = result  # type: ignore[attr-defined]
    return result


def _valid_ip(value: str) -> str:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return ""


def ip_bucket(address: str) -> str:
    """The unit an IP rate limit counts: one IPv4 address, or one IPv6 /64 network.

    A single IPv6 host usually owns a whole /64, so counting per address would be no limit.
    """
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def request_id(request: HttpRequest) -> str:
    """The request's id: a sane incoming ``X-Request-ID``, else one generated per request."""
    cached = getattr(request, "_cf_request_id", None)
    if isinstance(cached, str):
        return cached
    incoming = str(request.META.get("HTTP_X_REQUEST_ID", "") or "")
    # Only a short token of safe characters is echoed into logs and headers.
    value = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
    request._cf_request_id = value  # type: ignore[attr-defined]
    return value


def normalise_email(email: str) -> str:
    return email.strip().lower()


def email_digest(email: str) -> str:
    """A keyed hash of the normalised email: stable across processes, not reversible offline.

    A plain SHA-256 of an address can be reversed with a list of addresses; HMAC with the
    SECRET_KEY cannot.
    """
    return salted_hmac(
        "cognito_forms.request_meta.email", normalise_email(email), algorithm="sha256"
    ).hexdigest()[:32]
