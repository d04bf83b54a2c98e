"""Every message Cognito would have sent (codes, temporary passwords), kept for tests and pages."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Message:
    to: str
    purpose: str
    code: str
    sent_at: datetime
    medium: str  # "EMAIL" or "SMS"

    def to_json(self) -> dict[str, Any]:
        return {
            "to": self.to,
            "purpose": self.purpose,
            "code": self.code,
            "sent_at": self.sent_at.isoformat().replace("+00:00", "Z"),
            "medium": self.medium,
        }


class Outbox:
    """Thread-safe, newest first on read."""

    def __init__(self) -> None:
        self._messages: list[Message] = []
        self._lock = threading.Lock()

    def add(self, message: Message) -> None:
        with self._lock:
            self._messages.append(message)

    def messages(self, to: str | None = None, purpose: str | None = None) -> list[Message]:
        with self._lock:
            found = list(reversed(self._messages))
        if to is not None:
            found = [m for m in found if m.to.lower() == to.lower()]
        if purpose is not None:
            found = [m for m in found if m.purpose == purpose]
        return found

    def latest_code(self, to: str, purpose: str | None = None) -> str:
        found = self.messages(to=to, purpose=purpose)
        if not found:
            raise LookupError(f"no message to {to!r} (purpose={purpose!r})")
        return found[0].code

    def clear(self) -> None:
        with self._lock:
            self._messages.clear()

    def to_json(self) -> list[dict[str, Any]]:
        return [m.to_json() for m in self.messages()]
