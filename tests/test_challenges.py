"""Sign-in challenges (SECURITY F10): one page each, state bound to the browser, expiring with
Cognito's Session, code attempts limited; TOTP enrolment with a server-drawn QR code."""

from __future__ import annotations

import base64
import re
import secrets

import pytest
from django.test import Client

from tests.journeys import STRONG, follow, signed_in, text, totp
from tests.session_helpers import idp_client

pytestmark = pytest.mark.django_db

EMAIL = "mfa@example.com"


def new_secret() -> str:
    return base64.b32encode(secrets.token_bytes(20)).decode()


def start(client, email=EMAIL, password=STRONG, **extra):
    return client.post("/accounts/signin/", {"email": email, "password": password, **extra})


def wrong(code: str) -> str:
    return "000000" if code != "000000" else "111111"


@pytest.fixture
def totp_user(cognito):
    secret = new_secret()
    cognito.create_user(EMAIL, STRONG, totp_secret=secret)
    return secret


def test_totp_user_signs_in_with_the_code_from_the_app(client, cognito, totp_user):
    response = start(client)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/signin/code/"
    assert not signed_in(response)
    page = text(client.get("/accounts/signin/code/"))
    assert "Enter the code from your authenticator app" in page
    response = client.post("/accounts/signin/code/", {"code": totp(totp_user)})
    assert signed_in(response)
    assert response["Location"] == "/private/"
    assert dict(cognito.calls) == {"InitiateAuth": 1, "RespondToAuthChallenge": 2}


def test_challenge_state_is_never_in_the_url_or_page(client, cognito, totp_user):
    response = start(client)
    state = client.cookies["cf_flow"].value
    page = text(client.get(response["Location"]))
    assert state not in page
    assert "session" not in response["Location"].lower()
    assert EMAIL not in state


def test_wrong_totp_code_is_a_field_error_and_attempts_are_limited(
    client, cognito, totp_user, settings
):
    settings.COGNITO_CODE_MAX_ATTEMPTS = 2
    start(client)
    bad = wrong(totp(totp_user))
    response = client.post("/accounts/signin/code/", {"code": bad})
    assert response.status_code == 200
    assert "That code is not right" in text(response)
    client.post("/accounts/signin/code/", {"code": bad})
    response = client.post("/accounts/signin/code/", {"code": totp(totp_user)})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/signin/"
    assert not signed_in(response)
    assert "Too many wrong codes" in text(follow(client, response))
    assert cognito.calls["RespondToAuthChallenge"] == 3  # PASSWORD_VERIFIER + 2 wrong codes


def test_replaying_an_older_state_cookie_does_not_reset_the_attempt_count(
    client, cognito, totp_user, settings
):
    settings.COGNITO_CODE_MAX_ATTEMPTS = 1
    start(client)
    saved = client.cookies["cf_flow"].value
    client.post("/accounts/signin/code/", {"code": wrong(totp(totp_user))})
    client.cookies["cf_flow"] = saved
    response = client.post("/accounts/signin/code/", {"code": totp(totp_user)})
    assert not signed_in(response)
    assert "Too many wrong codes" in text(follow(client, response))


def test_challenge_state_cannot_be_replayed_from_another_browser(client, cognito, totp_user):
    client.get("/accounts/signin/")
    start(client)
    thief = Client()
    thief.get("/accounts/signin/")  # a CSRF cookie of its own
    thief.cookies["cf_flow"] = client.cookies["cf_flow"].value
    response = thief.post("/accounts/signin/code/", {"code": totp(totp_user)})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/signin/"
    assert not signed_in(response)
    assert "took too long" in text(follow(thief, response))
    assert cognito.calls["RespondToAuthChallenge"] == 1  # the PASSWORD_VERIFIER only


def test_challenge_expires_with_cognitos_session(client, cognito, totp_user):
    start(client)
    cognito.lc.clock.advance(181)
    response = client.post(
        "/accounts/signin/code/", {"code": totp(totp_user, cognito.lc.clock.now())}
    )
    assert not signed_in(response)
    assert "took too long" in text(follow(client, response))


def test_challenge_state_expires_after_three_minutes_on_our_side_too(
    client, cognito, totp_user, settings
):
    start(client)
    settings.COGNITO_CHALLENGE_MAX_AGE = 0
    response = client.get("/accounts/signin/code/")
    assert response["Location"] == "/accounts/signin/"
    assert cognito.calls["RespondToAuthChallenge"] == 1


