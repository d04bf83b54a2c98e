"""Forgot password and reset.

"Forgot password" answers identically for existing, unknown, unconfirmed and disabled
accounts: only a failure of the service itself is shown. The reset checks the code and the
new password; the caller then signs the user in and, if asked, ends every other session.
"""

from __future__ import annotations

import logging

from .. import exceptions as exc
from .. import gateway
from ..conf import app_settings
from ..tokens import verify_pair
from ..types import AuthResult, TokenSet
from . import attempts, session
from .auth import password_sign_in

logger = logging.getLogger(__name__)

#: Service-level failures: the same for every address, known or not, so they may be shown.
#: (Not InvalidUserPoolConfiguration: a broken SMS or email role fails only when a code is
#: really sent, that is only for an existing account; see :func:`forgot`.)
SERVICE_FAILURES: tuple[type[exc.CognitoFormsError], ...] = (
    exc.ServiceUnavailable,
    exc.TooManyRequests,
    exc.ResourceNotFound,
)


def forgot(email: str) -> None:
    """Send a reset code if the account can have one; answer the same way regardless."""
    try:
        gateway.forgot_password(username=email)
    except exc.CognitoUnknownError as error:
        # An error code we do not know (HTTP 4xx) may be about this account: hidden (S14).
        logger.warning("Forgot-password request not sent (unmapped %s)", error)
    except SERVICE_FAILURES:
        raise
    except exc.InvalidUserPoolConfiguration as error:
        # With existence errors hidden, Cognito sends nothing for an unknown address, so a
        # broken SMS/email set-up fails for existing accounts only: never on the page (S14).
        logger.error("Forgot-password code not sent: pool configuration (%s)", error.code)
    except exc.CognitoFormsError as error:
        # Unknown, unconfirmed, disabled, no verified address, per-user limit, delivery
        # failure, LEGACY existence errors: indistinguishable on the page (F3, S14).
        logger.info("Forgot-password request not sent (%s)", error.code)


def reset(email: str, code: str, password: str) -> None:
    """ConfirmForgotPassword. A code that does not work is one field error; attempts are
    limited."""
    if attempts.failures("reset", email) >= app_settings.CODE_MAX_ATTEMPTS:
        raise exc.TooManyCodes("too many codes")
    try:
        gateway.confirm_forgot_password(username=email, code=code, password=password)
    except (exc.CodeMismatch, exc.ExpiredCode, exc.UserNotFound, exc.NotAuthorized) as error:
        # One answer for wrong and expired codes and for unknown or disabled accounts (F3):
        # an unconfirmed account has no pending code, so Cognito calls any code "expired",
        # while an unknown one gets "wrong": telling them apart would reveal the account.
        attempts.add_failure("reset", email, 3600)
        raise exc.ResetCodeInvalid(error.code) from error
    except exc.LimitExceeded as error:
        raise exc.TooManyCodes(error.code) from error
    attempts.clear_failures("reset", email)


def sign_in_after_reset(email: str, password: str, *, sign_out_everywhere: bool) -> AuthResult:
    """Sign in with the new password; with ``sign_out_everywhere``, end every other session.

    GlobalSignOut ends *every* session of the user, the one just started included, so the
    order is: sign in, GlobalSignOut with that access token, sign in again. When the sign-in
    needs a challenge (MFA), the caller does the GlobalSignOut once the challenge is passed.
    """
    result = password_sign_in(email, password)
    if sign_out_everywhere and isinstance(result, TokenSet):
        end_every_session(result)
        result = password_sign_in(email, password)
    return result


def end_every_session(tokens: TokenSet) -> None:
    """Sign the user of ``tokens`` out everywhere, these tokens included: at Cognito
    (GlobalSignOut) and on this site's deny list (docs/security.md S2)."""
    try:
        id_claims, _ = verify_pair(tokens.id_token, tokens.access_token)
    except exc.TokenError:
        # No verified sub for the deny list (the keys are away): Cognito still ends every
        # session, and the caller tells the user to sign in.
        gateway.global_sign_out(access_token=tokens.access_token)
        raise
    session.end_every_session(str(id_claims["sub"]), access_token=tokens.access_token)
