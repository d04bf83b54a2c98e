"""Sign-in (SECURITY F2, C4): SRP in exactly two calls, USER_PASSWORD_AUTH as a setting, one
generic message for every failure, unconfirmed and reset-required accounts sent onwards."""

from __future__ import annotations

import pytest
from botocore.stub import Stubber

from cognito_forms import gateway
from tests.journeys import (
    DEMO_EMAIL,
    DEMO_PASSWORD,
    STRONG,
    UNAVAILABLE,
    follow,
    signed_in,
    text,
    without_tokens,
)
from tests.session_helpers import idp_client

pytestmark = pytest.mark.django_db

URL = "/accounts/signin/"
GENERIC = "Incorrect email address or password."


def sign_in(client, email=DEMO_EMAIL, password=DEMO_PASSWORD, **extra):
    return client.post(URL, {"email": email, "password": password, **extra})


def test_srp_sign_in_without_mfa_is_exactly_two_cognito_calls(client, cognito):
    response = sign_in(client)
    assert response.status_code == 302
    assert response["Location"] == "/private/"
    assert signed_in(response)
    assert dict(cognito.calls) == {"InitiateAuth": 1, "RespondToAuthChallenge": 1}
    page = text(client.get("/private/"))
    assert DEMO_EMAIL in page


def test_password_auth_flow_setting_signs_in_with_one_call(client, cognito, settings):
    settings.COGNITO_AUTH_FLOW = "USER_PASSWORD_AUTH"
    response = sign_in(client)
    assert signed_in(response)
    assert dict(cognito.calls) == {"InitiateAuth": 1}


def _failure_page(client, response):
    assert response.status_code == 200
    page = without_tokens(text(response))
    return (
        page.replace(DEMO_EMAIL, "X")
        .replace("nobody@example.com", "X")
        .replace("disabled@example.com", "X")
    )


def test_every_failed_sign_in_shows_one_generic_message(client, cognito):
    cognito.create_user("disabled@example.com", STRONG, enabled=False)
    pages = [
        _failure_page(client, sign_in(type(client)(), password="Wrong-Passw0rd!")),
        _failure_page(client, sign_in(type(client)(), email="nobody@example.com")),
        _failure_page(
            client, sign_in(type(client)(), email="disabled@example.com", password=STRONG)
        ),
    ]
    with Stubber(gateway.client()) as stub:  # Cognito's lock-out after many wrong passwords
        stub.add_client_error(
            "initiate_auth", "NotAuthorizedException", "Password attempts exceeded"
        )
        pages.append(_failure_page(client, sign_in(type(client)())))
    with Stubber(gateway.client()) as stub:
        stub.add_client_error("initiate_auth", "TooManyFailedAttemptsException")
        pages.append(_failure_page(client, sign_in(type(client)())))
    assert GENERIC in pages[0]
    assert all(page == pages[0] for page in pages)


def test_failed_sign_in_keeps_the_email_but_never_the_password(client, cognito):
    page = text(sign_in(client, password="Wrong-Passw0rd!"))
    assert f'value="{DEMO_EMAIL}"' in page
    assert "Wrong-Passw0rd!" not in page
    assert not client.cookies.get("cf_session")


def test_unconfirmed_user_is_sent_to_confirm_with_a_fresh_code(client, cognito):
    cognito.create_user("pending@example.com", STRONG, confirmed=False)
    response = sign_in(client, email="pending@example.com", password=STRONG)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm/"
    assert not signed_in(response)
    code = cognito.code_for("pending@example.com", "resend_confirmation")
    page = text(follow(client, response))
    assert "Please confirm your email address first" in page
    # No sign-up Session in this browser, so no sign-in with the code alone (S1): the
    # password, proven a moment ago, is asked once more.
    confirmed = client.post("/accounts/confirm/", {"code": code})
    assert confirmed["Location"] == "/accounts/signin/"
    assert signed_in(sign_in(client, email="pending@example.com", password=STRONG))


