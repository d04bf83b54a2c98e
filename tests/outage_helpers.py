"""The shared cache or the database out of reach, for the outage tests (docs/security.md S13).

- :func:`switch_cache_off` points the app's cache at a Redis port nobody listens on (the real
  client, the real ``ConnectionError``), the way a stopped Redis looks to a worker;
- :func:`database_down` makes every query on this thread's connection fail the way an
  unreachable PostgreSQL does (``OperationalError``), optionally only queries on some tables;
- :func:`assert_unavailable` is the 503 page every journey answers when it cannot go on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import OperationalError, connection
from django.test import Client

from cognito_forms import process_memo
from cognito_forms import tokens as token_verifier
from tests.fault_servers import closed_port
from tests.journeys import UNAVAILABLE, text


def switch_cache_off(settings: Any, *, forget_memos: bool = True) -> None:
    """From now on every shared-cache operation fails like a stopped Redis."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    if forget_memos:
        # This process's memos (deny list, local user) as after a pause of a few seconds.
        process_memo.clear_all()


@contextmanager
def database_down(*tables: str) -> Iterator[None]:
    """Every query (or every query naming one of ``tables``) fails as if the server were gone."""

    def refuse(execute: Callable[..., Any], sql: str, params: Any, many: bool, ctx: Any) -> Any:
        if not tables or any(table in sql for table in tables):
            raise OperationalError("could not connect to server: Connection refused")
        return execute(sql, params, many, ctx)

    process_memo.clear_all()  # the local user is no longer reused from memory
    with connection.execute_wrapper(refuse):
        yield


def assert_unavailable(response: Any) -> None:
    """A 503 that says so and when to come back, never a 500 or a redirect to sign-in."""
    assert response.status_code == 503, (response.status_code, response.get("Location"))
    assert int(response["Retry-After"]) > 0
    assert UNAVAILABLE in text(response)
    assert "no-store" in response["Cache-Control"]


def session_cookies(client: Client) -> dict[str, str]:
    return {k: m.value for k, m in client.cookies.items() if k.startswith("cf_session")}


def cleared(response: Any) -> bool:
    """The response expires the session cookie."""
    cookie = response.cookies.get("cf_session")
    return cookie is not None and (cookie["max-age"] == 0 or cookie.value == "")


def browser_signed_in_ago(
    sign_in_client: Callable[..., Client], cognito: Any, seconds: int
) -> Client:
    """A browser whose tokens were issued ``seconds`` ago (expired past 3600 + leeway)."""
    cognito.lc.clock.advance(-seconds)
    real_now = token_verifier.now
    token_verifier.now = cognito.lc.clock.now  # type: ignore[method-assign]
    try:
        browser = sign_in_client()
    finally:
        token_verifier.now = real_now  # type: ignore[method-assign]
        cognito.lc.clock.advance(seconds)
    return browser
