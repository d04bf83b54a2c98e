"""Failed sign-ins take one time, whatever the account (docs/security.md S9).

Cognito answers a wrong password for an existing account, an unknown address and a disabled
account after different amounts of work (two calls, one call, a fake challenge), so the time a
failure takes would tell the account's state. The sign-in view pads every failed answer to a
floor (``COGNITO_SIGNIN_FAILURE_FLOOR_MS``) measured on the monotonic clock from the start of
the POST. The floor must be above the slowest failure for the padding to hide it.

``sleep`` and ``monotonic`` are module attributes so that tests can record the padding instead
of waiting for it.
"""

from __future__ import annotations

import time

sleep = time.sleep
monotonic = time.monotonic


def pad_to(started: float, floor_seconds: float) -> float:
    """Wait until ``floor_seconds`` after ``started`` (a :func:`monotonic` reading).

    Returns the seconds waited (0 when that moment has passed already).
    """
    remaining = floor_seconds - (monotonic() - started)
    if remaining <= 0:
        return 0.0
    sleep(remaining)
    return remaining
