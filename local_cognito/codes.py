"""One-time codes: generated, sent to the outbox, checked (mismatch, expiry, attempt limit).

A code lives in a *slot* (pool, user, slot name). Issuing into a slot supersedes the code that
was there, so a resent sign-up code kills the previous one; a used code is removed.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from . import errors
from .clock import Clock
from .outbox import Message, Outbox

MAX_ATTEMPTS = 5
HOUR = 3600.0
LIFETIMES = {  # seconds, as documented by Cognito
    "sign_up": 24 * HOUR,
    "resend_confirmation": 24 * HOUR,
    "verify_email": 24 * HOUR,
    "verify_phone_number": 24 * HOUR,
    "forgot_password": 1 * HOUR,
    "mfa_email": 180.0,
    "mfa_sms": 180.0,
}


@dataclass
class IssuedCode:
    code: str
    purpose: str
    expires_at: float
    failures: int = 0


def new_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


class CodeStore:
    def __init__(self, clock: Clock, outbox: Outbox) -> None:
        self._clock = clock
        self._outbox = outbox
        self._slots: dict[tuple[str, str, str], IssuedCode] = {}

    def reset(self) -> None:
        self._slots.clear()

    def issue(
        self, pool_id: str, sub: str, slot: str, purpose: str, *, to: str, medium: str
    ) -> str:
        code = new_code()
        self._slots[(pool_id, sub, slot)] = IssuedCode(
            code, purpose, self._clock.now() + LIFETIMES[purpose]
        )
        self.send(to=to, purpose=purpose, code=code, medium=medium)
        return code

    def send(self, *, to: str, purpose: str, code: str, medium: str) -> None:
        self._outbox.add(Message(to, purpose, code, self._clock.utcnow(), medium))

    def has(self, pool_id: str, sub: str, slot: str) -> bool:
        return (pool_id, sub, slot) in self._slots

    def discard(self, pool_id: str, sub: str, slot: str) -> None:
        self._slots.pop((pool_id, sub, slot), None)

    def check(
        self,
        pool_id: str,
        sub: str,
        slot: str,
        code: str | None,
        *,
        limit_error: type[errors.CognitoError] = errors.LimitExceeded,
    ) -> None:
        """Consume the code or raise the error Cognito gives."""
        issued = self._slots.get((pool_id, sub, slot))
        if issued is None:
            raise errors.ExpiredCode()
        if issued.failures >= MAX_ATTEMPTS:
            raise limit_error()
        if issued.expires_at <= self._clock.now():
            del self._slots[(pool_id, sub, slot)]
            raise errors.ExpiredCode()
        if not code or not secrets.compare_digest(issued.code, str(code)):
            issued.failures += 1
            raise errors.CodeMismatch()
        del self._slots[(pool_id, sub, slot)]
