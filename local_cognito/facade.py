"""LocalCognito: the one object tests, fixtures and ``make run`` use."""

from __future__ import annotations

from collections import Counter
from typing import Any

from moto.cognitoidp.models import CognitoIdpUserPool

from . import model
from .clock import Clock
from .ops import install
from .outbox import Outbox
from .seed import CLIENT_ID, POOL_ID, SeedResult, create_user, seed, update_client
from .server import BackgroundServer
from .state import EMULATOR, ContextRecord


class LocalCognito:
    """The embedded Cognito: moto's cognito-idp plus our operations, keys, codes and outbox.

    State is per process (moto's backends are global), so several instances share it.
    """

    def __init__(self) -> None:
        install()
        self._server: BackgroundServer | None = None

    # --- server --------------------------------------------------------------------------
    def start_server(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Serve in a background thread; returns the base URL (``endpoint_url`` for boto3)."""
        if self._server is None:
            self._server = BackgroundServer(host, port)
            self._server.start()
        return self._server.url

    def stop_server(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None

    @property
    def base_url(self) -> str | None:
        return self._server.url if self._server else None

    # --- state ---------------------------------------------------------------------------
    def reset(self) -> None:
        """Wipe all pools, users, codes, outbox, tokens/revocations, call counts, clock offset."""
        EMULATOR.reset()

    def seed(self) -> SeedResult:
        return seed()

    @property
    def outbox(self) -> Outbox:
        return EMULATOR.outbox

    @property
    def clock(self) -> Clock:
        return EMULATOR.clock

    @property
    def calls(self) -> Counter[str]:
        return EMULATOR.calls

    @property
    def user_context(self) -> list[ContextRecord]:
        """The ``UserContextData`` of every unauthenticated call, oldest first."""
        return EMULATOR.user_context

    @property
    def pool(self) -> CognitoIdpUserPool:
        found = model.find_pool(POOL_ID)
        if found is None:
            raise LookupError("the demo pool is not seeded: call seed() first")
        return found

    def create_user(
        self,
        email: str,
        password: str,
        *,
        confirmed: bool = True,
        attributes: dict[str, str] | None = None,
        groups: tuple[str, ...] = (),
        totp_secret: str | None = None,
        enabled: bool = True,
    ) -> str:
        """Add a user to the seeded pool directly (no codes sent); returns the sub."""
        return create_user(
            self.pool,
            email,
            password,
            confirmed=confirmed,
            attributes=attributes,
            groups=tuple(groups),
            totp_secret=totp_secret,
            enabled=enabled,
        )

    def update_client(self, **params: Any) -> None:
        """Change the seeded app client like UpdateUserPoolClient (merging the given keys)."""
        update_client(self.pool, self.client_id, **params)

    @property
    def client_id(self) -> str:
        return CLIENT_ID
