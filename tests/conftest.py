"""Shared fixtures: the embedded Cognito on a free port, a freshly seeded pool per test,
counters reset, the cache cleared."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import caches

from cognito_forms import gateway, process_memo

# Signed-in browsers: get_tokens, sign_in_client, signed_in_client (see session_helpers.py).
from .session_helpers import get_tokens, sign_in_client, signed_in_client  # noqa: F401


@pytest.fixture(scope="session")
def local_cognito_server() -> Iterator[tuple[Any, str]]:
    from local_cognito import LocalCognito

    lc = LocalCognito()
    url = lc.start_server(host="127.0.0.1", port=0)
    try:
        yield lc, url
    finally:
        lc.stop_server()


@dataclass
class CognitoHandle:
    """What a test needs of the embedded Cognito: the emulator, its seed and the call counter."""

    lc: Any
    seed: Any
    url: str

    @property
    def outbox(self) -> Any:
        return self.lc.outbox

    @property
    def calls(self) -> Any:
        """Cognito API calls the product made in this test, per operation (e.g. "InitiateAuth")."""
        return gateway.calls

    def total_calls(self) -> int:
        return sum(gateway.calls.values())

    def code_for(self, email: str, purpose: str | None = None) -> str:
        return str(self.lc.outbox.latest_code(email, purpose))

    def create_user(self, email: str, password: str = "Correct-Horse-9!", **kwargs: Any) -> str:
        return str(self.lc.create_user(email, password, **kwargs))


@pytest.fixture
def cognito(local_cognito_server: tuple[Any, str], settings: Any) -> Iterator[CognitoHandle]:
    """A freshly seeded local pool; the site is configured to reach it."""
    lc, url = local_cognito_server
    lc.reset()
    seed = lc.seed()
    settings.COGNITO_ENDPOINT_URL = url
    settings.COGNITO_USER_POOL_ID = seed.pool_id
    settings.COGNITO_CLIENT_ID = seed.client_id
    settings.COGNITO_REGION = seed.region
    settings.COGNITO_LOCAL_EMULATOR = True
    for alias in caches:
        caches[alias].clear()
    gateway.reset_counters()
    yield CognitoHandle(lc=lc, seed=seed, url=url)
    gateway.reset_counters()


@pytest.fixture(autouse=True)
def _isolated_cache() -> None:
    for alias in caches:
        caches[alias].clear()
    process_memo.clear_all()
    gateway.reset_counters()


@pytest.fixture(autouse=True)
def _fresh_pool_description() -> Iterator[None]:
    """The pool/client descriptions are cached per process too: every test describes afresh."""
    from cognito_forms import pool

    pool.clear_cache()
    yield
    pool.clear_cache()


@pytest.fixture(autouse=True)
def sign_in_padding(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Failed sign-ins are padded to a floor (docs/security.md S9): the suite records the
    seconds asked for instead of waiting (tests/test_signin_timing.py also waits for real)."""
    from cognito_forms import timing

    asked: list[float] = []
    monkeypatch.setattr(timing, "sleep", asked.append)
    return asked


@pytest.fixture
def one_rate_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every request of a test in one rate window, whatever the wall clock says: a test that
    straddled a minute boundary would see its counters restart (windows are fixed)."""
    from types import SimpleNamespace

    from cognito_forms import ratelimit

    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 2_000_000_101.0))
