"""Security headers on every response (docs/security.md L4) and the request id echoed back.

Django 5.2 has no Content-Security-Policy support, so this middleware sets it. The other
headers Django's ``SecurityMiddleware`` and ``XFrameOptionsMiddleware`` may already set are
only filled in when missing, so a site's own settings win.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from .request_meta import request_id

#: No inline script or style: an injected ``<script>`` or ``style=`` attribute does nothing.
#: ``object-src 'none'``: no plugin content (``<object>``, ``<embed>``) either, whatever a site
#: later loosens in ``default-src`` (docs/security.md S11).
DEFAULT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)


def content_security_policy() -> str:
    return str(getattr(settings, "COGNITO_CONTENT_SECURITY_POLICY", DEFAULT_CSP) or "")


class SecurityHeadersMiddleware:
    """Adds CSP, X-Frame-Options, nosniff, Referrer-Policy, COOP and ``X-Request-ID``; drops
    ``Server``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = content_security_policy()
        if policy:
            response.headers.setdefault("Content-Security-Policy", policy)
        # Framing would allow click-jacking of the sign-in and account forms.
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        # Keeps paths (and anything in a query string) from leaking to other sites.
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        response.headers.setdefault("X-Request-ID", request_id(request))
        # Naming the server software only helps an attacker pick exploits (docs/security.md
        # S11). A header the application set goes here; the WSGI server's own (gunicorn's) is
        # dropped by its configuration (gunicorn.conf.py).
        if "Server" in response.headers:
            del response.headers["Server"]
        return response
