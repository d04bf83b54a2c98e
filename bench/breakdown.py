"""Where a signed-in page view's time goes: the WSGI handler gunicorn runs, called in-process
(no network, no load generator), median per request, with one piece of I/O taken away at a
time. It explains the gap between the signed-in and the anonymous page; it changes nothing."""

from __future__ import annotations

import contextlib
import io
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Step:
    label: str
    us: float
    ratio: float  # anonymous / this (the throughput ratio this cost alone would allow)


def _environ(path: str, cookie: str) -> dict[str, Any]:
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_COOKIE": cookie,
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": io.StringIO(),
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def _median_us(app: Any, path: str, cookie: str, iterations: int, marker: str) -> float:
    statuses: list[str] = []

    def start_response(status: str, headers: Any, exc_info: Any = None) -> None:
        statuses.append(status)

    def once() -> bytes:
        body = b"".join(app(_environ(path, cookie), start_response))
        return body

    body = once()
    if not statuses[-1].startswith("200") or marker.encode() not in body:
        raise RuntimeError(f"{path} did not answer 200 with {marker!r} ({statuses[-1]})")
    samples = []
    for _ in range(iterations):
        started = time.perf_counter_ns()
        once()
        samples.append(time.perf_counter_ns() - started)
    return statistics.median(samples) / 1000


@contextlib.contextmanager
def _patched(owner: Any, name: str, value: Callable[..., Any]) -> Iterator[None]:
    original = getattr(owner, name)
    setattr(owner, name, value)
    try:
        yield
    finally:
        setattr(owner, name, original)


def breakdown(
    cognito_cookie: str, email: str, django_cookie: str, django_email: str, iterations: int
) -> list[Step]:
    from django.core.handlers.wsgi import WSGIHandler

    from cognito_forms import backends, middleware

    app = WSGIHandler()
    anonymous = _median_us(app, "/", "", iterations, "Welcome")
    steps = [("anonymous home", anonymous)]
    signed = _median_us(app, "/private/", cognito_cookie, iterations, email)
    steps.append(("signed in (cognito-forms), as shipped", signed))
    steps.append(
        (
            "Django session (signed_cookies)",
            _median_us(
                app, "/bench/django/signed/private/", django_cookie, iterations, django_email
            ),
        )
    )
    user = backends.CognitoBackend().user_for_claims({"sub": _sub(cognito_cookie)})

    def no_deny() -> contextlib.AbstractContextManager[None]:
        return _patched(middleware.revocation, "is_revoked", lambda **kwargs: False)

    def no_query() -> contextlib.AbstractContextManager[None]:
        return _patched(backends.CognitoBackend, "user_for_claims", lambda *a, **k: user)

    with no_deny():
        steps.append(
            (
                "  without the deny-list read (Redis)",
                _median_us(app, "/private/", cognito_cookie, iterations, email),
            )
        )
    with no_query():
        steps.append(
            (
                "  without the local-user query (PostgreSQL)",
                _median_us(app, "/private/", cognito_cookie, iterations, email),
            )
        )
    with no_deny(), no_query():
        steps.append(
            (
                "  without both (no I/O: cookies + cached claims only)",
                _median_us(app, "/private/", cognito_cookie, iterations, email),
            )
        )
    return [Step(label, us, anonymous / us) for label, us in steps]


def _sub(cookie: str) -> str:
    from cognito_forms import cookies, tokens

    from .micro import _request

    state = cookies.read_session(_request(cookie))
    if state is None:
        raise RuntimeError("no session in the cookie")
    return str(tokens.verify_id_token(state.id_token)["sub"])