def test_a_challenge_page_without_state_sends_back_to_sign_in(client, cognito):
    response = client.get("/accounts/signin/code/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/signin/"


def test_a_challenge_page_for_another_challenge_redirects_to_the_right_one(
    client, cognito, totp_user
):
    start(client)
    response = client.get("/accounts/signin/new-password/")
    assert response["Location"] == "/accounts/signin/code/"


def _enable(cognito, email, **settings):
    idp_client(cognito).admin_set_user_mfa_preference(
        UserPoolId=cognito.seed.pool_id, Username=email, **settings
    )


def test_sms_mfa_user_signs_in_with_the_texted_code(client, cognito):
    cognito.create_user(
        EMAIL, STRONG, attributes={"phone_number": "+15555550100", "phone_number_verified": "true"}
    )
    _enable(cognito, EMAIL, SMSMfaSettings={"Enabled": True, "PreferredMfa": True})
    response = start(client)
    assert response["Location"] == "/accounts/signin/code/"
    assert "code we sent to your phone" in text(client.get("/accounts/signin/code/"))
    code = cognito.code_for("+15555550100", "mfa_sms")
    assert signed_in(client.post("/accounts/signin/code/", {"code": code}))


def test_email_otp_mfa_user_signs_in_with_the_emailed_code(client, cognito):
    cognito.create_user(EMAIL, STRONG)
    _enable(cognito, EMAIL, EmailMfaSettings={"Enabled": True, "PreferredMfa": True})
    start(client)
    assert "code we sent to your email" in text(client.get("/accounts/signin/code/"))
    assert signed_in(
        client.post("/accounts/signin/code/", {"code": cognito.code_for(EMAIL, "mfa_email")})
    )


def test_emailed_code_after_three_minutes_restarts_sign_in_with_a_message(client, cognito):
    cognito.create_user(EMAIL, STRONG)
    _enable(cognito, EMAIL, EmailMfaSettings={"Enabled": True, "PreferredMfa": True})
    start(client)
    code = cognito.code_for(EMAIL, "mfa_email")
    cognito.lc.clock.advance(181)
    response = client.post("/accounts/signin/code/", {"code": code})
    assert not signed_in(response)
    assert "took too long" in text(follow(client, response))


def test_select_mfa_type_lets_the_user_choose_then_asks_for_that_code(client, cognito):
    secret = new_secret()
    cognito.create_user(
        EMAIL,
        STRONG,
        totp_secret=secret,
        attributes={"phone_number": "+15555550100", "phone_number_verified": "true"},
    )
    _enable(
        cognito,
        EMAIL,
        SMSMfaSettings={"Enabled": True, "PreferredMfa": False},
        SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": False},
    )
    response = start(client)
    assert response["Location"] == "/accounts/signin/select-mfa/"
    page = text(client.get("/accounts/signin/select-mfa/"))
    assert "An authenticator app" in page
    assert "A text message to my phone" in page
    response = client.post("/accounts/signin/select-mfa/", {"method": "SOFTWARE_TOKEN_MFA"})
    assert response["Location"] == "/accounts/signin/code/"
    assert signed_in(client.post("/accounts/signin/code/", {"code": totp(secret)}))


def test_new_password_required_shows_the_policy_and_signs_in(client, cognito):
    idp_client(cognito).admin_create_user(
        UserPoolId=cognito.seed.pool_id,
        Username="invited@example.com",
        TemporaryPassword="Temp-Passw0rd!",
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": "invited@example.com"}],
    )
    response = start(client, email="invited@example.com", password="Temp-Passw0rd!")
    assert response["Location"] == "/accounts/signin/new-password/"
    page = text(client.get("/accounts/signin/new-password/"))
    assert "at least 10 characters" in page
    weak = client.post("/accounts/signin/new-password/", {"password": "weak"})
    assert "Use at least 10 characters." in text(weak)
    assert signed_in(client.post("/accounts/signin/new-password/", {"password": STRONG}))


def test_mfa_setup_shows_a_server_drawn_qr_code_and_the_secret_then_signs_in(client, cognito):
    idp_client(cognito).set_user_pool_mfa_config(
        UserPoolId=cognito.seed.pool_id,
        SoftwareTokenMfaConfiguration={"Enabled": True},
        MfaConfiguration="ON",
    )
    cognito.create_user(EMAIL, STRONG)
    response = start(client)
    assert response["Location"] == "/accounts/signin/mfa-setup/"
    page = text(client.get("/accounts/signin/mfa-setup/"))
    assert 'src="data:image/svg+xml' in page
    assert not re.search(r'src="https?://', page)  # nothing is fetched from elsewhere
    secret = re.search(r'class="cf-secret"><code>([A-Z2-7 ]+)</code>', page).group(1)
    again = text(client.get("/accounts/signin/mfa-setup/"))
    assert secret in again  # the same secret until it is verified
    bad = client.post("/accounts/signin/mfa-setup/", {"code": wrong(totp(secret))})
    assert "That code is not right" in text(bad)
    response = client.post("/accounts/signin/mfa-setup/", {"code": totp(secret)})
    assert signed_in(response)
    assert cognito.calls["AssociateSoftwareToken"] == 1


def test_new_password_page_asks_for_required_attributes_the_account_lacks(
    client, cognito, settings
):
    from botocore.stub import ANY, Stubber

    from cognito_forms import gateway

    settings.COGNITO_AUTH_FLOW = "USER_PASSWORD_AUTH"
    client.get("/accounts/signup/")  # describe the pool for real before stubbing
    session = "s" * 40
    with Stubber(gateway.client()) as stub:
        stub.add_response(
            "initiate_auth",
            {
                "ChallengeName": "NEW_PASSWORD_REQUIRED",
                "Session": session,
                "ChallengeParameters": {
                    "USER_ID_FOR_SRP": "abc",
                    "requiredAttributes": '["userAttributes.name"]',
                    "userAttributes": '{"email": "invited@example.com"}',
                },
            },
        )
        start(client, email="invited@example.com", password="Temp-Passw0rd!")
        page = text(client.get("/accounts/signin/new-password/"))
        assert 'name="name"' in page
        missing = client.post("/accounts/signin/new-password/", {"password": STRONG})
        assert "This field is required." in text(missing)
        stub.add_client_error(
            "respond_to_auth_challenge",
            "InvalidParameterException",
            expected_params={
                "ClientId": ANY,
                "ChallengeName": "NEW_PASSWORD_REQUIRED",
                "Session": session,
                "ChallengeResponses": {
                    "USERNAME": "invited@example.com",
                    "NEW_PASSWORD": STRONG,
                    "userAttributes.name": "Ada Lovelace",
                },
                "UserContextData": {"IpAddress": "127.0.0.1"},  # docs/security.md S12
            },
        )
        response = client.post(
            "/accounts/signin/new-password/", {"password": STRONG, "name": "Ada Lovelace"}
        )
        stub.assert_no_pending_responses()
    assert "were not accepted" in text(response)
