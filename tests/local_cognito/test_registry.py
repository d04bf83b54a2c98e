"""The operation registry (local_cognito.ops): what we add to moto or tighten, each exactly once,
and each reached through boto3; a moto that moved a method is refused at install."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.config import Config
from moto.cognitoidp.responses import CognitoIdpResponse
from moto.core.utils import camelcase_to_underscores

from local_cognito import LocalCognito, SeedResult, ops
from local_cognito.ops import ADDED, OPERATIONS, Call, check_moto

#: Actions moto 5.2.5 lacks: ours alone.
EXPECTED_ADDED = {
    "GetUserAttributeVerificationCode",
    "VerifyUserAttribute",
    "DeleteUserAttributes",
    "DeleteUser",
    "ResendConfirmationCode",
    "GetTokensFromRefreshToken",
    "RevokeToken",
}
#: Actions moto implements too laxly: ours replace its methods.
EXPECTED_TIGHTENED = {
    "GetUser",
    "UpdateUserAttributes",
    "ChangePassword",
    "AdminCreateUser",
    "AdminSetUserPassword",
    "AdminResetUserPassword",
    "AdminConfirmSignUp",
    "AdminDisableUser",
    "AdminDeleteUser",
    "AdminUpdateUserAttributes",
    "UpdateUserPool",
    "InitiateAuth",
    "AdminInitiateAuth",
    "RespondToAuthChallenge",
    "AdminRespondToAuthChallenge",
    "AssociateSoftwareToken",
    "VerifySoftwareToken",
    "SetUserMFAPreference",
    "AdminSetUserMFAPreference",
    "SetUserPoolMfaConfig",
    "GetUserPoolMfaConfig",
    "SignUp",
    "ConfirmSignUp",
    "ForgotPassword",
    "ConfirmForgotPassword",
    "GlobalSignOut",
    "AdminUserGlobalSignOut",
}
GROUPS = {"account", "admin", "auth", "mfa", "signup", "tokens"}


def test_each_operation_is_registered_once_with_its_own_handler() -> None:
    assert set(OPERATIONS) == EXPECTED_ADDED | EXPECTED_TIGHTENED
    assert set(ADDED) == EXPECTED_ADDED
    handlers = list(OPERATIONS.values())
    assert len(set(handlers)) == len(handlers), "one handler serves two actions"
    for action, handler in OPERATIONS.items():
        group = handler.__module__.removeprefix("local_cognito.ops.")
        assert group in GROUPS, f"{action} is handled outside the ops group modules"
        # The handler is named after its action: the table cannot cross two of them.
        assert handler.__name__ == camelcase_to_underscores(action)


def _raw_client(lc: LocalCognito) -> Any:
    """A boto3 client that sends whatever it is given: the spies answer, not the real checks."""
    return boto3.client(
        "cognito-idp",
        region_name="us-east-1",
        endpoint_url=lc.base_url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"max_attempts": 1}, parameter_validation=False),
    )


def test_every_operation_reaches_our_handler_through_boto3(
    lc: LocalCognito, seed: SeedResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    reached: list[str] = []

    def spy(call: Call) -> dict[str, Any]:
        reached.append(call.action)
        return {}

    for action in OPERATIONS:
        monkeypatch.setitem(OPERATIONS, action, spy)
    idp = _raw_client(lc)
    method_of = {api: method for method, api in idp.meta.method_to_api_mapping.items()}
    for action in sorted(OPERATIONS):
        getattr(idp, method_of[action])()
        assert reached[-1:] == [action], f"{action} did not reach our handler"
    assert len(reached) == len(OPERATIONS)
    assert all(lc.calls[action] == 1 for action in OPERATIONS)


def test_install_refuses_a_moto_that_moved_a_method() -> None:
    """What install() checks moto's pristine class with before patching it: here on stand-ins,
    since the real class carries our methods by now."""
    tightened = {camelcase_to_underscores(a): None for a in OPERATIONS if a not in ADDED}
    check_moto(type("CognitoIdpResponse", (), tightened))

    renamed = {k: v for k, v in tightened.items() if k != "get_user"}
    renamed["get_user_v2"] = None
    with pytest.raises(RuntimeError, match="no longer has a method for GetUser"):
        check_moto(type("CognitoIdpResponse", (), renamed))

    grown = {**tightened, "revoke_token": None}
    with pytest.raises(RuntimeError, match="now implements RevokeToken"):
        check_moto(type("CognitoIdpResponse", (), grown))


def test_install_patches_moto_once(lc: LocalCognito) -> None:
    before = {a: getattr(CognitoIdpResponse, camelcase_to_underscores(a)) for a in OPERATIONS}
    call_action = CognitoIdpResponse.call_action
    ops.install()
    LocalCognito()
    assert CognitoIdpResponse.call_action is call_action  # not wrapped a second time
    for action, method in before.items():
        assert getattr(CognitoIdpResponse, camelcase_to_underscores(action)) is method
        assert method.__module__ == "local_cognito.ops"
