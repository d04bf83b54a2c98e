"""The forgot-password journey as steps: ask for a code, then reset and sign in.

The Cognito calls and their rules (one answer whatever the account, F3) are in
:mod:`cognito_forms.flows.password`; this module decides where the visitor goes next.
"""

from __future__ import annotations

from django.http import HttpRequest

from .. import exceptions as exc
from ..journey import ResetState, SignInState
from ..security_log import log_event
from ..steps import GLOBAL_SIGN_OUT, SIGNED_OUT_OTHERS, GoTo, Step
from ..types import TokenSet
from . import password, signin


def forgot(*, email: str, next_url: str) -> Step:
    """Send a code if the account can have one; the same step for every address."""
    password.forgot(email)
    # Existing, unknown, unconfirmed or disabled: this same redirect and cookie.
    return GoTo(
        "cognito_forms:password_reset", ResetState(email, next_url), message="reset_code_sent"
    )


def reset(
    request: HttpRequest,
    *,
    email: str,
    code: str,
    new_password: str,
    next_url: str,
    sign_out_everywhere: bool,
) -> Step:
    """Set the new password, then sign in with it (ending every other session if asked)."""
    password.reset(email, code, new_password)
    log_event(request, "password_reset", email=email, everywhere=sign_out_everywhere)
    try:
        result = password.sign_in_after_reset(
            email, new_password, sign_out_everywhere=sign_out_everywhere
        )
    except exc.CognitoFormsError:
        # The password is changed: a sign-in hiccup must not look like a failed reset.
        return GoTo(
            "cognito_forms:signin",
            SignInState(email, next_url),
            message="password_reset_sign_in",
            level="success",
        )
    # With tokens, the other sessions are already ended (this new one stays); a challenge
    # ends them all afterwards.
    then = ""
    if sign_out_everywhere:
        then = SIGNED_OUT_OTHERS if isinstance(result, TokenSet) else GLOBAL_SIGN_OUT
    return signin.finish(request, result, email=email, next_url=next_url, then=then)
