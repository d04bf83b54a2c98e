"""The operation registry: each Cognito action we add to moto or tighten, and its handler.

moto routes ``X-Amz-Target: AWSCognitoIdentityProviderService.<Action>`` to the snake_case
method of ``CognitoIdpResponse``. ``install()`` sets those methods once, each looking its
handler up in ``OPERATIONS`` at call time, so the same behaviour serves our server and plain
``mock_aws`` alike. The handler modules (one per group) import nothing from here: only
``ops.call``, so there is no import cycle.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable

from moto.cognitoidp import responses as moto_responses
from moto.core.responses import ActionResult
from moto.core.utils import camelcase_to_underscores

from . import account, admin, auth, mfa, signup, tokens
from .call import Call, Operation
from .hooks import install_hooks

__all__ = ["ADDED", "OPERATIONS", "Call", "Operation", "check_moto", "install"]

#: Cognito action -> our handler. One entry per action (a repeated key is a lint error).
OPERATIONS: dict[str, Operation] = {
    # account: one's own account, with an access token
    "GetUser": account.get_user,
    "UpdateUserAttributes": account.update_user_attributes,
    "GetUserAttributeVerificationCode": account.get_user_attribute_verification_code,
    "VerifyUserAttribute": account.verify_user_attribute,
    "DeleteUserAttributes": account.delete_user_attributes,
    "ChangePassword": account.change_password,
    "DeleteUser": account.delete_user,
    # admin
    "AdminCreateUser": admin.admin_create_user,
    "AdminSetUserPassword": admin.admin_set_user_password,
    "AdminResetUserPassword": admin.admin_reset_user_password,
    "AdminConfirmSignUp": admin.admin_confirm_sign_up,
    "AdminDisableUser": admin.admin_disable_user,
    "AdminDeleteUser": admin.admin_delete_user,
    "AdminUpdateUserAttributes": admin.admin_update_user_attributes,
    "UpdateUserPool": admin.update_user_pool,
    # auth: sign-in on our own engine
    "InitiateAuth": auth.initiate_auth,
    "AdminInitiateAuth": auth.admin_initiate_auth,
    "RespondToAuthChallenge": auth.respond_to_auth_challenge,
    "AdminRespondToAuthChallenge": auth.admin_respond_to_auth_challenge,
    # mfa: software tokens, preferences, the pool's MFA configuration
    "AssociateSoftwareToken": mfa.associate_software_token,
    "VerifySoftwareToken": mfa.verify_software_token,
    "SetUserMFAPreference": mfa.set_user_mfa_preference,
    "AdminSetUserMFAPreference": mfa.admin_set_user_mfa_preference,
    "SetUserPoolMfaConfig": mfa.set_user_pool_mfa_config,
    "GetUserPoolMfaConfig": mfa.get_user_pool_mfa_config,
    # signup: sign-up and forgotten passwords
    "SignUp": signup.sign_up,
    "ConfirmSignUp": signup.confirm_sign_up,
    "ResendConfirmationCode": signup.resend_confirmation_code,
    "ForgotPassword": signup.forgot_password,
    "ConfirmForgotPassword": signup.confirm_forgot_password,
    # tokens: refresh, revocation, sign-out everywhere
    "GetTokensFromRefreshToken": tokens.get_tokens_from_refresh_token,
    "RevokeToken": tokens.revoke_token,
    "GlobalSignOut": tokens.global_sign_out,
    "AdminUserGlobalSignOut": tokens.admin_user_global_sign_out,
}

#: The actions moto 5.2.5 lacks (we add them); every other entry replaces moto's own method.
ADDED = frozenset(
    {
        "GetUserAttributeVerificationCode",
        "VerifyUserAttribute",
        "DeleteUserAttributes",
        "DeleteUser",
        "ResendConfirmationCode",
        "GetTokensFromRefreshToken",
        "RevokeToken",
    }
)

_install_lock = threading.Lock()
_installed = False


def check_moto(cls: type, actions: Iterable[str] = OPERATIONS) -> None:
    """Refuse a moto whose response class no longer matches what this registry was written
    against: a method we replace is gone (renamed: ours would never be called), or one we add
    has appeared (moto now implements it: review whether ours still differs)."""
    for action in actions:
        has = hasattr(cls, camelcase_to_underscores(action))
        if has == (action in ADDED):
            change = "now implements" if has else "no longer has a method for"
            raise RuntimeError(
                f"moto's {cls.__name__} {change} {action}: review local_cognito.ops "
                "(written against moto 5.2.5)"
            )


def _method(action: str) -> Callable[[moto_responses.CognitoIdpResponse], ActionResult]:
    def method(self: moto_responses.CognitoIdpResponse) -> ActionResult:
        params = json.loads(self.body or "{}")
        return ActionResult(OPERATIONS[action](Call(action, params)) or {})

    method.__name__ = camelcase_to_underscores(action)
    method.__qualname__ = f"{moto_responses.CognitoIdpResponse.__name__}.{method.__name__}"
    return method


def install() -> None:
    """Patch moto's cognito-idp response class, once per process (later calls do nothing)."""
    global _installed
    with _install_lock:
        if _installed:
            return
        cls = moto_responses.CognitoIdpResponse
        check_moto(cls)
        for action in OPERATIONS:
            setattr(cls, camelcase_to_underscores(action), _method(action))
        install_hooks(cls)
        _installed = True
