"""Short-lived, per-process memos for the signed-in hot path.

The shared cache (Redis in production) and the database stay the source of truth; a memo only
saves the round trip when the same answer was fetched a moment ago in this process. Every memo
has a time-to-live and a size bound, and is thread-safe (gthread workers share it).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any, Final

MISSING: Final = object()
_registry: list[ProcessMemo] = []


class ProcessMemo:
    """A thread-safe LRU of ``key -> value`` whose entries expire ``ttl`` seconds after set."""

    def __init__(self, max_entries: int = 10_000) -> None:
        self._entries: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self._max = max_entries
        _registry.append(self)

    def get(self, key: Hashable, ttl: float) -> Any:
        """The value stored less than ``ttl`` seconds ago, else ``MISSING``.

        An older entry is kept (the size bound evicts it): while the shared cache is away, the
        deny list falls back on the last answer however old (``ttl=math.inf``).
        """
        if ttl <= 0:
            return MISSING
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return MISSING
            stored_at, value = entry
            if time.monotonic() - stored_at >= ttl:
                return MISSING
            self._entries.move_to_end(key)
            return value

    def set(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._entries[key] = (time.monotonic(), value)
            self._entries.move_to_end(key)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)

    def discard(self, key: Hashable) -> None:
        with self._lock:
            self._entries.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def clear_all() -> None:
    """Forget every memo of this process (tests; a deployment never needs it)."""
    for memo in _registry:
        memo.clear()