def test_password_reset_required_user_is_sent_to_reset_with_a_code(client, cognito):
    cognito.create_user("reset@example.com", STRONG)
    idp_client(cognito).admin_reset_user_password(
        UserPoolId=cognito.seed.pool_id, Username="reset@example.com"
    )
    response = sign_in(client, email="reset@example.com", password=STRONG)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/"
    assert "choose a new password" in text(follow(client, response))
    assert cognito.code_for("reset@example.com", "forgot_password")


def test_sign_in_page_remembers_the_last_email_never_the_password(client, cognito, settings):
    cognito.lc.update_client(ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH"])
    client.post("/accounts/signup/", {"email": "m@example.com", "password": STRONG})
    client.post("/accounts/confirm/", {"code": cognito.code_for("m@example.com", "sign_up")})
    page = text(client.get(URL))
    assert 'value="m@example.com"' in page
    assert STRONG not in page


def test_sign_in_when_cognito_is_down_shows_temporarily_unavailable(client, cognito, settings):
    settings.COGNITO_ENDPOINT_URL = "http://127.0.0.1:9"
    settings.COGNITO_MAX_ATTEMPTS = 1
    response = sign_in(client)
    assert response.status_code == 503
    assert UNAVAILABLE in text(response)
    assert f'value="{DEMO_EMAIL}"' in text(response)


def test_sign_in_throttled_by_cognito_is_a_503_that_keeps_the_email(client, cognito):
    with Stubber(gateway.client()) as stub:
        stub.add_client_error("initiate_auth", "TooManyRequestsException", http_status_code=400)
        response = sign_in(client)
    assert response.status_code == 503
    assert response["Retry-After"]
    assert f'value="{DEMO_EMAIL}"' in text(response)


def test_auth_pages_are_never_cached(client, cognito):
    assert "no-store" in client.get(URL)["Cache-Control"]
    assert "no-store" in sign_in(client, password="x")["Cache-Control"]


def test_sign_in_without_csrf_token_is_refused_before_cognito(cognito):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = sign_in(strict)
    assert response.status_code == 403
    assert cognito.total_calls() == 0


def test_choice_based_sign_in_with_an_email_code(client, cognito, settings):
    settings.COGNITO_CHOICE_BASED_SIGN_IN = True
    page = text(client.get(URL))
    assert 'name="password"' not in page
    response = client.post(URL, {"email": DEMO_EMAIL})
    assert response["Location"] == "/accounts/signin/choose/"
    page = text(client.get(response["Location"]))
    assert "A code sent to my email" in page
    assert "My password" in page
    response = client.post("/accounts/signin/choose/", {"method": "EMAIL_OTP"})
    assert response["Location"] == "/accounts/signin/code/"
    assert "code we sent to your email" in text(client.get("/accounts/signin/code/"))
    code = cognito.code_for(DEMO_EMAIL)
    response = client.post("/accounts/signin/code/", {"code": code})
    assert signed_in(response)


def test_choice_based_sign_in_with_the_password_uses_srp(client, cognito, settings):
    settings.COGNITO_CHOICE_BASED_SIGN_IN = True
    client.post(URL, {"email": DEMO_EMAIL})
    missing = client.post("/accounts/signin/choose/", {"method": "PASSWORD"})
    assert "Enter your password." in text(missing)
    response = client.post(
        "/accounts/signin/choose/", {"method": "PASSWORD", "password": DEMO_PASSWORD}
    )
    assert signed_in(response)
    assert cognito.calls["RespondToAuthChallenge"] == 2  # SELECT_CHALLENGE, PASSWORD_VERIFIER


def test_choice_based_sign_in_wrong_password_is_the_generic_message(client, cognito, settings):
    settings.COGNITO_CHOICE_BASED_SIGN_IN = True
    client.post(URL, {"email": DEMO_EMAIL})
    response = client.post(
        "/accounts/signin/choose/", {"method": "PASSWORD", "password": "Wrong-Passw0rd!"}
    )
    assert response.status_code == 302
    assert response["Location"] == URL
    assert GENERIC in text(follow(client, response))
