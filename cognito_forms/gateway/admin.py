"""The ``Admin*`` operations (the Django admin, the purge command): they need AWS credentials
for the pool, which :func:`has_admin_credentials` detects once per process."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import boto3
from botocore.exceptions import BotoCoreError

from ..conf import app_settings
from ..types import CognitoUser
from . import connection

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp.type_defs import (
        AdminGetUserResponseTypeDef,
        AdminListGroupsForUserResponseTypeDef,
        ListUsersResponseTypeDef,
        UserTypeTypeDef,
    )

_credentials_found: dict[str, bool] = {}


def has_admin_credentials() -> bool:
    """Can this process sign admin calls (``Admin*``)? True against the embedded Cognito.

    boto3's credential chain is asked once per process (environment, files, instance role).
    """
    if app_settings.LOCAL_EMULATOR:
        return True
    if "found" not in _credentials_found:
        try:
            found = boto3.session.Session().get_credentials() is not None
        except BotoCoreError:
            found = False
        _credentials_found["found"] = found
    return _credentials_found["found"]


def forget_admin_credentials() -> None:
    """Ask boto3's credential chain again on the next :func:`has_admin_credentials` (tests)."""
    _credentials_found.clear()


def _user_call(operation: str, username: str, **params: Any) -> dict[str, Any]:
    return connection.call(
        operation, UserPoolId=app_settings.USER_POOL_ID, Username=username, **params
    )


def admin_get_user(*, username: str) -> CognitoUser:
    """AdminGetUser: attributes, status (CONFIRMED, FORCE_CHANGE_PASSWORD ...) and enabled."""
    response = cast("AdminGetUserResponseTypeDef", _user_call("admin_get_user", username))
    return CognitoUser(
        username=str(response.get("Username", "")),
        attributes=connection.attribute_map(response.get("UserAttributes")),
        mfa_options=tuple(response.get("UserMFASettingList") or ()),
        preferred_mfa=response.get("PreferredMfaSetting"),
        enabled=bool(response.get("Enabled", True)),
        status=response.get("UserStatus"),
        created_at=response.get("UserCreateDate"),
    )


def admin_disable_user(*, username: str) -> None:
    """AdminDisableUser: no more sign-ins; Cognito also revokes the user's tokens."""
    _user_call("admin_disable_user", username)


def admin_enable_user(*, username: str) -> None:
    _user_call("admin_enable_user", username)


def admin_reset_user_password(*, username: str) -> None:
    """AdminResetUserPassword: the user must choose a new password with a code sent to them."""
    _user_call("admin_reset_user_password", username)


def admin_user_global_sign_out(*, username: str) -> None:
    """AdminUserGlobalSignOut: every refresh token of the user stops working."""
    _user_call("admin_user_global_sign_out", username)


def admin_add_user_to_group(*, username: str, group: str) -> None:
    _user_call("admin_add_user_to_group", username, GroupName=group)


def admin_remove_user_from_group(*, username: str, group: str) -> None:
    _user_call("admin_remove_user_from_group", username, GroupName=group)


def admin_delete_user(*, username: str) -> None:
    """AdminDeleteUser: the account is gone; its address can sign up afresh."""
    _user_call("admin_delete_user", username)


def admin_list_groups_for_user(*, username: str) -> tuple[str, ...]:
    """The names of the user's groups (first 60; enough for an admin page)."""
    response = _user_call("admin_list_groups_for_user", username, Limit=60)
    groups = cast("AdminListGroupsForUserResponseTypeDef", response).get("Groups", [])
    return tuple(str(g.get("GroupName", "")) for g in groups)


def _listed_user(u: UserTypeTypeDef) -> CognitoUser:
    return CognitoUser(
        username=str(u.get("Username", "")),
        attributes=connection.attribute_map(u.get("Attributes")),
        enabled=bool(u.get("Enabled", True)),
        status=u.get("UserStatus"),
        created_at=u.get("UserCreateDate"),
    )


def list_users(
    *, filter_expression: str, pagination_token: str | None = None
) -> tuple[tuple[CognitoUser, ...], str | None]:
    """ListUsers: one page (at most 60) of users matching a filter, and the next page's token."""
    params: dict[str, Any] = {
        "UserPoolId": app_settings.USER_POOL_ID,
        "Filter": filter_expression,
        "Limit": 60,
    }
    if pagination_token:
        params["PaginationToken"] = pagination_token
    response = cast("ListUsersResponseTypeDef", connection.call("list_users", **params))
    users = tuple(_listed_user(u) for u in response.get("Users", []))
    return users, response.get("PaginationToken") or None
