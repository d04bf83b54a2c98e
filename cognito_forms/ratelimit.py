"""Rate limits per client IP and per normalised email, counted in the shared Django cache.

Rates are written like ``"20/m/ip,5/300s/key"``: ``limit/period/scope`` separated by commas.
A period is a unit (``s``, ``m``, ``h``, ``d``) with an optional count (``300s``, ``5m``);
the scope is ``ip`` (the client's network: one IPv4 address or IPv6 /64, see
:func:`request_meta.client_ip`), ``key`` (a keyed hash of the lower-cased, stripped email:
never the raw address) or ``key_ip`` (that email from that network: a stranger's failures
elsewhere do not count against its owner, docs/security.md S7). ``COGNITO_RATE_LIMITS`` maps
an action (``signin``, ``signin_failed``, ``signup``, ``confirm``, ``resend``, ``forgot``,
``reset``, ``mfa``, ``reauth``) to a rate; ``None`` or ``""`` turns that action's limit off.

Counters are fixed windows (``cache.add`` + ``cache.incr``: atomic on LocMem and Redis) that
expire with their window, so there is no permanent lockout.

How views use it::

    ratelimit.hit(request, "forgot", key=email)       # count this attempt; raises RateLimited
                                                       # on the (N+1)th within the window
    ratelimit.check(request, "signin_failed", key=email)  # raise if already over, no count
    ratelimit.record_failure(request, "signin_failed", key=email)  # count a failure only
    ratelimit.check(request, "signin_failed", key=email, skip=("key",))  # some scopes only
    ratelimit.clear(request, "signin_failed", key=email)  # forget this network's failures

``RateLimitMixin`` (for ``FormView`` subclasses) does the ``hit`` on POST and answers the
(N+1)th attempt with a 429 that re-renders the form with what the user typed.
"""

from __future__ import annotations

import logging
import math
import re
import time
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from . import outages
from .adapter import get_adapter
from .conf import app_settings
from .exceptions import RateLimited
from .request_meta import client_ip, email_digest, ip_bucket
from .security_log import log_event

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*(?:/\s*(ip|key_ip|key)\s*)?$")

MESSAGE = _("Too many attempts. Please wait a moment and try again.")


@dataclass(frozen=True)
class Rate:
    limit: int
    period: int
    scope: str  # "ip", "key" or "key_ip"


@lru_cache(maxsize=64)
def parse_rates(spec: str | None) -> tuple[Rate, ...]:
    """``"20/m/ip,5/300s/key"`` -> rates; empty or None -> no limit. Raises ValueError."""
    if not spec:
        return ()
    rates = []
    for part in spec.split(","):
        match = _RATE.match(part)
        if not match:
            raise ValueError(f"invalid rate {part.strip()!r}")
        limit, count, unit, scope = match.groups()
        period = int(count or 1) * _UNITS[unit]
        if period <= 0:
            raise ValueError(f"invalid period in rate {part.strip()!r}")
        rates.append(Rate(limit=int(limit), period=period, scope=scope or "ip"))
    return tuple(rates)


def rates_for(action: str) -> tuple[Rate, ...]:
    return parse_rates(app_settings.RATE_LIMITS.get(action))


def _identity(request: HttpRequest, scope: str, key: str | None) -> str | None:
    if scope in ("key", "key_ip") and not (key and key.strip()):
        return None  # no key (e.g. an empty email field): the IP limits still apply
    if scope == "key":
        return email_digest(key or "")
    # The IP is hashed too, so no personal data sits in cache keys.
    network = ip_bucket(client_ip(request))
    if scope == "key_ip":
        network = f"{email_digest(key or '')}|{network}"
    return salted_hmac("cognito_forms.ratelimit.ip", network, algorithm="sha256").hexdigest()[:32]


