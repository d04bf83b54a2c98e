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


def _check(app: Any, path: str, cookie: str, marker: str) -> Callable[[], None]:
    statuses: list[str] = []

    def start_response(status: str, headers: Any, exc_info: Any = None) -> None:
        statuses.append(status)

    def once() -> None:
        body = b"".join(app(_environ(path, cookie), start_response))
        if not statuses[-1].startswith("200") or marker.encode() not in body:
            raise RuntimeError(f"{path} did not answer 200 with {marker!r} ({statuses[-1]})")

    return once


@contextlib.contextmanager
def _patched(patches: list[tuple[Any, str, Any]]) -> Iterator[None]:
    originals = [(owner, name, getattr(owner, name)) for owner, name, _ in patches]
    for owner, name, value in patches:
        setattr(owner, name, value)
    try:
        yield
    finally:
        for owner, name, value in originals:
            setattr(owner, name, value)


def breakdown(
    cognito_cookie: str, email: str, django_cookie: str, django_email: str, iterations: int
) -> list[Step]:
    """Median microseconds per variant; the variants take turns request by request, so
    whatever else runs on the machine weighs on all of them alike."""
    from django.core.handlers.wsgi import WSGIHandler

    from cognito_forms import backends, middleware, process_memo, revocation

    app = WSGIHandler()
    user = backends.user_for_claims({"sub": _sub(cognito_cookie)})
    no_deny = (middleware.revocation, "is_revoked", lambda **kwargs: False)
    no_query = (backends, "user_for_claims", lambda *a, **k: user)
    private = _check(app, "/private/", cognito_cookie, email)
    # The per-process memos (deny-list answers, the local user) forgetting everything: what a
    # view costs when it has to ask Redis and PostgreSQL (the first view of a user, every 2 s).
    never: Callable[..., Any] = lambda *args, **kwargs: process_memo.MISSING  # noqa: E731
    memos_off = [
        (revocation._families, "get", never),
        (revocation._users, "get", never),
        (backends._users, "get", never),
    ]
    variants: list[tuple[str, Callable[[], None], list[tuple[Any, str, Any]]]] = [
        ("anonymous home", _check(app, "/", "", "Welcome"), []),
        ("signed in (cognito-forms), as shipped", private, []),
        (
            "Django session (signed_cookies)",
            _check(app, "/bench/django/signed/private/", django_cookie, django_email),
            [],
        ),
        ("  memos off: a Redis read and a PostgreSQL query every view", private, memos_off),
        ("  memos off, without the deny-list read (Redis)", private, [*memos_off, no_deny]),
        ("  memos off, without the local-user query (PostgreSQL)", private, [*memos_off, no_query]),
        ("  no I/O at all (cookies + cached claims only)", private, [no_deny, no_query]),
    ]
    samples: dict[str, list[int]] = {label: [] for label, _, _ in variants}
    for number in range(iterations + 20):
        for label, call, patches in variants:
            with _patched(patches):
                started = time.perf_counter_ns()
                call()
                elapsed = time.perf_counter_ns() - started
            if number >= 20:  # the first rounds warm caches and connections
                samples[label].append(elapsed)
    medians = {label: statistics.median(values) / 1000 for label, values in samples.items()}
    anonymous = medians["anonymous home"]
    return [Step(label, us, anonymous / us) for label, us in medians.items()]


def _sub(cookie: str) -> str:
    from cognito_forms import cookies, tokens

    from .micro import _request

    state = cookies.read_session(_request(cookie))
    if state is None:
        raise RuntimeError("no session in the cookie")
    return str(tokens.verify_id_token(state.id_token)["sub"])
