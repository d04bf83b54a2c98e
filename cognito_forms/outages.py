"""The shared cache (Redis) or the database out of reach: the pieces every module shares.

The policy, per dependency and per journey, is docs/production.md "When Redis or the database
is away" (docs/security.md S13). In short: what guards against guessing (code counters,
cool-downs) fails closed with a 503; the sign-out deny list fails open for a bounded time on the
last answers this process saw, then closed; the rate limiter fails open; a refresh waits; the
local user cannot be loaded without the database, so pages that need it answer 503. Never a
500, and never a silent redirect to sign-in.

- :func:`cache_errors` turns any error of the cache backend into :class:`CacheUnavailable`;
- :func:`outage_seconds` / :func:`recovered` measure how long this process has seen a
  dependency fail (the bounded fail-open window);
- :func:`ensure_database` is one cheap round trip, :class:`DatabaseUnavailable` if it fails;
- :func:`report` logs an outage once when it starts and then once a minute, not per request.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DatabaseError, InterfaceError, OperationalError, connections, router

from .exceptions import CacheUnavailable, CognitoFormsError, DatabaseUnavailable
from .process_memo import MISSING, ProcessMemo

logger = logging.getLogger("cognito_forms.outages")

#: ``Retry-After`` of the 503 pages: long enough for a failover, short enough to come back.
RETRY_AFTER = 30
#: An ongoing outage is logged again after this many seconds.
LOG_EVERY = 60.0

_since = ProcessMemo(max_entries=64)  # dependency -> monotonic time its outage began here
_logged = ProcessMemo(max_entries=64)  # dependency -> logged recently


def report(what: str, error: BaseException) -> None:
    """Log that ``what`` failed: at once when the outage starts, then once a minute."""
    if _logged.get(what, LOG_EVERY) is MISSING:
        _logged.set(what, True)
        # The exception's type only: a message may carry a host name or a password in a URL.
        logger.error("%s unreachable (%s); see docs/production.md", what, type(error).__name__)


def outage_seconds(what: str) -> float:
    """How long this process has seen ``what`` failing (0 at the first failure)."""
    now = time.monotonic()
    began = _since.get(what, math.inf)
    if began is MISSING:
        _since.set(what, now)
        return 0.0
    return now - float(began)


def recovered(what: str) -> None:
    """``what`` answered again: the next failure starts a new window."""
    if _since.get(what, math.inf) is not MISSING:
        _since.discard(what)
        _logged.discard(what)
        logger.warning("%s reachable again", what)


@contextmanager
def cache_errors(what: str) -> Iterator[None]:
    """Run shared-cache operations; any failure of the backend raises CacheUnavailable.

    The backend is pluggable (Redis, Memcached ...), so its errors have no common type: any
    exception but our own means the shared state could not be read or written.
    """
    try:
        yield
    except CognitoFormsError:
        raise
    except Exception as error:
        report(f"shared cache ({what})", error)
        raise CacheUnavailable(what) from error


def is_database_outage(error: BaseException) -> bool:
    """The database could not be reached or used (not a bug such as an integrity error)."""
    return isinstance(error, OperationalError | InterfaceError | DatabaseUnavailable)


def ensure_database() -> None:
    """One ``SELECT 1`` on the database that holds the user links; DatabaseUnavailable if it
    fails. Journeys that sign in check this before calling Cognito, so a code or a password
    is not spent on a sign-in that could not be recorded."""
    from .models import CognitoIdentity

    alias = router.db_for_write(CognitoIdentity)
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        report("database", error)
        raise DatabaseUnavailable("database") from error
