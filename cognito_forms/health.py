"""The health check for load balancers (``/accounts/health/``, docs/production.md).

Three dependencies, reported separately so an operator sees which one is away: ``keys`` (the
pool's signing keys: can this process verify tokens?), ``cache`` (the shared cache) and
``database``. Cheap: one shared-cache write and read and one ``SELECT 1``; the keys come from
memory (a cold process fetches the JWKS once within the cool-down, never a Cognito API call).
The report is reused for a second in each process, so a flood of checks costs nothing more.
It names no host, error or setting: only ``ok`` or ``unavailable`` per dependency.
"""

from __future__ import annotations

import logging
import time

from django.core.cache import caches

from . import jwks, outages
from .conf import app_settings
from .exceptions import DatabaseUnavailable
from .process_memo import MISSING, ProcessMemo

logger = logging.getLogger(__name__)

OK, UNAVAILABLE = "ok", "unavailable"
#: How long a process reuses its last report.
REPORT_SECONDS = 1.0
PROBE_KEY = "cognito_forms:health:probe"

_reports = ProcessMemo(max_entries=1)


def keys_ok() -> bool:
    try:
        return jwks.keys_available()
    except Exception:
        logger.exception("health check: the signing keys could not be checked")
        return False


def cache_ok() -> bool:
    cache = caches[app_settings.CACHE_ALIAS]
    stamp = f"{time.time():.6f}"
    try:
        cache.set(PROBE_KEY, stamp, 30)
        # Another worker may write its own stamp in between: any stamp read back will do.
        return cache.get(PROBE_KEY) is not None
    except Exception as error:
        outages.report("shared cache (health check)", error)
        return False


def database_ok() -> bool:
    try:
        outages.ensure_database()
    except DatabaseUnavailable:
        return False
    return True


def report() -> dict[str, str]:
    """``{"keys": "ok", "cache": "ok", "database": "unavailable"}`` (reused for a second)."""
    found = _reports.get("report", REPORT_SECONDS)
    if found is not MISSING:
        return dict(found)
    checks = {
        "keys": OK if keys_ok() else UNAVAILABLE,
        "cache": OK if cache_ok() else UNAVAILABLE,
        "database": OK if database_ok() else UNAVAILABLE,
    }
    _reports.set("report", checks)
    return dict(checks)
