"""Account-level changes of the signed-in user: re-authentication, password change, deletion.

Re-authentication is a fresh SRP sign-in for the current user (the password is proved, never
sent); its tokens replace the browser's so ``auth_time`` is recent again.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import exceptions as exc
from .. import gateway, tokens
from ..conf import app_settings
from ..types import AuthResult
from . import session, signin


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


def reauthenticate(*, username: str, password: str) -> AuthResult:
    """Sign the current user in again; tokens, or an MFA challenge to answer.

    Every credential failure becomes ``WrongPassword`` (a field error on the page).
    """
    try:
        return signin.sign_in(username, password)
    except exc.SignInFailed as error:
        raise exc.WrongPassword(error.code) from error


def change_password(
    *,
    access_token: str,
    username: str,
    sub: str,
    current: str,
    new: str,
    sign_out_others: bool,
) -> AuthResult | None:
    """ChangePassword; with ``sign_out_others`` also GlobalSignOut, then a fresh sign-in.

    GlobalSignOut revokes this browser's tokens as well, so the user is signed in again with
    the new password: the result (tokens or an MFA challenge) is for this browser only, and
    its session is to start with ``after_signing_out_everywhere`` (docs/security.md S4).
    Returns ``None`` when the other sessions were left alone.
    """
    try:
        gateway.change_password(access_token=access_token, previous=current, proposed=new)
    except exc.NotAuthorized as error:
        raise exc.WrongPassword(error.code, field="current_password") from error
    except exc.InvalidPassword as error:
        raise exc.InvalidPassword(error.code, field="new_password") from error
    if not sign_out_others:
        return None
    session.end_every_session(sub, access_token=access_token)
    return signin.sign_in(username, new)


def delete_account(*, access_token: str) -> None:
    """DeleteUser: the Cognito account is gone (its tokens stop working)."""
    gateway.delete_user(access_token=access_token)