def _counters(
    request: HttpRequest, action: str, key: str | None, now: float
) -> list[tuple[Rate, str, int]]:
    """(rate, cache key, seconds until the window ends) for every applicable rate."""
    result = []
    for rate in rates_for(action):
        identity = _identity(request, rate.scope, key)
        if identity is None:
            continue
        window = int(now // rate.period)
        cache_key = f"cf:rl:{action}:{rate.scope}:{rate.period}:{window}:{identity}"
        remaining = max(1, math.ceil((window + 1) * rate.period - now))
        result.append((rate, cache_key, remaining))
    return result


def _cache() -> Any:
    return caches[app_settings.CACHE_ALIAS]


def _increment(cache: Any, cache_key: str, timeout: int) -> int:
    cache.add(cache_key, 0, timeout=timeout + 1)
    try:
        return int(cache.incr(cache_key))
    except ValueError:  # expired between add and incr: start a new count
        cache.add(cache_key, 1, timeout=timeout + 1)
        return 1


def _limited(request: HttpRequest, action: str, key: str | None, retry_after: int) -> None:
    log_event(
        request,
        "rate_limited",
        email=key,
        level=logging.WARNING,
        action=action,
        retry_after=retry_after,
    )
    raise RateLimited(retry_after)


def check(
    request: HttpRequest, action: str, key: str | None = None, *, skip: Collection[str] = ()
) -> None:
    """Raise :class:`RateLimited` if ``action`` is already at its limit; counts nothing.

    Rates whose scope is in ``skip`` are not looked at (they still count failures).
    """
    now = time.time()
    counters = [c for c in _counters(request, action, key, now) if c[0].scope not in skip]
    if not counters:
        return
    try:
        values = _cache().get_many([cache_key for _rate, cache_key, _left in counters])
    except Exception as error:  # the cache is down: serve rather than lock everyone out
        outages.report("shared cache (rate limits)", error)  # once a minute, not per request
        return
    exceeded = [
        left for rate, cache_key, left in counters if int(values.get(cache_key, 0)) >= rate.limit
    ]
    if exceeded:
        _limited(request, action, key, max(exceeded))


def _count(request: HttpRequest, action: str, key: str | None) -> list[int]:
    """Increment every counter of ``action``; return the retry delays of those over limit."""
    exceeded = []
    cache = _cache()
    try:
        for rate, cache_key, left in _counters(request, action, key, time.time()):
            if _increment(cache, cache_key, left) > rate.limit:
                exceeded.append(left)
    except Exception as error:  # the cache is down: serve rather than lock everyone out
        outages.report("shared cache (rate limits)", error)
        return []
    return exceeded


def hit(request: HttpRequest, action: str, key: str | None = None) -> None:
    """Count one attempt at ``action``; raise :class:`RateLimited` on the (N+1)th."""
    exceeded = _count(request, action, key)
    if exceeded:
        _limited(request, action, key, max(exceeded))


def record_failure(request: HttpRequest, action: str, key: str | None = None) -> None:
    """Count one failure (e.g. a wrong password) without refusing this request.

    The next attempt's :func:`check` of the same action refuses once the limit is reached.
    """
    _count(request, action, key)


def clear(request: HttpRequest, action: str, key: str | None) -> None:
    """Forget the ``key_ip`` counters of ``action`` (this address from this network, e.g.
    the owner's own typos, after a successful sign-in).

    Per-IP counters are kept: otherwise an attacker could reset them with an account of
    their own between guesses. Per-key (all networks) counters are kept too: they are the
    ceiling that stops a distributed attack, which one success of the owner must not lift.
    """
    if not key:
        return
    counters = _counters(request, action, key, time.time())
    try:
        _cache().delete_many([k for rate, k, _left in counters if rate.scope == "key_ip"])
    except Exception as error:
        outages.report("shared cache (rate limits)", error)


def _message() -> str:
    """The operator's wording (the adapter's ``rate_limited`` message), else ours."""
    try:
        return str(get_adapter().get_error_message("rate_limited"))
    except Exception:
        return str(MESSAGE)


def retry_after_header(response: HttpResponse, retry_after: int) -> HttpResponse:
    response["Retry-After"] = str(max(1, int(retry_after)))
    return response


class RateLimitMixin:
    """For ``FormView`` subclasses: count each POST against ``rate_limit_action``.

    The key is the posted ``rate_limit_key_field`` (default ``email``); override
    :meth:`rate_limit_key` when the email lives elsewhere (e.g. in the flow state cookie).
    Over the limit, the form is re-rendered with the typed values (never passwords, which
    Django's ``PasswordInput`` does not render) and a non-field error, status 429 and a
    ``Retry-After`` header. Cognito is not called.
    """

    rate_limit_action: str = ""
    rate_limit_key_field: str = "email"
    request: HttpRequest

    def rate_limit_key(self) -> str | None:
        value = self.request.POST.get(self.rate_limit_key_field)
        return str(value) if value else None

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.rate_limit_action:
            try:
                hit(request, self.rate_limit_action, key=self.rate_limit_key())
            except RateLimited as error:
                return self.rate_limited_response(error)
        response: HttpResponse = super().post(request, *args, **kwargs)  # type: ignore[misc]
        return response

    def rate_limited_response(self, error: RateLimited) -> HttpResponse:
        """The 429 page: the bound form with a non-field error, or rate_limited.html."""
        get_form = getattr(self, "get_form", None)
        if get_form is None:
            return rate_limited_page(self.request, error)
        form = get_form()
        form.is_valid()  # shape validation only: no network call happens in clean()
        form.add_error(None, _message())
        context = self.get_context_data(form=form)  # type: ignore[attr-defined]
        response = self.render_to_response(context, status=429)  # type: ignore[attr-defined]
        return retry_after_header(response, error.retry_after)


def rate_limited_page(request: HttpRequest, error: RateLimited) -> HttpResponse:
    """A standalone 429 page (for views without a form to re-render)."""
    response = render(
        request,
        "cognito_forms/rate_limited.html",
        {"retry_after": error.retry_after, "message": _message()},
        status=429,
    )
    return retry_after_header(response, error.retry_after)
