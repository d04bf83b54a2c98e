"""The sign-up journey as steps: sign up, confirm (and sign in), send a new code.

The Cognito calls and their rules (S1, S3) are in :mod:`cognito_forms.flows.signup`; this
module decides where the visitor goes next and what the journey state carries.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.http import HttpRequest

from .. import exceptions as exc
from ..adapter import get_adapter
from ..journey import ConfirmState, SignInState
from ..security_log import log_event
from ..steps import GoTo, Step
from . import signin, signup


def sign_up(
    request: HttpRequest, *, email: str, password: str, attributes: Mapping[str, str], next_url: str
) -> Step:
    """Create the account and ask for the code: the same step whether the address was free."""
    signed_up = signup.sign_up(email, password, attributes)
    log_event(request, "signup", email=email, new_account=signed_up.created)
    # A taken address gets exactly this step too (same page, status, cookie names and sizes):
    # only the sealed state tells, to this browser alone, that it created the account.
    return GoTo("cognito_forms:signup_done", ConfirmState(email, next_url, signed_up.session))


def confirm(
    request: HttpRequest, *, email: str, code: str, next_url: str, state: ConfirmState | None
) -> Step:
    """Check the code; sign in when this browser's own sign-up created the account (S1)."""
    own_sign_up = state.cognito_session if state else None
    session = signup.confirm(email, code, own_sign_up)
    log_event(request, "confirmed", email=email)
    result = signup.sign_in_after_confirm(email, session)
    if result is not None:
        return signin.finish(request, result, email=email, next_url=next_url)
    return GoTo(
        get_adapter().get_signup_redirect_url(request),
        SignInState(email, next_url),
        # Another browser signed up: the password may not be this visitor's (S1).
        message="confirmed_sign_in" if own_sign_up else "confirmed_sign_in_or_reset",
        level="success",
    )


def resend(*, email: str, state: ConfirmState | None) -> Step:
    """A new code, at most once per cool-down; back to the confirm page either way."""
    if not email:
        raise exc.EmailRequired("no address")
    # The sign-up's Session survives a new code: the account's creator still signs in.
    kept = ConfirmState(
        email,
        state.next_url if state else "",
        state.cognito_session if state else None,
    )
    try:
        signup.resend(email)
    except exc.ResendTooSoon as error:
        return GoTo(
            "cognito_forms:confirm",
            kept,
            message="resend_wait",
            level="error",
            params={"seconds": error.retry_after},
        )
    return GoTo("cognito_forms:confirm", kept, message="resend_sent", level="success")
