"""ForgotPassword / ConfirmForgotPassword: real code, 1-hour expiry, policy, attempt limit."""

from __future__ import annotations

from typing import Any

import pytest

from local_cognito import LocalCognito, SeedResult

from .conftest import sign_in

NEW = "Another-Passw0rd!"


def _forgot(lc: LocalCognito, idp: Any, seed: SeedResult) -> str:
    response = idp.forgot_password(ClientId=seed.client_id, Username=seed.demo_email)
    assert response["CodeDeliveryDetails"] == {
        "Destination": "d***@e***",
        "DeliveryMedium": "EMAIL",
        "AttributeName": "email",
    }
    return lc.outbox.latest_code(seed.demo_email, "forgot_password")


def _confirm(idp: Any, seed: SeedResult, code: str, password: str = NEW) -> None:
    idp.confirm_forgot_password(
        ClientId=seed.client_id, Username=seed.demo_email, ConfirmationCode=code, Password=password
    )


def test_reset_with_the_code_changes_the_password(
    lc: LocalCognito, seed: SeedResult, idp: Any
) -> None:
    code = _forgot(lc, idp, seed)
    _confirm(idp, seed, code)
    assert sign_in(idp, seed, password=NEW)["AccessToken"]
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        sign_in(idp, seed)
    with pytest.raises(idp.exceptions.ExpiredCodeException):
        _confirm(idp, seed, code, "Third-Passw0rd!!")  # used codes are gone


def test_wrong_code_is_a_mismatch(lc: LocalCognito, seed: SeedResult, idp: Any) -> None:
    code = _forgot(lc, idp, seed)
    with pytest.raises(idp.exceptions.CodeMismatchException):
        _confirm(idp, seed, "000000" if code != "000000" else "111111")


def test_code_expires_after_an_hour(lc: LocalCognito, seed: SeedResult, idp: Any) -> None:
    code = _forgot(lc, idp, seed)
    lc.clock.advance(3601)
    with pytest.raises(idp.exceptions.ExpiredCodeException):
        _confirm(idp, seed, code)


def test_new_code_supersedes_the_old(lc: LocalCognito, seed: SeedResult, idp: Any) -> None:
    first = _forgot(lc, idp, seed)
    second = _forgot(lc, idp, seed)
    if first != second:
        with pytest.raises(idp.exceptions.CodeMismatchException):
            _confirm(idp, seed, first)
    _confirm(idp, seed, second)


def test_password_policy_is_enforced(lc: LocalCognito, seed: SeedResult, idp: Any) -> None:
    code = _forgot(lc, idp, seed)
    with pytest.raises(idp.exceptions.InvalidPasswordException, match="not long enough"):
        _confirm(idp, seed, code, "Sh0rt!")
    _confirm(idp, seed, code)  # the code survives a policy failure


def test_too_many_wrong_codes(lc: LocalCognito, seed: SeedResult, idp: Any) -> None:
    code = _forgot(lc, idp, seed)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(idp.exceptions.CodeMismatchException):
            _confirm(idp, seed, wrong)
    with pytest.raises(idp.exceptions.LimitExceededException):
        _confirm(idp, seed, code)


def test_confirm_without_a_requested_code_is_expired(seed: SeedResult, idp: Any) -> None:
    with pytest.raises(idp.exceptions.ExpiredCodeException):
        _confirm(idp, seed, "123456")
