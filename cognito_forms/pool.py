"""What the user pool and its app client look like, described once and cached.

Sign-up fields, their validation (type, length, value limits, mutability) and the password
rules shown before submit all come from ``DescribeUserPool`` / ``DescribeUserPoolClient``.
Both are cached per process and in Django's cache for ``COGNITO_POOL_CACHE_TTL`` seconds, so
a page view makes no Cognito call once the cache is warm. If Cognito cannot be reached, a
conservative description (Cognito's default password policy, plain string attributes) is used
for a short while: forms still render and Cognito stays the final judge on submit.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar, cast

from django.core.cache import caches
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import exceptions as exc
from . import gateway, outages
from .conf import app_settings
from .types import AttributeSchema, ClientDescription, PasswordPolicy, PoolDescription

logger = logging.getLogger(__name__)

T = TypeVar("T")

#: How long a fallback description (Cognito unreachable) is kept before trying again.
FALLBACK_TTL = 30
#: The characters Cognito counts as symbols in a password policy (a space counts too).
SYMBOLS = frozenset("^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ")
#: Standard attributes a visitor never types: Cognito or the operator sets them.
NOT_ASKED = frozenset(
    {"sub", "email_verified", "phone_number_verified", "updated_at", "identities"}
)

_process: dict[str, tuple[float, Any]] = {}
#: Cache keys whose value in ``_process`` is a fallback (Cognito could not describe it).
_fallbacks: set[str] = set()
_lock = threading.Lock()


#: The descriptions' shape: bumped when PoolDescription / ClientDescription change fields, so
#: that a description an older release left in the shared cache (it outlives a deploy) is not
#: read back with the new fields at their defaults. 2: typed fields replaced ``raw``.
SHAPE = 2


def _cache_key(kind: str) -> str:
    s = app_settings
    return f"cognito_forms:pool:v{SHAPE}:{kind}:{s.ENDPOINT_URL}:{s.USER_POOL_ID}:{s.CLIENT_ID}"


_override = threading.local()


def _cached(kind: str, load: Callable[[], T], fallback: Callable[[], T]) -> T:
    override = getattr(_override, kind, None)  # set by described_as() for this thread
    if override is not None:
        return cast(T, override)
    key = _cache_key(kind)
    now = time.monotonic()
    hit = _process.get(key)
    if hit is not None and hit[0] > now:
        return cast(T, hit[1])
    cache = caches[app_settings.CACHE_ALIAS]
    try:
        value = cache.get(key)
    except Exception as error:  # the shared cache is away: describe the pool ourselves
        outages.report("shared cache (pool description)", error)
        value = None
    ttl = app_settings.POOL_CACHE_TTL
    if value is None:
        try:
            value = load()
        except exc.CognitoFormsError as error:
            # Unreachable or not permitted: keep serving forms, Cognito validates on submit.
            logger.warning("Could not describe the user pool (%s); using defaults", error.code)
            value, ttl = fallback(), FALLBACK_TTL
            with _lock:
                _fallbacks.add(key)
                _process[key] = (now + ttl, value)
            return value
        try:
            cache.set(key, value, ttl)
        except Exception as error:
            outages.report("shared cache (pool description)", error)
    with _lock:
        _fallbacks.discard(key)
        _process[key] = (now + ttl, value)
    return cast(T, value)


def _fallback_pool() -> PoolDescription:
    return PoolDescription(
        pool_id=app_settings.USER_POOL_ID,
        password_policy=PasswordPolicy(
            require_uppercase=True,
            require_lowercase=True,
            require_numbers=True,
            require_symbols=True,
        ),
        attributes=(AttributeSchema(name="email", required=True),),
        username_attributes=("email",),
    )


def _fallback_client() -> ClientDescription:
    return ClientDescription(
        client_id=app_settings.CLIENT_ID,
        has_secret=False,
        explicit_auth_flows=(),
        read_attributes=(),
        write_attributes=(),
        prevent_user_existence_errors="ENABLED",
        enable_token_revocation=True,
        refresh_token_rotation=False,
        retry_grace_period_seconds=0,
        access_token_validity_seconds=3600,
        id_token_validity_seconds=3600,
        refresh_token_validity_seconds=30 * 86400,
    )


def describe_pool() -> PoolDescription:
    """The pool's description (schema, password policy, MFA), cached."""
    return _cached("pool", gateway.describe_pool, _fallback_pool)


def describe_client() -> ClientDescription:
    """The app client's description (auth flows, read/write attributes), cached."""
    return _cached("client", gateway.describe_client, _fallback_client)


def described() -> bool:
    """False while the pool or client description is a stand-in (Cognito unreachable): pages
    that need the real schema (the profile) say so instead of showing too few fields."""
    if getattr(_override, "pool", None) is not None:  # described_as(): the preview's sample
        return True
    describe_pool(), describe_client()
    return not ({_cache_key("pool"), _cache_key("client")} & _fallbacks)


