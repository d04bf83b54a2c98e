"""The sign-in journey: what happens once Cognito answers, as steps (:mod:`cognito_forms.steps`).

:func:`start` is the sign-in page (limits, the unconfirmed and reset-required branches),
:func:`answer_challenge` every challenge page, and :func:`finish` what every journey does
with Cognito's answer: tokens are a :class:`~cognito_forms.steps.SignedIn`, a challenge a
:class:`~cognito_forms.steps.NextChallenge`. The Cognito calls themselves are in
:mod:`cognito_forms.flows.auth`. The views turn the step into HTTP.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from django.http import HttpRequest

from .. import exceptions as exc
from .. import known_device, ratelimit
from ..journey import SUPPORTED_CHALLENGES, ChallengeState, ConfirmState, ResetState, SignInState
from ..security_log import log_event
from ..steps import GLOBAL_SIGN_OUT, GoTo, NextChallenge, Restart, SignedIn, Step
from ..types import AuthResult, TokenSet
from . import auth, challenges, signup
from . import password as password_flow


def start(request: HttpRequest, *, email: str, password: str | None, next_url: str = "") -> Step:
    """The sign-in form: the password at Cognito (``None``: choice-based sign-in).

    Raises :class:`~cognito_forms.exceptions.SignInFailed` for every credential failure,
    counted against this address and network (S7).
    """
    # A browser this address signed in from before is spared the per-address ceiling, so a
    # stranger failing from many networks cannot lock its owner out (S7); the counters of
    # this network still apply to it.
    known = known_device.recognises(request, email)
    ratelimit.check(request, "signin_failed", key=email, skip=("key",) if known else ())
    try:
        # ``None``: choice-based sign-in, the address alone (SELECT_CHALLENGE next).
        result = (
            auth.start_choice(email) if password is None else auth.password_sign_in(email, password)
        )
    except exc.SignInFailed:
        ratelimit.record_failure(request, "signin_failed", key=email)
        log_event(request, "signin_failed", email=email, reason="credentials")
        raise
    except exc.UserNotConfirmed:
        return unconfirmed(email, next_url)
    except exc.PasswordResetRequired:  # raised only once the password was proven (S6)
        return reset_required(request, email)
    return finish(request, result, email=email, next_url=next_url)


def unconfirmed(email: str, next_url: str = "") -> Step:
    """Only the password's owner gets here: send a fresh code and ask for it."""
    with contextlib.suppress(exc.ResendTooSoon):  # a code was sent moments ago
        signup.resend(email)
    return GoTo(
        "cognito_forms:confirm", ConfirmState(email, next_url), message="confirm_first_code_sent"
    )


def reset_required(request: HttpRequest, email: str) -> Step:
    """The password's owner must choose a new one: send a code and ask for it.

    Only a proven password gets here, and the code counts under the ``forgot`` limits like one
    asked for on the forgot-password page, so sign-ins cannot mail the owner without end (S6).
    """
    ratelimit.hit(request, "forgot", key=email)
    password_flow.forgot(email)
    return GoTo("cognito_forms:password_reset", ResetState(email), message="reset_required")


def finish(
    request: HttpRequest,
    result: AuthResult,
    *,
    email: str,
    next_url: str = "",
    then: str = "",
    previous: ChallengeState | None = None,
) -> Step:
    """Tokens: signed in (or, after a reset that ends every session, sign in afresh).
    A challenge: its page, the state carried over from ``previous`` when there is one."""
    if isinstance(result, TokenSet):
        ratelimit.clear(request, "signin_failed", key=email)
        if then == GLOBAL_SIGN_OUT:
            # The password was just reset: end every session, then sign in afresh.
            password_flow.end_every_session(result)
            return GoTo(
                "cognito_forms:signin",
                SignInState(email, next_url),
                message="signed_out_everywhere",
                level="success",
            )
        return SignedIn(result, email=email, next_url=next_url, then=then)
    if previous is not None:
        state = previous.advance(result)
    else:
        state = ChallengeState.first(result, email=email, next_url=next_url, then=then)
    if state.name not in SUPPORTED_CHALLENGES:
        raise exc.UnsupportedChallenge(state.name)
    return NextChallenge(state)


def answer_challenge(
    request: HttpRequest,
    state: ChallengeState,
    answer: Callable[[], AuthResult],
    *,
    proves_password: bool = False,
) -> Step:
    """One challenge page's answer (``answer`` calls Cognito): the next step of the sign-in.

    Wrong codes are counted per sign-in; too many of them, an expired Session or a failed
    password start the sign-in again. ``proves_password``: the answer proves the password
    (choice-based sign-in), so "reset required" may be told (S6).
    """
    try:
        challenges.check_attempts(state)
        result = answer()
    except (exc.ChallengeExpired, exc.TooManyCodes, exc.SignInFailed) as error:
        log_event(request, "signin_failed", email=state.email, reason=error.code)
        if isinstance(error, exc.SignInFailed):
            ratelimit.record_failure(request, "signin_failed", key=state.email)
        return Restart(error.code, state.email, state.next_url)
    except (exc.CodeMismatch, exc.ExpiredCode):
        challenges.record_wrong_code(state)
        raise
    except exc.PasswordResetRequired:
        if not proves_password:
            raise
        return reset_required(request, state.email)  # only after the SRP proof (S6)
    return finish(
        request,
        result,
        email=state.email,
        next_url=state.next_url,
        then=state.then,
        previous=state,
    )
