"""The emulator's own state next to moto's models: one instance per process.

moto instantiates its response class per request, so our operations reach this singleton.
One re-entrant lock serialises every API call: the emulator is for tests and development,
and a consistent state matters more than parallel throughput.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from moto.cognitoidp.models import cognitoidp_backends

from .challenge_sessions import SessionStore
from .clock import Clock
from .codes import CodeStore
from .keys import KeyRing
from .outbox import Outbox
from .tokens import TokenService


@dataclass
class UserExtra:
    """Per-user facts moto's model has no place for."""

    totp_secret: str | None = None  # verified software token
    totp_pending: str | None = None  # associated, not yet verified
    email_mfa_enabled: bool = False
    failed_sign_ins: int = 0
    locked_until: float = 0.0
    temp_password_expires_at: float | None = None
    pending: dict[str, str] = field(default_factory=dict)  # attribute -> value awaiting its code


@dataclass(frozen=True)
class ContextRecord:
    """The ``UserContextData`` one unauthenticated call carried: what threat protection would
    judge the caller by. ``ip_address`` is ``None`` when the call sent none (Cognito would then
    see the caller's own connection, i.e. the server); ``propagated`` says whether the app
    client accepts an IP address at all (``EnablePropagateAdditionalUserContextData``)."""

    action: str
    ip_address: str | None
    encoded_data: bool
    propagated: bool


class Emulator:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.clock = Clock()
        self.outbox = Outbox()
        self.keys = KeyRing()
        self.codes = CodeStore(self.clock, self.outbox)
        self.challenge_sessions = SessionStore(self.clock)
        self.tokens = TokenService(self.clock, self.keys)
        self.calls: Counter[str] = Counter()
        self.user_context: list[ContextRecord] = []
        self.extras: dict[tuple[str, str], UserExtra] = {}
        self.pool_extras: dict[str, dict[str, Any]] = {}

    def extra(self, pool_id: str, sub: str) -> UserExtra:
        return self.extras.setdefault((pool_id, sub), UserExtra())

    def pool_extra(self, pool_id: str) -> dict[str, Any]:
        return self.pool_extras.setdefault(pool_id, {})

    def reset(self) -> None:
        """Wipe pools, users, codes, outbox, tokens, challenge sessions, counters, clock offset."""
        with self.lock:
            for account_backends in list(cognitoidp_backends.values()):
                for backend in list(account_backends.values()):
                    backend.reset()
            self.clock.reset()
            self.outbox.clear()
            self.codes.reset()
            self.challenge_sessions.reset()
            self.tokens.reset()
            self.calls.clear()
            self.user_context.clear()
            self.extras.clear()
            self.pool_extras.clear()


EMULATOR = Emulator()
