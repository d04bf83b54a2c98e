"""Sign-up, password reset and account flows called directly, without the test client: the
step each returns (cognito_forms/steps.py), the journey state it carries (journey.py) and the
Cognito calls it makes; and the adapter has a sentence for every message code they use."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import HttpRequest
from django.test import RequestFactory

from cognito_forms import journey
from cognito_forms.adapter import DefaultAdapter
from cognito_forms.flows import account, recovery, registration
from cognito_forms.journey import ConfirmState, ResetState, SignInState
from cognito_forms.steps import SIGNED_OUT_OTHERS, GoTo, SignedIn, SignedOut
from tests.journeys import STRONG
from tests.session_helpers import fetch_tokens

pytestmark = pytest.mark.django_db

ANN = "ann@example.com"
NEW = "new@example.com"
NEW_PASSWORD = "Battery-Staple-7!"


def visitor() -> HttpRequest:
    return RequestFactory().post("/accounts/", REMOTE_ADDR="203.0.113.7")


def sign_up(email: str) -> GoTo:
    step = registration.sign_up(
        visitor(), email=email, password=STRONG, attributes={}, next_url="/after/"
    )
    assert isinstance(step, GoTo)
    return step


# --- sign-up (S1, S3) --------------------------------------------------------------------------
def test_a_new_and_a_taken_address_get_the_same_step_and_state_size(cognito: Any) -> None:
    cognito.create_user(ANN, STRONG)
    taken, new = sign_up(ANN), sign_up(NEW)
    assert (
        (taken.page, taken.message)
        == (new.page, new.message)
        == ("cognito_forms:signup_done", None)
    )
    assert isinstance(taken.state, ConfirmState)
    assert isinstance(new.state, ConfirmState)
    # Only this browser's own sign-up carries SignUp's Session, padded to one width (S1).
    assert taken.state.cognito_session is None
    assert new.state.cognito_session
    assert len(str(taken.state.to_data())) == len(str(new.state.to_data()))


def test_confirming_ones_own_sign_up_signs_in(cognito: Any) -> None:
    state = sign_up(NEW).state
    assert isinstance(state, ConfirmState)
    code = cognito.code_for(NEW)
    step = registration.confirm(visitor(), email=NEW, code=code, next_url="/after/", state=state)
    assert isinstance(step, SignedIn)
    assert (step.email, step.next_url) == (NEW, "/after/")


def test_confirming_without_the_sign_ups_session_asks_for_a_sign_in(cognito: Any) -> None:
    sign_up(NEW)
    code = cognito.code_for(NEW)
    step = registration.confirm(visitor(), email=NEW, code=code, next_url="/after/", state=None)
    assert step == GoTo(
        "/accounts/signin/",
        SignInState(NEW, "/after/"),
        message="confirmed_sign_in_or_reset",
        level="success",
    )
    assert "InitiateAuth" not in cognito.calls  # never signed in for someone else (S1)


def test_a_second_code_within_the_cool_down_says_how_long_to_wait(cognito: Any) -> None:
    state = sign_up(NEW).state
    assert isinstance(state, ConfirmState)
    step = registration.resend(email=NEW, state=state)
    assert isinstance(step, GoTo)
    assert (step.message, step.level) == ("resend_wait", "error")
    assert int(str(step.params["seconds"])) > 0
    assert step.state == state  # the sign-up's Session survives a new code
    assert "ResendConfirmationCode" not in cognito.calls


# --- password reset (F3) --------------------------------------------------------------------------
def test_forgot_password_is_the_same_step_for_a_known_and_an_unknown_address(
    cognito: Any,
) -> None:
    cognito.create_user(ANN, STRONG)
    known = recovery.forgot(email=ANN, next_url="")
    unknown = recovery.forgot(email=NEW, next_url="")
    assert known == GoTo("cognito_forms:password_reset", ResetState(ANN), message="reset_code_sent")
    assert unknown == GoTo(
        "cognito_forms:password_reset", ResetState(NEW), message="reset_code_sent"
    )


def test_a_reset_signs_in_with_the_new_password(cognito: Any) -> None:
    cognito.create_user(ANN, STRONG)
    recovery.forgot(email=ANN, next_url="")
    step = recovery.reset(
        visitor(),
        email=ANN,
        code=cognito.code_for(ANN),
        new_password=NEW_PASSWORD,
        next_url="/after/",
        sign_out_everywhere=True,
    )
    assert isinstance(step, SignedIn)
    # The other sessions are ended already; this new one survives that (S4).
    assert (step.next_url, step.then) == ("/after/", SIGNED_OUT_OTHERS)
    assert cognito.calls["GlobalSignOut"] == 1


# --- the signed-in account ------------------------------------------------------------------------
def test_changing_the_password_without_ending_sessions_goes_back_with_a_message(
    cognito: Any,
) -> None:
    sub = cognito.create_user(ANN, STRONG)
    tokens = fetch_tokens(cognito, ANN, STRONG)
    step = account.change_password(
        visitor(),
        access_token=tokens.access_token,
        username=ANN,
        sub=sub,
        current=STRONG,
        new=NEW_PASSWORD,
        sign_out_others=False,
    )
    assert step == GoTo(
        "cognito_forms:password_change", message="password_changed", level="success"
    )


@pytest.mark.parametrize(("remove", "policy"), [(True, "delete"), (False, "deactivate")])
def test_deleting_the_account_signs_out_and_decides_the_local_users_fate(
    cognito: Any, settings: Any, remove: bool, policy: str
) -> None:
    settings.COGNITO_DELETE_LOCAL_USER = remove
    sub = cognito.create_user(ANN, STRONG)
    tokens = fetch_tokens(cognito, ANN, STRONG)
    step = account.delete_account(visitor(), access_token=tokens.access_token, sub=sub)
    assert step == SignedOut("cognito_forms:delete_done", local_user=policy)  # type: ignore[arg-type]
    assert cognito.calls["DeleteUser"] == 1


# --- the vocabulary ---------------------------------------------------------------------------
def test_message_codes_are_not_error_codes_and_every_placeholder_is_filled() -> None:
    adapter = DefaultAdapter()
    assert not set(DefaultAdapter.messages) & set(DefaultAdapter.error_messages)
    params = {"seconds": 30, "method": "App", "name": "email address"}
    for code in DefaultAdapter.messages:
        sentence = adapter.get_message(code, params)
        assert "%(" not in sentence, code
    # A message code falls back to the error sentence of the same code.
    assert adapter.get_message("challenge_expired") == adapter.get_error_message(
        "challenge_expired"
    )


def test_journey_state_is_bound_to_the_browser_and_typed_by_journey() -> None:
    from django.http import HttpResponse

    factory = RequestFactory()
    mine = factory.get("/")
    mine.META["CSRF_COOKIE"] = "a" * 32
    response = HttpResponse()
    journey.save(response, mine, ResetState(ANN, "/after/"))
    jar = {name: morsel.value for name, morsel in response.cookies.items()}
    again = factory.get("/")
    again.META["CSRF_COOKIE"] = "a" * 32
    again.COOKIES.update(jar)
    assert journey.load(again, ResetState) == ResetState(ANN, "/after/")
    assert journey.load(again, ConfirmState) is None  # another journey's state
    other = factory.get("/")
    other.META["CSRF_COOKIE"] = "b" * 32
    other.COOKIES.update(jar)
    assert journey.load(other, ResetState) is None  # copied into another browser
