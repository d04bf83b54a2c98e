"""What the Django admin does to a linked user in the pool (``Admin*`` calls, AWS credentials).

Offered when ``COGNITO_ADMIN_ENABLED`` is on; by default, when the embedded Cognito is used or
boto3 finds credentials. Cognito failures raise our exceptions; the admin shows them as
messages. Disabling a user and signing them out everywhere also deny their current sessions
on this site at once: tokens verify locally, so Cognito's revocation alone would leave a
signed-in browser working until its access token expires.
"""

from __future__ import annotations

from .. import gateway, revocation
from ..conf import app_settings
from ..types import CognitoUser
from . import session


def enabled() -> bool:
    """Are the admin's Cognito status and actions offered?"""
    configured = app_settings.ADMIN_ENABLED
    return gateway.has_admin_credentials() if configured is None else configured


def describe(username: str) -> tuple[CognitoUser, tuple[str, ...]]:
    """The user's status and attributes (AdminGetUser) and groups (AdminListGroupsForUser)."""
    user = gateway.admin_get_user(username=username)
    return user, gateway.admin_list_groups_for_user(username=username)


def disable(username: str, sub: str) -> None:
    gateway.admin_disable_user(username=username)
    # AdminDisableUser revokes the user's tokens at Cognito: the same deny as signing out.
    revocation.revoke_user_sessions(sub)


def enable(username: str) -> None:
    gateway.admin_enable_user(username=username)


def reset_password(username: str) -> None:
    """The user gets a code to choose a new password; their current password stops working."""
    gateway.admin_reset_user_password(username=username)


def sign_out_everywhere(username: str, sub: str) -> None:
    session.end_every_session(sub, username=username)


def add_to_group(username: str, group: str) -> None:
    """The change reaches the user's tokens (and Django groups) at their next refresh."""
    gateway.admin_add_user_to_group(username=username, group=group)


def remove_from_group(username: str, group: str) -> None:
    gateway.admin_remove_user_from_group(username=username, group=group)
