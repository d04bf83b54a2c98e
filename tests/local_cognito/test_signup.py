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
    confirmed = idp.confirm_sign_up(
        ClientId=seed.client_id, Username=EMAIL, ConfirmationCode=code, Session=response["Session"]
    )
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


# --- SignUp's Session and signing in after confirmation (docs/security.md S1) ------------------
ATTACKER_PASSWORD = "Attacker-Passw0rd!"


def _confirm(idp: Any, seed: SeedResult, code: str, **kwargs: Any) -> dict[str, Any]:
    return idp.confirm_sign_up(  # type: ignore[no-any-return]
        ClientId=seed.client_id, Username=EMAIL, ConfirmationCode=code, **kwargs
    )


def _sign_in_with(idp: Any, seed: SeedResult, session: str) -> dict[str, Any]:
    return idp.initiate_auth(  # type: ignore[no-any-return]
        ClientId=seed.client_id,
        AuthFlow="USER_AUTH",
        Session=session,
        AuthParameters={"USERNAME": EMAIL},
    )


def test_sign_up_session_through_confirm_signs_in_without_a_password(
    lc: LocalCognito, seed: SeedResult, idp: Any
) -> None:
    signed_up = _sign_up(idp, seed)
    assert len(signed_up["Session"]) > 100
    confirmed = _confirm(
        idp, seed, lc.outbox.latest_code(EMAIL, "sign_up"), Session=signed_up["Session"]
    )
    assert confirmed["Session"] != signed_up["Session"]
    tokens = _sign_in_with(idp, seed, confirmed["Session"])["AuthenticationResult"]
    assert tokens["AccessToken"]


def test_confirm_without_the_sign_up_session_confirms_but_gives_no_session(
    lc: LocalCognito, seed: SeedResult, idp: Any
) -> None:
    _sign_up(idp, seed)
    confirmed = _confirm(idp, seed, lc.outbox.latest_code(EMAIL, "sign_up"))
    assert "Session" not in confirmed
    user = idp.admin_get_user(UserPoolId=seed.pool_id, Username=EMAIL)
    assert user["UserStatus"] == "CONFIRMED"


def test_confirm_with_another_sign_ups_session_gives_no_session(
    lc: LocalCognito, seed: SeedResult, idp: Any
) -> None:
    other = _sign_up(idp, seed, "other@example.com")
    _sign_up(idp, seed)
    confirmed = _confirm(
        idp, seed, lc.outbox.latest_code(EMAIL, "sign_up"), Session=other["Session"]
    )
    assert "Session" not in confirmed
    # The other sign-up's Session still serves its own user.
    code = lc.outbox.latest_code("other@example.com", "sign_up")
    own = idp.confirm_sign_up(
        ClientId=seed.client_id,
        Username="other@example.com",
        ConfirmationCode=code,
        Session=other["Session"],
    )
    assert own["Session"]


def test_sign_up_session_is_not_a_sign_in_session(
    lc: LocalCognito, seed: SeedResult, idp: Any
) -> None:
    signed_up = _sign_up(idp, seed)
    _confirm(idp, seed, lc.outbox.latest_code(EMAIL, "sign_up"))
    with pytest.raises(idp.exceptions.NotAuthorizedException, match="Invalid session"):
        _sign_in_with(idp, seed, signed_up["Session"])


def test_a_wrong_code_keeps_the_sign_up_session_for_the_right_one(
    lc: LocalCognito, seed: SeedResult, idp: Any
) -> None:
    signed_up = _sign_up(idp, seed)
    code = lc.outbox.latest_code(EMAIL, "sign_up")
    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(idp.exceptions.CodeMismatchException):
        _confirm(idp, seed, wrong, Session=signed_up["Session"])
    assert _confirm(idp, seed, code, Session=signed_up["Session"])["Session"]


def test_sign_up_session_of_a_deleted_user_does_not_serve_a_new_sign_up(
    lc: LocalCognito, seed: SeedResult, idp: Any
) -> None:
    first = _sign_up(idp, seed, password=ATTACKER_PASSWORD)
    idp.admin_delete_user(UserPoolId=seed.pool_id, Username=EMAIL)
    _sign_up(idp, seed)
    confirmed = _confirm(
        idp, seed, lc.outbox.latest_code(EMAIL, "sign_up"), Session=first["Session"]
    )
    assert "Session" not in confirmed


def test_second_sign_up_of_an_unconfirmed_address_is_refused_without_a_session(
    lc: LocalCognito, seed: SeedResult, idp: Any
) -> None:
    """The pre-hijacking sequence as Cognito sees it: whoever signs up first sets the password;
    the mailbox owner's own sign-up is refused and gets no Session, so their confirmation
    (without one) gives none, and the first sign-up's Session cannot sign anyone in."""
    attacker = _sign_up(idp, seed, password=ATTACKER_PASSWORD)
    with pytest.raises(idp.exceptions.UsernameExistsException) as refused:
        _sign_up(idp, seed)
    assert "Session" not in refused.value.response
    confirmed = _confirm(idp, seed, lc.outbox.latest_code(EMAIL, "sign_up"))
    assert "Session" not in confirmed
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        _confirm(idp, seed, "123456", Session=attacker["Session"])
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        _sign_in_with(idp, seed, attacker["Session"])
    # What the product must live with: the first sign-up's password is the account's.
    assert sign_in(idp, seed, EMAIL, ATTACKER_PASSWORD)["AccessToken"]
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        sign_in(idp, seed, EMAIL, PASSWORD)


def test_sign_up_session_outlives_a_resent_code(
    lc: LocalCognito, seed: SeedResult, idp: Any
) -> None:
    signed_up = _sign_up(idp, seed)
    idp.resend_confirmation_code(ClientId=seed.client_id, Username=EMAIL)
    lc.clock.advance(24 * 3600 - 60)
    code = lc.outbox.latest_code(EMAIL, "resend_confirmation")
    assert _confirm(idp, seed, code, Session=signed_up["Session"])["Session"]


def test_an_expired_sign_up_session_confirms_without_a_session(
    lc: LocalCognito, seed: SeedResult, idp: Any
) -> None:
    signed_up = _sign_up(idp, seed)
    lc.clock.advance(24 * 3600 + 1)
    idp.resend_confirmation_code(ClientId=seed.client_id, Username=EMAIL)
    code = lc.outbox.latest_code(EMAIL, "resend_confirmation")
    assert "Session" not in _confirm(idp, seed, code, Session=signed_up["Session"])


def test_list_users_filters_unconfirmed_users_with_their_creation_date(
    lc: LocalCognito, seed: SeedResult, idp: Any
) -> None:
    lc.clock.advance(-8 * 86400)
    _sign_up(idp, seed, "stale@example.com")
    lc.clock.advance(8 * 86400)
    _sign_up(idp, seed)
    listed = idp.list_users(UserPoolId=seed.pool_id, Filter='cognito:user_status = "UNCONFIRMED"')
    by_email = {
        next(a["Value"] for a in u["Attributes"] if a["Name"] == "email"): u
        for u in listed["Users"]
    }
    assert set(by_email) == {"stale@example.com", EMAIL}
    age = by_email[EMAIL]["UserCreateDate"] - by_email["stale@example.com"]["UserCreateDate"]
    assert 8 * 86400 - 60 < age.total_seconds() < 8 * 86400 + 60
