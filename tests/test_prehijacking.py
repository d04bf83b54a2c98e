"""Account pre-hijacking (docs/security.md S1): only the browser whose own sign-up created the
account is signed in after confirmation; anyone else who confirms is asked to sign in (and
pointed at "Forgot your password?"), and the sign-up's answer never tells which case it was."""

from __future__ import annotations

import pytest
from botocore.stub import ANY, Stubber

from cognito_forms import gateway
from tests.journeys import STRONG, follow, signed_in, text

pytestmark = pytest.mark.django_db

EMAIL = "victim@example.com"
ATTACKER_PASSWORD = "Attacker-Passw0rd!"
VICTIM_PASSWORD = "Victims-Own-Passw0rd!"
NEW_PASSWORD = "Brand-New-Passw0rd!"
HINT = "If your password is not accepted, choose a new one with"


def sign_up(client, email=EMAIL, password=STRONG):
    response = client.post(
        "/accounts/signup/", {"email": email, "password": password, "name": "Ada"}
    )
    assert response.status_code == 302
    return response


def confirm(client, code, email=None):
    data = {"code": code} if email is None else {"code": code, "email": email}
    return client.post("/accounts/confirm/", data)


def sign_in(client, password, email=EMAIL):
    return client.post("/accounts/signin/", {"email": email, "password": password})


def state_cookies(response):
    """Every cookie the response sets: name -> (value length, max-age). The value is sealed,
    so its length is all anyone but the server can learn from it."""
    return tuple(sorted((name, len(m.value), m["max-age"]) for name, m in response.cookies.items()))


def test_confirm_in_the_browser_that_signed_up_signs_in_with_the_sign_up_session(client, cognito):
    sign_up(client)
    gateway.reset_counters()
    response = confirm(client, cognito.code_for(EMAIL, "sign_up"))
    assert signed_in(response)
    assert response["Location"] == "/private/"
    assert dict(cognito.calls) == {"ConfirmSignUp": 1, "InitiateAuth": 1}


def test_confirm_in_a_browser_that_did_not_sign_up_does_not_sign_in(client, cognito):
    sign_up(client)
    other = type(client)()
    gateway.reset_counters()
    response = confirm(other, cognito.code_for(EMAIL, "sign_up"), email=EMAIL)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/signin/"
    assert not signed_in(response)
    assert dict(cognito.calls) == {"ConfirmSignUp": 1}  # no InitiateAuth at all
    page = text(follow(other, response))
    assert "Your email address is confirmed. Please sign in." in page
    assert HINT in page
    assert f'value="{EMAIL}"' in page
    # The account is confirmed: its password works from any browser.
    assert signed_in(sign_in(type(client)(), STRONG))


def test_pre_hijacked_address_confirmed_by_its_owner_is_not_signed_in_as_the_attacker(
    client, cognito
):
    attacker, victim = client, type(client)()
    sign_up(attacker, password=ATTACKER_PASSWORD)
    first = sign_up(victim, password=VICTIM_PASSWORD)  # the address is taken: same answer
    assert first["Location"] == "/accounts/signup/done/"
    gateway.reset_counters()
    response = confirm(victim, cognito.code_for(EMAIL, "sign_up"))
    assert not signed_in(response)
    assert dict(cognito.calls) == {"ConfirmSignUp": 1}
    assert HINT in text(follow(victim, response))


def test_pre_hijacked_victim_recovers_the_account_with_forgot_password(client, cognito):
    """The residual risk, pinned: between the owner's confirmation and their reset, the
    attacker's password works; the owner's does not until they choose a new one."""
    attacker, victim = client, type(client)()
    sign_up(attacker, password=ATTACKER_PASSWORD)
    sign_up(victim, password=VICTIM_PASSWORD)
    confirm(victim, cognito.code_for(EMAIL, "sign_up"))
    assert not signed_in(sign_in(victim, VICTIM_PASSWORD))
    assert signed_in(sign_in(type(client)(), ATTACKER_PASSWORD))
    victim.post("/accounts/password/forgot/", {"email": EMAIL})
    code = cognito.code_for(EMAIL, "forgot_password")
    reset = victim.post("/accounts/password/reset/", {"code": code, "password": NEW_PASSWORD})
    assert signed_in(reset)
    assert not signed_in(sign_in(type(client)(), ATTACKER_PASSWORD))


def test_the_attackers_sign_up_session_does_not_follow_the_address_to_the_victims_browser(
    client, cognito
):
    attacker, victim = client, type(client)()
    sign_up(attacker, password=ATTACKER_PASSWORD)
    sign_up(victim, password=VICTIM_PASSWORD)
    gateway.reset_counters()
    confirm(victim, cognito.code_for(EMAIL, "sign_up"))
    # The attacker's browser still holds its sign-up's state, but the address is confirmed:
    # it gets the one code answer and no sign-in.
    response = confirm(attacker, cognito.code_for(EMAIL, "sign_up"))
    assert response.status_code == 200
    assert not signed_in(response)
    assert cognito.calls["InitiateAuth"] == 0


