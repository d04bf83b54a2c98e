"""Who the request being served comes from, for the gateway (docs/security.md S12).

Cognito's threat protection judges each unauthenticated call (sign-up, sign-in, codes, forgot
and reset) by the address it comes from; every call of ours comes from the server, so the
gateway adds ``UserContextData.IpAddress``: the visitor's address as
:func:`request_meta.client_ip` reads it (``X-Forwarded-For`` only behind trusted proxies).

The address lives in a :class:`contextvars.ContextVar` set once per request by the shared view
(:meth:`views.base.CognitoFormView.dispatch`) and reset when the view returns or raises, so no
flow passes it around and nothing outside that request sees it. Context variables are per
thread (and per asyncio task): concurrent requests never see each other's address. A view of
your own that calls our flows can do the same with ``with visitor.visiting(request): ...``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.http import HttpRequest

from .request_meta import client_ip

_address: ContextVar[str | None] = ContextVar("cognito_forms_visitor_ip", default=None)


@contextmanager
def visiting(request: HttpRequest) -> Iterator[None]:
    """The gateway sends this request's client IP to Cognito while the block runs."""
    token = _address.set(_usable(client_ip(request)))
    try:
        yield
    finally:
        _address.reset(token)  # also when the view raises: the next request starts clean


def ip_address() -> str | None:
    """The visitor's IP address inside :func:`visiting`; ``None`` elsewhere (admin, commands)."""
    return _address.get()


def _usable(address: str) -> str | None:
    # client_ip() answers "unknown" when the peer is not an IP address: send nothing then.
    return None if address == "unknown" else address
