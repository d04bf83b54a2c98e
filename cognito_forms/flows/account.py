"""Account-level changes of the signed-in user: re-authentication, password change, deletion.

Re-authentication is a fresh SRP sign-in for the current user (the password is proved, never
sent); its tokens replace the browser's so ``auth_time`` is recent again.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from django.http import HttpRequest
from django.urls import reverse

from .. import exceptions as exc
from .. import gateway, tokens
from ..conf import app_settings
from ..security_log import log_event
from ..steps import SIGNED_OUT_OTHERS, GoTo, SignedOut, Step, with_message
from . import auth, session, signin


def auth_age(claims: Mapping[str, Any]) -> float:
    """Seconds since the user last proved their password (``auth_time`` of the tokens)."""
    auth_time = claims.get("auth_time")
    if isinstance(auth_time, bool) or not isinstance(auth_time, int | float):
        return float("inf")
    return tokens.now() - float(auth_time)


def needs_reauthentication(claims: Mapping[str, Any]) -> bool:
    """True when the last sign-in is older than ``COGNITO_REAUTH_MAX_AGE`` seconds."""
    return auth_age(claims) > app_settings.REAUTH_MAX_AGE


def username_of(claims: Mapping[str, Any]) -> str:
    """The name to sign in with again: the email (our pools use email as the username)."""
    return str(claims.get("email") or claims.get("cognito:username") or "")


def reauthenticate(
    request: HttpRequest, *, username: str, password: str, sub: str, next_url: str
) -> Step:
    """Sign the current user in again: signed in afresh, or an MFA challenge to answer.

    Every credential failure becomes ``WrongPassword`` (a field error on the page).
    """
    try:
        result = auth.password_sign_in(username, password)
    except exc.SignInFailed as error:
        raise exc.WrongPassword(error.code) from error
    log_event(request, "reauthenticated", sub=sub)
    return signin.finish(request, result, email=username, next_url=next_url)


def change_password(
    request: HttpRequest,
    *,
    access_token: str,
    username: str,
    sub: str,
    current: str,
    new: str,
    sign_out_others: bool,
) -> Step:
    """ChangePassword; with ``sign_out_others`` also GlobalSignOut, then a fresh sign-in.

    GlobalSignOut revokes this browser's tokens as well, so the user is signed in again with
    the new password: the result (tokens or an MFA challenge) is for this browser only, and
    its session is to start with ``after_signing_out_everywhere`` (docs/security.md S4).
    """
    try:
        gateway.change_password(access_token=access_token, previous=current, proposed=new)
    except exc.NotAuthorized as error:
        raise exc.WrongPassword(error.code, field="current_password") from error
    except exc.InvalidPassword as error:
        raise exc.InvalidPassword(error.code, field="new_password") from error
    log_event(request, "password_changed", sub=sub, signed_out_others=sign_out_others)
    done = "cognito_forms:password_change"
    if not sign_out_others:
        return GoTo(done, message="password_changed", level="success")
    session.end_every_session(sub, access_token=access_token)
    result = auth.password_sign_in(username, new)
    step = signin.finish(
        request, result, email=username, next_url=reverse(done), then=SIGNED_OUT_OTHERS
    )
    return with_message(step, "password_changed")


def delete_account(request: HttpRequest, *, access_token: str, sub: str) -> SignedOut:
    """DeleteUser: the Cognito account is gone (its tokens stop working). The session ends
    and the local user is deleted or deactivated (``COGNITO_DELETE_LOCAL_USER``)."""
    gateway.delete_user(access_token=access_token)
    log_event(request, "account_deleted", sub=sub)
    policy: Literal["delete", "deactivate"] = (
        "delete" if app_settings.DELETE_LOCAL_USER else "deactivate"
    )
    return SignedOut("cognito_forms:delete_done", local_user=policy)


def retire_local_user(user: Any, *, delete: bool) -> None:
    """The local user of a deleted account: deleted, or kept inactive (it cannot sign in)."""
    if not user.is_authenticated or getattr(user, "pk", None) is None:
        return
    if delete:
        user.delete()
    else:
        user.is_active = False
        user.save(update_fields=["is_active"])