def test_sign_up_answer_is_the_same_size_for_new_and_taken_addresses(client, cognito):
    cognito.create_user("taken1@example.com", STRONG, confirmed=True)
    cognito.create_user("taken2@example.com", STRONG, confirmed=False)
    answers = {}
    for email in ("fresh1@example.com", "taken1@example.com", "taken2@example.com"):
        browser = type(client)()
        browser.get("/accounts/signup/")  # the CSRF cookie is already there, as in a browser
        response = sign_up(browser, email=email)
        answers[email] = (response.status_code, response["Location"], state_cookies(response))
    assert len(set(answers.values())) == 1, answers
    assert "cf_flow" in dict((c[0], c) for c in answers["taken1@example.com"][2])


def test_a_new_code_keeps_the_sign_up_session(client, cognito, settings):
    settings.COGNITO_RESEND_COOLDOWN = 0
    sign_up(client)
    client.post("/accounts/confirm/resend/")
    response = confirm(client, cognito.code_for(EMAIL, "resend_confirmation"))
    assert signed_in(response)


def test_an_expired_sign_up_session_confirms_and_asks_to_sign_in(client, cognito, settings):
    settings.COGNITO_STATE_MAX_AGE = 48 * 3600
    settings.COGNITO_RESEND_COOLDOWN = 0
    sign_up(client)
    cognito.lc.clock.advance(24 * 3600 + 1)  # the sign-up's Session and its code are gone
    client.post("/accounts/confirm/resend/")
    gateway.reset_counters()
    response = confirm(client, cognito.code_for(EMAIL, "resend_confirmation"))
    assert response["Location"] == "/accounts/signin/"
    assert cognito.calls["InitiateAuth"] == 0
    # The creator's own password is the account's: no hint about someone else's.
    page = text(follow(client, response))
    assert "Your email address is confirmed. Please sign in." in page
    assert HINT not in page


def test_a_sign_up_session_cognito_refuses_still_confirms_and_asks_to_sign_in(client, cognito):
    """Should AWS refuse an expired sign-up Session outright, the code still confirms."""
    sign_up(client)
    code = cognito.code_for(EMAIL, "sign_up")
    with Stubber(gateway.client()) as stub:
        base = {
            "ClientId": ANY,
            "Username": EMAIL,
            "ConfirmationCode": code,
            "UserContextData": ANY,
        }
        stub.add_client_error(
            "confirm_sign_up",
            service_error_code="NotAuthorizedException",
            service_message="Invalid session for the user, session is expired.",
            expected_params={**base, "Session": ANY},
        )
        stub.add_response("confirm_sign_up", {}, expected_params=base)
        response = confirm(client, code)
        stub.assert_no_pending_responses()
    assert response.status_code == 302
    assert response["Location"] == "/accounts/signin/"
    assert not signed_in(response)


def test_a_session_cognito_gives_to_a_confirmation_without_the_sign_ups_is_never_used(
    client, cognito
):
    """Even were Cognito to hand a Session to any confirmation, a browser that did not sign
    up would not be signed in with it."""
    sign_up(client)
    other = type(client)()
    code = cognito.code_for(EMAIL, "sign_up")
    with Stubber(gateway.client()) as stub:
        stub.add_response(
            "confirm_sign_up",
            {"Session": "S" * 920},
            expected_params={
                "ClientId": ANY,
                "Username": EMAIL,
                "ConfirmationCode": code,
                "UserContextData": ANY,
            },
        )
        response = confirm(other, code, email=EMAIL)
        stub.assert_no_pending_responses()  # and no InitiateAuth was attempted
    assert response["Location"] == "/accounts/signin/"
    assert not signed_in(response)


def test_an_over_long_sign_up_session_is_dropped_so_the_answer_keeps_its_size(client, cognito):
    cognito.create_user("taken@example.com", STRONG, confirmed=False)
    taken = type(client)()
    taken.get("/accounts/signup/")
    answer_for_taken = state_cookies(sign_up(taken, email="taken@example.com"))
    client.get("/accounts/signup/")
    with Stubber(gateway.client()) as stub:
        stub.add_response(
            "sign_up", {"UserConfirmed": False, "UserSub": "u-1", "Session": "S" * 3000}
        )
        answer_for_new = state_cookies(sign_up(client, email="fresh@example.com"))
        no_session = {
            "ClientId": ANY,
            "Username": "fresh@example.com",
            "ConfirmationCode": ANY,
            "UserContextData": ANY,
        }
        stub.add_response("confirm_sign_up", {}, expected_params=no_session)
        response = confirm(client, "123456")
    assert answer_for_new == answer_for_taken
    assert not signed_in(response)
