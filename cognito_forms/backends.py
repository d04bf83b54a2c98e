"""The authentication backend: verified Cognito tokens -> the linked local user.

It subclasses ``ModelBackend`` for permissions (groups synced from ``cognito:groups`` carry
them), but never authenticates a username and password: those are Cognito's business.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from . import tokens
from .adapter import get_adapter
from .conf import app_settings
from .exceptions import KeysUnavailable, TokenError
from .models import CognitoIdentity
from .process_memo import MISSING, ProcessMemo
from .signals import user_synced
from .types import TokenSet

BACKEND_PATH = "cognito_forms.backends.CognitoBackend"

#: sub -> (model, database alias, field names, values) of the linked user, to rebuild a fresh
#: instance without a query for ``COGNITO_USER_CACHE_SECONDS`` (never a shared instance:
#: views may change the one they get).
_users = ProcessMemo()


def forget_cached_users(**_: Any) -> None:
    """Drop the memo (connected to the user model's post_save/post_delete in apps.py)."""
    _users.clear()


def _remember(sub: str, user: AbstractBaseUser) -> None:
    names = tuple(f.attname for f in user._meta.concrete_fields)
    values = tuple(getattr(user, name) for name in names)
    _users.set(sub, (type(user), user._state.db, names, values))


def _recall(sub: str) -> AbstractBaseUser | None:
    entry = _users.get(sub, app_settings.USER_CACHE_SECONDS)
    if entry is MISSING:
        return None
    model, alias, names, values = entry
    user: AbstractBaseUser = model.from_db(alias, names, values)
    return user


def user_for_claims(claims: Mapping[str, Any], *, sync: bool = False) -> AbstractBaseUser | None:
    """The local user linked to verified ``claims`` (one query), created on first sight;
    synced from the claims if ``sync`` (a new ID token arrived). Callers verify first."""
    sub = str(claims.get("sub") or "")
    if not sub:
        return None
    if not sync:
        remembered = _recall(sub)
        if remembered is not None:
            remembered.backend = BACKEND_PATH
            return remembered
    identity = CognitoIdentity.objects.select_related("user").filter(sub=sub).first()
    if identity is None:
        return _create(claims)
    user = identity.user
    if sync:
        sync_user(user, claims, identity=identity)
    _remember(sub, user)
    user.backend = BACKEND_PATH
    return user


def active_user_for_claims(claims: Mapping[str, Any]) -> AbstractBaseUser | None:
    """:func:`user_for_claims`, or ``None`` when that user may not sign in (inactive)."""
    user = user_for_claims(claims)
    return user if user is not None and can_authenticate(user) else None


def can_authenticate(user: AbstractBaseUser) -> bool:
    # ModelBackend's rule: an inactive user (is_active False) is refused.
    return bool(getattr(user, "is_active", True))


def _create(claims: Mapping[str, Any]) -> AbstractBaseUser | None:
    adapter = get_adapter()
    try:
        with transaction.atomic():
            user = adapter.new_user(claims)
            adapter.populate_user(user, claims)
            adapter.sync_flags(user, adapter.groups_from_claims(claims))
            user.save()
            CognitoIdentity.objects.create(
                user=user,  # type: ignore[misc]
                sub=str(claims["sub"]),
                username=str(claims.get("cognito:username") or "")[:255],
                issuer=str(claims.get("iss") or "")[:255],
                synced_at=timezone.now(),
            )
            adapter.sync_groups(user, adapter.groups_from_claims(claims))
    except IntegrityError:
        # A concurrent first request linked the same sub: use the winner's user.
        identity = (
            CognitoIdentity.objects.select_related("user").filter(sub=str(claims["sub"])).first()
        )
        if identity is None:
            return None
        user = identity.user
    else:
        user_synced.send(sender=CognitoBackend, user=user, claims=dict(claims), created=True)
    user.backend = BACKEND_PATH
    return user


def sync_user(
    user: AbstractBaseUser,
    claims: Mapping[str, Any],
    *,
    identity: CognitoIdentity | None = None,
) -> None:
    """Copy claims and groups onto ``user`` (a new ID token arrived)."""
    adapter = get_adapter()
    groups = adapter.groups_from_claims(claims)
    changed = adapter.populate_user(user, claims)
    changed = adapter.sync_flags(user, groups) or changed
    if changed:
        user.save()
    adapter.sync_groups(user, groups)
    if identity is not None:
        CognitoIdentity.objects.filter(pk=identity.pk).update(synced_at=timezone.now())
    user_synced.send(sender=CognitoBackend, user=user, claims=dict(claims), created=False)


class CognitoBackend(ModelBackend):
    """``authenticate(request, cognito_tokens=TokenSet)``: the backend verifies the tokens
    itself, so no caller can hand it claims of its own making."""

    def authenticate(  # type: ignore[override]
        self,
        request: HttpRequest | None,
        cognito_tokens: TokenSet | None = None,
        **kwargs: Any,
    ) -> AbstractBaseUser | None:
        # Not ours (e.g. username/password for ModelBackend): None lets the next backend try.
        if not isinstance(cognito_tokens, TokenSet):
            return None
        try:
            # Signature, issuer, audience, expiry and token use, as for every session cookie.
            id_claims, _ = tokens.verify_pair(cognito_tokens.id_token, cognito_tokens.access_token)
        except KeysUnavailable:
            raise  # an outage, not a refusal: the sign-in answers 503 and keeps the input
        except TokenError:
            return None  # forged, expired or another pool's: no user (docs/security.md T1)
        user = user_for_claims(id_claims, sync=True)
        if user is None or not self.user_can_authenticate(user):  # type: ignore[arg-type]
            return None
        return user
