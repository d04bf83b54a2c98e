"""The one package that talks to Cognito (boto3 ``cognito-idp``); nothing else imports boto3.

Functions are named after what the user does, take keyword-only typed arguments and return the
frozen dataclasses of :mod:`cognito_forms.types`, never raw dicts. The modules follow the
seams: :mod:`.connection` (the client, its timeouts, retries and counters, the error table,
SECRET_HASH and user context data), :mod:`.auth` (unauthenticated operations), :mod:`.account`
(the user's own access token), :mod:`.describe` (pool and client) and :mod:`.admin`
(``Admin*``). Callers use this namespace: ``from cognito_forms import gateway;
gateway.sign_up(...)``. ``gateway.client`` is the function that returns the boto3 client (the
module holding it is :mod:`.connection`).
"""

from __future__ import annotations

from .account import (
    associate_software_token,
    change_password,
    delete_user,
    delete_user_attributes,
    get_user,
    get_user_attribute_verification_code,
    set_mfa_preference,
    update_user_attributes,
    verify_software_token,
    verify_user_attribute,
)
from .admin import (
    admin_add_user_to_group,
    admin_delete_user,
    admin_disable_user,
    admin_enable_user,
    admin_get_user,
    admin_list_groups_for_user,
    admin_remove_user_from_group,
    admin_reset_user_password,
    admin_user_global_sign_out,
    forget_admin_credentials,
    has_admin_credentials,
    list_users,
)
from .auth import (
    confirm_forgot_password,
    confirm_sign_up,
    forgot_password,
    global_sign_out,
    initiate_auth,
    refresh,
    resend_confirmation_code,
    respond_to_challenge,
    revoke,
    sign_up,
)
from .connection import ERRORS, attempts, calls, client, reset_counters
from .describe import describe_client, describe_pool

__all__ = [
    "ERRORS",
    "admin_add_user_to_group",
    "admin_delete_user",
    "admin_disable_user",
    "admin_enable_user",
    "admin_get_user",
    "admin_list_groups_for_user",
    "admin_remove_user_from_group",
    "admin_reset_user_password",
    "admin_user_global_sign_out",
    "associate_software_token",
    "attempts",
    "calls",
    "change_password",
    "client",
    "confirm_forgot_password",
    "confirm_sign_up",
    "delete_user",
    "delete_user_attributes",
    "describe_client",
    "describe_pool",
    "forget_admin_credentials",
    "forgot_password",
    "get_user",
    "get_user_attribute_verification_code",
    "global_sign_out",
    "has_admin_credentials",
    "initiate_auth",
    "list_users",
    "refresh",
    "resend_confirmation_code",
    "reset_counters",
    "respond_to_challenge",
    "revoke",
    "set_mfa_preference",
    "sign_up",
    "update_user_attributes",
    "verify_software_token",
    "verify_user_attribute",
]
