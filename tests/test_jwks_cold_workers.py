"""Two cold workers at once (found by the load benchmark): the one that does not fetch the
JWKS waits for the other's document instead of answering "sign-in unavailable"."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from cognito_forms import tokens
from cognito_forms.exceptions import KeysUnavailable

from .jwks_server import JwksServer, claims, new_key, public_jwk, sign, verifying_against

KEY = new_key()


@pytest.fixture
def jwks(settings: Any) -> Iterator[JwksServer]:
    server = JwksServer()
    server.start()
    server.keys = [public_jwk(KEY, "k1")]
    with verifying_against(server, settings):
        yield server
    server.stop()


def _first_worker_fetching(results: list[Any]) -> threading.Thread:
    def verify() -> None:
        try:
            results.append(tokens.verify(sign(claims("id", jti="first"), KEY), "id")["sub"])
        except Exception as error:
            results.append(error)

    thread = threading.Thread(target=verify)
    thread.start()
    time.sleep(0.05)  # its fetch is in flight and it holds the cool-down
    return thread


def test_a_cold_worker_waits_for_the_keys_another_worker_is_fetching(jwks: JwksServer) -> None:
    jwks.mode, jwks.delay = "slow", 0.2
    first: list[Any] = []
    thread = _first_worker_fetching(first)
    assert tokens.verify(sign(claims("id", jti="second"), KEY), "id")["sub"]
    thread.join(timeout=5)
    assert isinstance(first[0], str)
    assert jwks.fetches == 1


def test_a_cold_worker_gives_up_within_one_jwks_timeout_when_the_fetch_fails(
    jwks: JwksServer,
) -> None:
    jwks.mode, jwks.delay = "slow", 2.0  # beyond the 0.5 s timeout: the first fetch fails
    first: list[Any] = []
    thread = _first_worker_fetching(first)
    started = time.monotonic()
    with pytest.raises(KeysUnavailable):
        tokens.verify(sign(claims("id", jti="second"), KEY), "id")
    assert time.monotonic() - started < 1.5
    thread.join(timeout=5)
    assert isinstance(first[0], KeysUnavailable)
    assert jwks.fetches == 1
