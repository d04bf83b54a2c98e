"""Sign-up and confirmation.

A taken address is answered exactly like a new one (no account enumeration): the visitor is
told to check their email either way. Only the browser whose sign-up created the account is
signed in straight after confirmation: it carries SignUp's Session into ConfirmSignUp, which
answers with a Session for a USER_AUTH sign-in (docs/security.md S1). Anyone else who confirms
is asked to sign in, since the password may have been chosen by someone else.

Every code that does not confirm (wrong, expired, used, unknown or already confirmed address)
gets one answer (docs/security.md S3).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field

from .. import exceptions as exc
from .. import gateway
from ..conf import app_settings
from ..types import AuthResult
from . import attempts
from .auth import sign_in_with_cognito_session

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SignedUp:
    """What a sign-up left this browser: ``created`` is for logging only (the answer must not
    depend on it); ``session`` is SignUp's Session, ``None`` when the address was taken."""

    created: bool
    session: str | None = field(default=None, repr=False)


def sign_up(email: str, password: str, attributes: Mapping[str, str]) -> SignedUp:
    """Create the account. A taken address is not an error: callers answer both the same way."""
    try:
        result = gateway.sign_up(username=email, password=password, attributes=attributes)
    except (exc.UsernameExists, exc.AliasExists):
        signed_up = SignedUp(created=False)
    else:
        signed_up = SignedUp(created=True, session=result.session or None)
    # Same page, status, cookies and resend cool-down either way: the address stays private.
    attempts.start_cooldown("resend", email, app_settings.RESEND_COOLDOWN)
    return signed_up


def confirm(email: str, code: str, sign_up_session: str | None = None) -> str | None:
    """Check the sign-up code. Returns a Session to sign in with, only when this browser's own
    sign-up (``sign_up_session``) created the account and Cognito gives one."""
    window = app_settings.STATE_MAX_AGE
    if attempts.failures("confirm", email) >= app_settings.CODE_MAX_ATTEMPTS:
        raise exc.TooManyCodes("too many codes")
    try:
        new_session = _confirm_sign_up(email, code, sign_up_session)
    except (exc.CodeMismatch, exc.ExpiredCode, exc.UserNotFound, exc.NotAuthorized) as error:
        # Wrong, expired or used code, unknown or already confirmed address: one answer, or
        # the form would tell which addresses have accounts (S3, like the reset form's F3).
        attempts.add_failure("confirm", email, window)
        raise exc.ConfirmCodeInvalid(error.code) from error
    except (exc.TooManyFailedAttempts, exc.LimitExceeded) as error:
        raise exc.TooManyCodes(error.code) from error
    attempts.clear_failures("confirm", email)
    # Whoever confirms without the sign-up's Session may not know the password someone else
    # chose at sign-up: never sign them in, whatever Cognito hands back (S1).
    return new_session if sign_up_session else None


def _confirm_sign_up(email: str, code: str, sign_up_session: str | None) -> str | None:
    if sign_up_session:
        try:
            return gateway.confirm_sign_up(username=email, code=code, session=sign_up_session)
        except exc.NotAuthorized:
            # The sign-up's Session may have expired (AWS does not say how long it lives):
            # confirm without it; the visitor then signs in with their password.
            logger.info("ConfirmSignUp refused the sign-up Session; confirming without it")
    gateway.confirm_sign_up(username=email, code=code)
    return None


def resend(email: str) -> None:
    """Send a new sign-up code, at most once per cool-down (enforced here, on the server).

    Unknown and already confirmed addresses are answered like the others.
    """
    wait = attempts.cooldown_remaining("resend", email)
    if wait:
        raise exc.ResendTooSoon(wait)
    attempts.start_cooldown("resend", email, app_settings.RESEND_COOLDOWN)
    try:
        gateway.resend_confirmation_code(username=email)
    except (exc.UserNotFound, exc.InvalidParameter, exc.NotAuthorized):
        return
    except exc.CodeDeliveryFailure:
        logger.warning("Cognito could not deliver a confirmation code")


def sign_in_after_confirm(email: str, cognito_session: str | None) -> AuthResult | None:
    """Tokens (or a challenge) right after confirmation; ``None`` when a sign-in is needed."""
    if not cognito_session:
        return None
    try:
        return sign_in_with_cognito_session(email, cognito_session)
    except (exc.SignInFailed, exc.InvalidUserPoolConfiguration, exc.InvalidParameter):
        # USER_AUTH is not enabled for this client, or the Session was not accepted.
        return None
