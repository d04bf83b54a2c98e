"""Cool-downs and wrong-code counters for the account journeys, kept in the shared cache.

Keys hold a keyed hash of the username (never the address itself), so the cache shows no
personal data and counters work across every worker process.

With the shared cache away (docs/production.md "When Redis or the database is away"), the
reads fail closed: :func:`failures`, :func:`add_failure` and :func:`cooldown_remaining` raise
:class:`CacheUnavailable` (a 503 that keeps the visitor's input), because a counter that cannot
be read would allow unlimited guesses of a confirmation, reset or MFA code. Starting a
cool-down and clearing a counter after a success are best effort: the action already happened,
and every later read fails closed until the cache is back.
"""

from __future__ import annotations

import logging
import time

from django.core.cache import caches
from django.utils.crypto import salted_hmac

from ..conf import app_settings
from ..exceptions import CacheUnavailable
from ..outages import cache_errors

logger = logging.getLogger(__name__)


def _key(kind: str, value: str) -> str:
    digest = salted_hmac("cognito_forms.attempts", value.strip().lower()).hexdigest()[:32]
    return f"cognito_forms:{kind}:{digest}"


def cooldown_remaining(kind: str, value: str) -> int:
    """Seconds left before ``kind`` may happen again for ``value`` (0: now)."""
    with cache_errors(f"cool-down {kind}"):
        until = caches[app_settings.CACHE_ALIAS].get(_key(f"cool:{kind}", value))
    if until is None:
        return 0
    return max(0, int(float(until) - time.time() + 0.999))


def cooldown_shown(kind: str, value: str) -> int:
    """:func:`cooldown_remaining` for display only: 0 when the cache is away (the action
    itself is still refused then)."""
    try:
        return cooldown_remaining(kind, value)
    except CacheUnavailable:
        return 0


def start_cooldown(kind: str, value: str, seconds: int) -> None:
    try:
        with cache_errors(f"cool-down {kind}"):
            caches[app_settings.CACHE_ALIAS].set(
                _key(f"cool:{kind}", value), time.time() + seconds, seconds
            )
    except CacheUnavailable:
        # What it guards (a new code) is refused while the cache is away: reads fail closed.
        logger.warning("cool-down %s not recorded: the shared cache is away", kind)


def failures(kind: str, value: str) -> int:
    with cache_errors(f"code attempts {kind}"):
        return int(caches[app_settings.CACHE_ALIAS].get(_key(f"fail:{kind}", value)) or 0)


def add_failure(kind: str, value: str, window: int) -> int:
    """Count one wrong code for ``value``; returns the count within ``window`` seconds."""
    cache = caches[app_settings.CACHE_ALIAS]
    key = _key(f"fail:{kind}", value)
    with cache_errors(f"code attempts {kind}"):
        if cache.add(key, 1, window):
            return 1
        try:
            return int(cache.incr(key))
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, window)
            return 1


def clear_failures(kind: str, value: str) -> None:
    try:
        with cache_errors(f"code attempts {kind}"):
            caches[app_settings.CACHE_ALIAS].delete(_key(f"fail:{kind}", value))
    except CacheUnavailable:
        # The code was right and Cognito acted on it: the stale count expires with its window.
        logger.warning("code attempts %s not cleared: the shared cache is away", kind)