def cached_descriptions() -> tuple[PoolDescription | None, ClientDescription | None]:
    """The descriptions already cached, without asking Cognito (``None`` when not cached)."""
    now = time.monotonic()
    found: list[Any] = []
    for kind in ("pool", "client"):
        hit = _process.get(_cache_key(kind))
        value = hit[1] if hit is not None and hit[0] > now else None
        if value is None:
            try:
                value = caches[app_settings.CACHE_ALIAS].get(_cache_key(kind))
            except Exception as error:
                outages.report("shared cache (pool description)", error)
        found.append(value)
    return found[0], found[1]


@contextmanager
def described_as(pool: PoolDescription, client: ClientDescription) -> Iterator[None]:
    """Use these descriptions in this thread for the block (the preview page's sample pool:
    forms render without a Cognito call)."""
    previous = (getattr(_override, "pool", None), getattr(_override, "client", None))
    _override.pool, _override.client = pool, client
    try:
        yield
    finally:
        _override.pool, _override.client = previous


def clear_cache() -> None:
    """Forget the cached descriptions (tests; after changing the pool)."""
    with _lock:
        _process.clear()
        _fallbacks.clear()
    caches[app_settings.CACHE_ALIAS].delete_many([_cache_key("pool"), _cache_key("client")])


# --- password policy ---------------------------------------------------------------------------
def password_policy() -> PasswordPolicy:
    return describe_pool().password_policy


def password_rules(policy: PasswordPolicy | None = None) -> list[str]:
    """The policy as sentences a visitor reads before typing a password."""
    policy = policy or password_policy()
    rules = [
        ngettext("at least %(count)d character", "at least %(count)d characters", policy.min_length)
        % {"count": policy.min_length}
    ]
    if policy.require_uppercase:
        rules.append(_("an uppercase letter (A to Z)"))
    if policy.require_lowercase:
        rules.append(_("a lowercase letter (a to z)"))
    if policy.require_numbers:
        rules.append(_("a number (0 to 9)"))
    if policy.require_symbols:
        rules.append(_("a symbol, such as ! ? @ # $ % & * - _ or a space"))
    return rules


def password_problems(password: str, policy: PasswordPolicy | None = None) -> list[str]:
    """What the password lacks under the pool's policy (empty: acceptable).

    Checked before Cognito is called so the visitor gets every rule at once; Cognito checks
    again. The password itself is never changed (no stripping, no normalisation).
    """
    policy = policy or password_policy()
    problems = []
    if len(password) < policy.min_length:
        problems.append(
            ngettext(
                "Use at least %(count)d character.",
                "Use at least %(count)d characters.",
                policy.min_length,
            )
            % {"count": policy.min_length}
        )
    if len(password) > 256:
        problems.append(_("Use at most 256 characters."))
    if policy.require_uppercase and not any("A" <= c <= "Z" for c in password):
        problems.append(_("Add an uppercase letter (A to Z)."))
    if policy.require_lowercase and not any("a" <= c <= "z" for c in password):
        problems.append(_("Add a lowercase letter (a to z)."))
    if policy.require_numbers and not any("0" <= c <= "9" for c in password):
        problems.append(_("Add a number (0 to 9)."))
    if policy.require_symbols and not any(c in SYMBOLS for c in password.strip()):
        problems.append(_("Add a symbol, such as ! ? @ # $ % & * - or _."))
    if password and password != password.strip():
        problems.append(_("Do not start or end the password with a space."))
    return problems


# --- attributes ----------------------------------------------------------------------------------
def writable(name: str, client: ClientDescription | None = None) -> bool:
    """May this app client write the attribute? (An empty list means: every attribute.)"""
    client = client or describe_client()
    return not client.write_attributes or name in client.write_attributes


def signup_attributes() -> list[AttributeSchema]:
    """Attributes asked for on sign-up: the pool's required ones, then the operator's list.

    The username attribute (email) and the password have their own fields; attributes the
    client may not write, or that are developer-only, are never asked for.
    """
    pool, client = describe_pool(), describe_client()
    chosen: list[AttributeSchema] = []
    # Required attributes the operator did not list come first; listed ones in their order.
    listed = app_settings.SIGNUP_ATTRIBUTES
    names = [a.name for a in pool.attributes if a.required and not a.is_custom]
    names = [n for n in names if n not in listed] + list(dict.fromkeys(listed))
    for name in names:
        if name == "email" or name in NOT_ASKED:
            continue
        schema = pool.attribute(name) or AttributeSchema(name=name)
        if schema.developer_only or not writable(name, client):
            logger.warning("Sign-up attribute %s is not writable by the client: skipped", name)
            continue
        chosen.append(schema)
    return chosen
