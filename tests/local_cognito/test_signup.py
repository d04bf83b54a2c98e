"""SignUp, ConfirmSignUp and ResendConfirmationCode with real codes in the outbox."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from local_cognito import LocalCognito, SeedResult

from .conftest import error_of, sign_in

EMAIL = "new@example.com"
PASSWORD = "Fresh-Passw0rd!"


def _sign_up(idp: Any, seed: SeedResult, email: str = EMAIL, **kwargs: Any) -> dict[str, Any]:
    return idp.sign_up(
        ClientId=seed.client_id, Username=email, Password=kwargs.pop("password", PASSWORD), **kwargs
    )


def test_sign_up_sends_a_code_and_confirm_checks_it(
    lc: LocalCognito, seed: SeedResult, idp: Any
) -> None:
    response = _sign_up(idp, seed, UserAttributes=[{"Name": "name", "Value": "New"}])
    assert response["UserConfirmed"] is False
    assert response["UserSub"]
    assert response["CodeDeliveryDetails"] == {
        "Destination": "n***@e***",
        "DeliveryMedium": "EMAIL",
        "AttributeName": "email",
    }
    code = lc.outbox.latest_code(EMAIL, "sign_up")
    with pytest.raises(idp.exceptions.UserNotConfirmedException):
        sign_in(idp, seed, EMAIL, PASSWORD)
    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(idp.exceptions.CodeMismatchException):
        idp.confirm_sign_up(ClientId=seed.client_id, Username=EMAIL, ConfirmationCode=wrong)
    confirmed = idp.confirm_sign_up(ClientId=seed.client_id, Username=EMAIL, ConfirmationCode=code)
    assert confirmed["Session"]
    user = idp.admin_get_user(UserPoolId=seed.pool_id, Username=EMAIL)
    assert user["UserStatus"] == "CONFIRMED"
    assert {"Name": "email_verified", "Value": "true"} in user["UserAttributes"]
    assert sign_in(idp, seed, EMAIL, PASSWORD)["AccessToken"]


def test_used_code_no_longer_works(lc: LocalCognito, seed: SeedResult, idp: Any) -> None:
    _sign_up(idp, seed)
    code = lc.outbox.latest_code(EMAIL, "sign_up")
    idp.confirm_sign_up(ClientId=seed.client_id, Username=EMAIL, ConfirmationCode=code)
    with pytest.raises(idp.exceptions.NotAuthorizedException, match="Current status is CONFIRMED"):
        idp.confirm_sign_up(ClientId=seed.client_id, Username=EMAIL, ConfirmationCode=code)


def test_sign_up_code_expires_after_24_hours(lc: LocalCognito, seed: SeedResult, idp: Any) -> None:
    _sign_up(idp, seed)
    code = lc.outbox.latest_code(EMAIL, "sign_up")
    lc.clock.advance(24 * 3600 + 1)
    with pytest.raises(idp.exceptions.ExpiredCodeException):
        idp.confirm_sign_up(ClientId=seed.client_id, Username=EMAIL, ConfirmationCode=code)


def test_five_wrong_codes_exhaust_the_attempts(
    lc: LocalCognito, seed: SeedResult, idp: Any
) -> None:
    _sign_up(idp, seed)
    code = lc.outbox.latest_code(EMAIL, "sign_up")
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(idp.exceptions.CodeMismatchException):
            idp.confirm_sign_up(ClientId=seed.client_id, Username=EMAIL, ConfirmationCode=wrong)
    with pytest.raises(idp.exceptions.TooManyFailedAttemptsException):
        idp.confirm_sign_up(ClientId=seed.client_id, Username=EMAIL, ConfirmationCode=code)


def test_resend_supersedes_the_previous_code(lc: LocalCognito, seed: SeedResult, idp: Any) -> None:
    _sign_up(idp, seed)
    first = lc.outbox.latest_code(EMAIL, "sign_up")
    response = idp.resend_confirmation_code(ClientId=seed.client_id, Username=EMAIL)
    assert response["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    second = lc.outbox.latest_code(EMAIL, "resend_confirmation")
    if first != second:
        with pytest.raises(idp.exceptions.CodeMismatchException):
            idp.confirm_sign_up(ClientId=seed.client_id, Username=EMAIL, ConfirmationCode=first)
    idp.confirm_sign_up(ClientId=seed.client_id, Username=EMAIL, ConfirmationCode=second)


def test_resend_for_confirmed_user_is_refused(seed: SeedResult, idp: Any) -> None:
    with pytest.raises(idp.exceptions.InvalidParameterException, match="already confirmed"):
        idp.resend_confirmation_code(ClientId=seed.client_id, Username=seed.demo_email)


def test_sign_up_with_taken_email(seed: SeedResult, idp: Any) -> None:
    with pytest.raises(idp.exceptions.UsernameExistsException):
        _sign_up(idp, seed, seed.demo_email)


def test_sign_up_enforces_the_password_policy(seed: SeedResult, idp: Any) -> None:
    cases = {
        "Sh0rt!a": "Password not long enough",
        "nouppercase1!": "Password must have uppercase characters",
        "NOLOWERCASE1!": "Password must have lowercase characters",
        "NoNumbers!!!": "Password must have numeric characters",
        "NoSymbols123": "Password must have symbol characters",
    }
    for password, message in cases.items():
        with pytest.raises(ClientError) as excinfo:
            _sign_up(idp, seed, password=password)
        assert error_of(excinfo) == (
            "InvalidPasswordException",
            f"Password did not conform with policy: {message}",
        )


def test_sign_up_checks_attributes_against_schema_and_client(seed: SeedResult, idp: Any) -> None:
    with pytest.raises(idp.exceptions.NotAuthorizedException, match="unauthorized attribute"):
        _sign_up(idp, seed, UserAttributes=[{"Name": "custom:role", "Value": "admin"}])
    with pytest.raises(idp.exceptions.InvalidParameterException, match="custom:seats"):
        _sign_up(idp, seed, UserAttributes=[{"Name": "custom:seats", "Value": "5000"}])
    with pytest.raises(idp.exceptions.InvalidParameterException, match="does not exist"):
        _sign_up(idp, seed, UserAttributes=[{"Name": "custom:nope", "Value": "x"}])
    with pytest.raises(idp.exceptions.InvalidParameterException):
        _sign_up(idp, seed, "not-an-email")
    with pytest.raises(idp.exceptions.InvalidParameterException, match="custom:company"):
        _sign_up(idp, seed, UserAttributes=[{"Name": "custom:company", "Value": "x" * 65}])
