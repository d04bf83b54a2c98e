"""Cool-downs and wrong-code counters for the account journeys, kept in the shared cache.

Keys hold a keyed hash of the username (never the address itself), so the cache shows no
personal data and counters work across every worker process.
"""

from __future__ import annotations

import time

from django.core.cache import caches
from django.utils.crypto import salted_hmac

from ..conf import app_settings


def _key(kind: str, value: str) -> str:
    digest = salted_hmac("cognito_forms.attempts", value.strip().lower()).hexdigest()[:32]
    return f"cognito_forms:{kind}:{digest}"


def cooldown_remaining(kind: str, value: str) -> int:
    """Seconds left before ``kind`` may happen again for ``value`` (0: now)."""
    until = caches[app_settings.CACHE_ALIAS].get(_key(f"cool:{kind}", value))
    if until is None:
        return 0
    return max(0, int(float(until) - time.time() + 0.999))


def start_cooldown(kind: str, value: str, seconds: int) -> None:
    caches[app_settings.CACHE_ALIAS].set(
        _key(f"cool:{kind}", value), time.time() + seconds, seconds
    )


def failures(kind: str, value: str) -> int:
    return int(caches[app_settings.CACHE_ALIAS].get(_key(f"fail:{kind}", value)) or 0)


def add_failure(kind: str, value: str, window: int) -> int:
    """Count one wrong code for ``value``; returns the count within ``window`` seconds."""
    cache = caches[app_settings.CACHE_ALIAS]
    key = _key(f"fail:{kind}", value)
    if cache.add(key, 1, window):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, window)
        return 1


def clear_failures(kind: str, value: str) -> None:
    caches[app_settings.CACHE_ALIAS].delete(_key(f"fail:{kind}", value))
