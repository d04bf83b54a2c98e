"""An account awaiting an admin reset (docs/security.md S6): only its password's owner is told
and sent a code, and those codes count under the forgot-password limits; anybody else gets
exactly the answer an unknown address gets, and nothing is mailed."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from cognito_forms import gateway
from tests.journeys import STRONG, follow, text
from tests.session_helpers import idp_client
from tests.signin_answers import URL, answer, sign_in

# Every request of a test in one rate window (conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("one_rate_window")]

RESET = "reset@example.com"
UNKNOWN = "nobody@example.com"


@pytest.fixture
def reset_account(cognito: Any) -> str:
    cognito.create_user(RESET, STRONG)
    idp_client(cognito).admin_reset_user_password(UserPoolId=cognito.seed.pool_id, Username=RESET)
    cognito.outbox.clear()  # the code AdminResetUserPassword itself sent
    return RESET


@pytest.mark.parametrize(
    "existence_errors",
    [
        pytest.param("ENABLED", id="cognito-checks-the-password-first"),
        # LEGACY: the emulator answers PasswordResetRequired before any password check, as AWS
        # may do (its order is not documented): the site must not take it as proof.
        pytest.param("LEGACY", id="cognito-answers-before-the-password"),
    ],
)
def test_wrong_passwords_from_ten_networks_send_nothing_and_look_like_an_unknown_address(
    cognito: Any, reset_account: str, existence_errors: str
) -> None:
    cognito.lc.update_client(PreventUserExistenceErrors=existence_errors)
    for n in range(10):
        ip = f"198.51.100.{n}"
        seen = answer(sign_in(RESET, f"Wrong-{n}-Passw0rd!", ip), RESET)
        unknown = answer(sign_in(UNKNOWN, f"Wrong-{n}-Passw0rd!", f"192.0.2.{n}"), UNKNOWN)
        assert seen == unknown, n
        assert seen[0] == 200
    assert cognito.outbox.messages() == []
    assert gateway.calls["ForgotPassword"] == 0


def test_the_right_password_still_leads_to_the_reset_page_with_a_code(
    client: Client, cognito: Any, reset_account: str
) -> None:
    response = client.post(URL, {"email": RESET, "password": STRONG})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/"
    assert dict(gateway.calls) == {
        "InitiateAuth": 1,
        "RespondToAuthChallenge": 1,  # the PASSWORD_VERIFIER answer: the password proven
        "ForgotPassword": 1,
    }
    assert len(cognito.outbox.messages(to=RESET, purpose="forgot_password")) == 1
    assert "choose a new password" in text(follow(client, response))


def test_right_password_sign_ins_send_at_most_the_forgot_limit_of_codes(
    cognito: Any, reset_account: str
) -> None:
    # The default forgot limit is 5 per minute per address (and 20 per network).
    answers = [sign_in(RESET, STRONG, f"198.51.100.{n}") for n in range(8)]
    assert [r.status_code for r in answers] == [302] * 5 + [429] * 3
    assert all(1 <= int(r["Retry-After"]) <= 60 for r in answers[5:])
    assert "Too many attempts" in text(answers[-1])
    assert len(cognito.outbox.messages(to=RESET)) == 5


def test_the_forgot_page_and_sign_in_share_the_limit(cognito: Any, reset_account: str) -> None:
    for _ in range(5):
        Client().post("/accounts/password/forgot/", {"email": RESET})
    sent = len(cognito.outbox.messages(to=RESET))
    response = sign_in(RESET, STRONG)
    assert response.status_code == 429
    assert len(cognito.outbox.messages(to=RESET)) == sent


def test_with_user_password_auth_the_answer_is_never_taken_as_proof(
    cognito: Any, reset_account: str, settings: Any
) -> None:
    """USER_PASSWORD_AUTH sends the password and the state question in one call: Cognito's
    answer cannot tell whether it checked the password, so the page stays generic."""
    settings.COGNITO_AUTH_FLOW = "USER_PASSWORD_AUTH"
    right = answer(sign_in(RESET, STRONG), RESET)
    unknown = answer(sign_in(UNKNOWN, STRONG), UNKNOWN)
    assert right == unknown
    assert cognito.outbox.messages() == []


def test_choice_based_sign_in_sends_the_proven_owner_to_the_reset_page(
    client: Client, cognito: Any, reset_account: str, settings: Any
) -> None:
    settings.COGNITO_CHOICE_BASED_SIGN_IN = True
    response = client.post(URL, {"email": RESET})
    assert response["Location"] == "/accounts/signin/choose/"
    wrong = client.post(
        "/accounts/signin/choose/", {"method": "PASSWORD", "password": "Wrong-Passw0rd!"}
    )
    assert wrong["Location"] == URL
    assert cognito.outbox.messages() == []
    client.post(URL, {"email": RESET})
    right = client.post("/accounts/signin/choose/", {"method": "PASSWORD", "password": STRONG})
    assert right["Location"] == "/accounts/password/reset/"
    assert len(cognito.outbox.messages(to=RESET, purpose="forgot_password")) == 1
