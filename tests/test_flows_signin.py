"""The sign-in journey's flows called directly, without the test client: each returns the
step a page turns into HTTP (cognito_forms/steps.py), and makes the Cognito calls and the
bookkeeping (S6, S7) the sign-in page relies on."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import HttpRequest
from django.test import RequestFactory

from cognito_forms import exceptions as exc
from cognito_forms import ratelimit
from cognito_forms.flows import signin
from cognito_forms.journey import ChallengeState, ConfirmState, ResetState, SignInState
from cognito_forms.steps import GLOBAL_SIGN_OUT, GoTo, NextChallenge, Restart, SignedIn
from tests.journeys import STRONG, totp
from tests.session_helpers import idp_client

pytestmark = pytest.mark.django_db

ANN = "ann@example.com"


def visitor() -> HttpRequest:
    return RequestFactory().post("/accounts/signin/", REMOTE_ADDR="203.0.113.7")


def test_the_right_password_is_signed_in_with_two_calls_and_nothing_else(cognito: Any) -> None:
    cognito.create_user(ANN, STRONG)
    step = signin.start(visitor(), email=ANN, password=STRONG, next_url="/after/")
    assert isinstance(step, SignedIn)
    assert (step.email, step.next_url, step.then, step.message) == (ANN, "/after/", "", None)
    assert step.tokens.id_token
    assert step.tokens.refresh_token
    assert dict(cognito.calls) == {"InitiateAuth": 1, "RespondToAuthChallenge": 1}


def test_a_wrong_password_raises_the_generic_failure_and_counts_it(
    cognito: Any, settings: Any
) -> None:
    """S7: failures are counted per address; past the ceiling the flow refuses before Cognito."""
    cognito.create_user(ANN, STRONG)
    settings.COGNITO_RATE_LIMITS = {"signin_failed": "1/h/key"}
    with pytest.raises(exc.SignInFailed):
        signin.start(visitor(), email=ANN, password="Wrong-Horse-9!")
    calls = cognito.total_calls()
    with pytest.raises(exc.RateLimited):
        signin.start(visitor(), email=ANN, password=STRONG)
    assert cognito.total_calls() == calls  # refused before Cognito


def test_an_unconfirmed_owner_goes_to_the_confirm_page_with_a_fresh_code(cognito: Any) -> None:
    cognito.create_user(ANN, STRONG, confirmed=False)
    step = signin.start(visitor(), email=ANN, password=STRONG, next_url="/after/")
    assert step == GoTo(
        "cognito_forms:confirm", ConfirmState(ANN, "/after/"), message="confirm_first_code_sent"
    )
    assert cognito.calls["ResendConfirmationCode"] == 1


def test_a_proven_owner_whose_reset_is_required_goes_to_the_reset_page(cognito: Any) -> None:
    """S6: only after the SRP proof; the code counts under the forgot limits."""
    cognito.create_user(ANN, STRONG)
    idp_client(cognito).admin_reset_user_password(UserPoolId=cognito.seed.pool_id, Username=ANN)
    step = signin.start(visitor(), email=ANN, password=STRONG)
    assert step == GoTo("cognito_forms:password_reset", ResetState(ANN), message="reset_required")
    assert cognito.calls["ForgotPassword"] == 1


@pytest.fixture
def totp_secret(cognito: Any) -> str:
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    cognito.create_user(ANN, STRONG, totp_secret=secret)
    return secret


def _challenge(secret: str) -> ChallengeState:
    step = signin.start(visitor(), email=ANN, password=STRONG, next_url="/after/")
    assert isinstance(step, NextChallenge)
    assert step.state.name == "SOFTWARE_TOKEN_MFA"
    assert (step.state.email, step.state.next_url) == (ANN, "/after/")
    return step.state


def test_an_mfa_sign_in_is_a_next_challenge_then_signed_in(cognito: Any, totp_secret: str) -> None:
    state = _challenge(totp_secret)
    code = totp(totp_secret, cognito.lc.clock.now())
    step = signin.answer_challenge(
        visitor(), state, lambda: signin.challenges.answer_code(state, code)
    )
    assert isinstance(step, SignedIn)
    assert step.next_url == "/after/"


def test_too_many_wrong_codes_restart_the_sign_in_with_the_address_kept(
    cognito: Any, totp_secret: str, settings: Any
) -> None:
    settings.COGNITO_CODE_MAX_ATTEMPTS = 2
    state = _challenge(totp_secret)
    for _ in range(2):
        with pytest.raises(exc.CodeMismatch):
            signin.answer_challenge(
                visitor(), state, lambda: signin.challenges.answer_code(state, "000000")
            )
    calls = cognito.total_calls()
    step = signin.answer_challenge(
        visitor(), state, lambda: signin.challenges.answer_code(state, "000000")
    )
    assert step == Restart("too_many_codes", ANN, "/after/")
    assert cognito.total_calls() == calls  # the third code never reached Cognito


def test_after_a_reset_that_ends_every_session_the_visitor_signs_in_afresh(cognito: Any) -> None:
    """A challenge after "reset and sign out everywhere": once tokens arrive, every session
    ends (S2), this one included, and the sign-in page says so."""
    cognito.create_user(ANN, STRONG)
    tokens = signin.auth.password_sign_in(ANN, STRONG)
    step = signin.finish(visitor(), tokens, email=ANN, next_url="/after/", then=GLOBAL_SIGN_OUT)
    assert step == GoTo(
        "cognito_forms:signin",
        SignInState(ANN, "/after/"),
        message="signed_out_everywhere",
        level="success",
    )
    assert cognito.calls["GlobalSignOut"] == 1


def test_a_challenge_without_a_page_is_a_service_error(cognito: Any) -> None:
    from cognito_forms.types import Challenge

    unknown = Challenge(name="WEB_AUTHN", session="s" * 40, parameters={})
    with pytest.raises(exc.UnsupportedChallenge) as raised:
        signin.finish(visitor(), unknown, email=ANN)
    assert raised.value.status == 503


def test_the_failure_counter_is_cleared_by_a_sign_in(cognito: Any, settings: Any) -> None:
    cognito.create_user(ANN, STRONG)
    settings.COGNITO_RATE_LIMITS = {"signin_failed": "2/h/key_ip"}
    with pytest.raises(exc.SignInFailed):
        signin.start(visitor(), email=ANN, password="Wrong-Horse-9!")
    assert isinstance(signin.start(visitor(), email=ANN, password=STRONG), SignedIn)
    with pytest.raises(exc.SignInFailed):
        signin.start(visitor(), email=ANN, password="Wrong-Horse-9!")
    # One failure since the sign-in: the ceiling of two is not reached.
    ratelimit.check(visitor(), "signin_failed", key=ANN)
