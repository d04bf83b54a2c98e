"""MFA: real TOTP, SMS and email codes, SELECT_MFA_TYPE, MFA_SETUP, session expiry and reuse."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from local_cognito import LocalCognito, SeedResult
from local_cognito.totp import code_at, new_secret

from .conftest import error_of, sign_in

PHONE = "+15555550123"
MFA_USER = "mfa@example.com"
MFA_PASSWORD = "Mfa-User-Passw0rd!"


def _start(
    idp: Any, seed: SeedResult, email: str = MFA_USER, password: str = MFA_PASSWORD
) -> dict[str, Any]:
    return idp.initiate_auth(
        ClientId=seed.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": email, "PASSWORD": password},
    )


def _answer(idp: Any, seed: SeedResult, challenge: dict[str, Any], **responses: str) -> Any:
    return idp.respond_to_auth_challenge(
        ClientId=seed.client_id,
        ChallengeName=challenge["ChallengeName"],
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": MFA_USER, **responses},
    )


def _wrong(code: str) -> str:
    return "000000" if code != "000000" else "111111"


def test_software_token_enrolment_and_sign_in(lc: LocalCognito, seed: SeedResult, idp: Any) -> None:
    lc.create_user(MFA_USER, MFA_PASSWORD)
    token = sign_in(idp, seed, MFA_USER, MFA_PASSWORD)["AccessToken"]
    secret = idp.associate_software_token(AccessToken=token)["SecretCode"]
    assert len(secret) == 32
    with pytest.raises(idp.exceptions.EnableSoftwareTokenMFAException):
        idp.verify_software_token(
            AccessToken=token, UserCode=_wrong(code_at(secret, lc.clock.now()))
        )
    assert (
        idp.verify_software_token(AccessToken=token, UserCode=code_at(secret, lc.clock.now()))[
            "Status"
        ]
        == "SUCCESS"
    )
    idp.set_user_mfa_preference(
        AccessToken=token, SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True}
    )
    user = idp.get_user(AccessToken=token)
    assert user["PreferredMfaSetting"] == "SOFTWARE_TOKEN_MFA"
    challenge = _start(idp, seed)
    assert challenge["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    with pytest.raises(idp.exceptions.CodeMismatchException):
        _answer(
            idp, seed, challenge, SOFTWARE_TOKEN_MFA_CODE=_wrong(code_at(secret, lc.clock.now()))
        )
    lc.clock.advance(30)  # the emulator clock drives TOTP, one step of drift is accepted
    done = _answer(
        idp, seed, challenge, SOFTWARE_TOKEN_MFA_CODE=code_at(secret, lc.clock.now() - 30)
    )
    assert done["AuthenticationResult"]["AccessToken"]
    with pytest.raises(ClientError) as excinfo:  # single use
        _answer(idp, seed, challenge, SOFTWARE_TOKEN_MFA_CODE=code_at(secret, lc.clock.now()))
    assert error_of(excinfo) == ("NotAuthorizedException", "Invalid session for the user.")


def test_totp_code_two_steps_away_is_refused(lc: LocalCognito, seed: SeedResult, idp: Any) -> None:
    secret = new_secret()
    lc.create_user(MFA_USER, MFA_PASSWORD, totp_secret=secret)
    challenge = _start(idp, seed)
    with pytest.raises(idp.exceptions.CodeMismatchException):
        _answer(idp, seed, challenge, SOFTWARE_TOKEN_MFA_CODE=code_at(secret, lc.clock.now() - 90))


def test_sms_mfa_code_goes_to_the_outbox(lc: LocalCognito, seed: SeedResult, idp: Any) -> None:
    lc.create_user(
        MFA_USER, MFA_PASSWORD, attributes={"phone_number": PHONE, "phone_number_verified": "true"}
    )
    token = sign_in(idp, seed, MFA_USER, MFA_PASSWORD)["AccessToken"]
    idp.set_user_mfa_preference(
        AccessToken=token, SMSMfaSettings={"Enabled": True, "PreferredMfa": True}
    )
    challenge = _start(idp, seed)
    assert challenge["ChallengeName"] == "SMS_MFA"
    assert challenge["ChallengeParameters"]["CODE_DELIVERY_DELIVERY_MEDIUM"] == "SMS"
    assert challenge["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"].endswith("0123")
    code = lc.outbox.latest_code(PHONE, "mfa_sms")
    assert _answer(idp, seed, challenge, SMS_MFA_CODE=code)["AuthenticationResult"]


def test_email_otp_mfa_and_attempt_limit(lc: LocalCognito, seed: SeedResult, idp: Any) -> None:
    lc.create_user(MFA_USER, MFA_PASSWORD)
    token = sign_in(idp, seed, MFA_USER, MFA_PASSWORD)["AccessToken"]
    idp.set_user_mfa_preference(
        AccessToken=token, EmailMfaSettings={"Enabled": True, "PreferredMfa": True}
    )
    challenge = _start(idp, seed)
    assert challenge["ChallengeName"] == "EMAIL_OTP"
    code = lc.outbox.latest_code(MFA_USER, "mfa_email")
    for _ in range(5):
        with pytest.raises(idp.exceptions.CodeMismatchException):
            _answer(idp, seed, challenge, EMAIL_OTP_CODE=_wrong(code))
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        _answer(idp, seed, challenge, EMAIL_OTP_CODE=code)


def test_select_mfa_type_when_several_and_none_preferred(
    lc: LocalCognito, seed: SeedResult, idp: Any
) -> None:
    secret = new_secret()
    lc.create_user(
        MFA_USER,
        MFA_PASSWORD,
        totp_secret=secret,
        attributes={"phone_number": PHONE, "phone_number_verified": "true"},
    )
    first = _start(idp, seed)
    token = _answer(idp, seed, first, SOFTWARE_TOKEN_MFA_CODE=code_at(secret, lc.clock.now()))[
        "AuthenticationResult"
    ]["AccessToken"]
    idp.set_user_mfa_preference(
        AccessToken=token,
        SMSMfaSettings={"Enabled": True, "PreferredMfa": False},
        SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": False},
    )
    challenge = _start(idp, seed)
    assert challenge["ChallengeName"] == "SELECT_MFA_TYPE"
    assert set(json.loads(challenge["ChallengeParameters"]["MFAS_CAN_CHOOSE"])) == {
        "SMS_MFA",
        "SOFTWARE_TOKEN_MFA",
    }
    chosen = _answer(idp, seed, challenge, ANSWER="SMS_MFA")
    assert chosen["ChallengeName"] == "SMS_MFA"
    code = lc.outbox.latest_code(PHONE, "mfa_sms")
    assert _answer(idp, seed, chosen, SMS_MFA_CODE=code)["AuthenticationResult"]


def test_mfa_setup_when_the_pool_requires_mfa(lc: LocalCognito, seed: SeedResult, idp: Any) -> None:
    idp.set_user_pool_mfa_config(
        UserPoolId=seed.pool_id,
        MfaConfiguration="ON",
        SoftwareTokenMfaConfiguration={"Enabled": True},
    )
    lc.create_user(MFA_USER, MFA_PASSWORD)
    challenge = _start(idp, seed)
    assert challenge["ChallengeName"] == "MFA_SETUP"
    assert json.loads(challenge["ChallengeParameters"]["MFAS_CAN_SETUP"]) == ["SOFTWARE_TOKEN_MFA"]
    associated = idp.associate_software_token(Session=challenge["Session"])
    verified = idp.verify_software_token(
        Session=associated["Session"], UserCode=code_at(associated["SecretCode"], lc.clock.now())
    )
    assert verified["Status"] == "SUCCESS"
    done = _answer(idp, seed, {"ChallengeName": "MFA_SETUP", "Session": verified["Session"]})
    assert done["AuthenticationResult"]["AccessToken"]
    assert _start(idp, seed)["ChallengeName"] == "SOFTWARE_TOKEN_MFA"


def test_challenge_session_expires_after_three_minutes(
    lc: LocalCognito, seed: SeedResult, idp: Any
) -> None:
    secret = new_secret()
    lc.create_user(MFA_USER, MFA_PASSWORD, totp_secret=secret)
    challenge = _start(idp, seed)
    lc.clock.advance(181)
    with pytest.raises(ClientError) as excinfo:
        _answer(idp, seed, challenge, SOFTWARE_TOKEN_MFA_CODE=code_at(secret, lc.clock.now()))
    assert error_of(excinfo) == (
        "NotAuthorizedException",
        "Invalid session for the user, session is expired.",
    )


def test_new_password_required_for_admin_created_users(
    lc: LocalCognito, seed: SeedResult, idp: Any
) -> None:
    idp.admin_create_user(
        UserPoolId=seed.pool_id,
        Username=MFA_USER,
        UserAttributes=[{"Name": "email", "Value": MFA_USER}],
        DesiredDeliveryMediums=["EMAIL"],
    )
    (message,) = lc.outbox.messages(to=MFA_USER, purpose="temporary_password")
    challenge = _start(idp, seed, password=message.code)
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    assert json.loads(challenge["ChallengeParameters"]["requiredAttributes"]) == []
    assert json.loads(challenge["ChallengeParameters"]["userAttributes"])["email"] == MFA_USER
    done = _answer(
        idp, seed, challenge, NEW_PASSWORD=MFA_PASSWORD, **{"userAttributes.name": "Invited"}
    )
    assert done["AuthenticationResult"]["AccessToken"]
    user = idp.admin_get_user(UserPoolId=seed.pool_id, Username=MFA_USER)
    assert user["UserStatus"] == "CONFIRMED"


def test_temporary_password_expires(lc: LocalCognito, seed: SeedResult, idp: Any) -> None:
    idp.admin_create_user(
        UserPoolId=seed.pool_id,
        Username=MFA_USER,
        TemporaryPassword="Temp-Passw0rd!!",
        MessageAction="SUPPRESS",
    )
    assert lc.outbox.messages() == []
    lc.clock.advance(7 * 86400 + 1)
    with pytest.raises(
        idp.exceptions.NotAuthorizedException, match="Temporary password has expired"
    ):
        _start(idp, seed, password="Temp-Passw0rd!!")
