"""Sign-up and confirmation.

A taken address is answered exactly like a new one (no account enumeration): the visitor is
told to check their email either way. Confirmation returns Cognito's Session, with which the
new user is signed in straight away where the pool allows it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from .. import exceptions as exc
from .. import gateway
from ..conf import app_settings
from ..types import AuthResult
from . import attempts
from .signin import SignInFailed, sign_in_with_session

logger = logging.getLogger(__name__)


class ResendTooSoon(exc.CognitoFormsError):
    """A new code was asked for before the cool-down ended."""

    code = "resend_too_soon"
    status = 429

    def __init__(self, retry_after: int) -> None:
        super().__init__("resend too soon")
        self.retry_after = retry_after


class TooManyConfirmAttempts(exc.TooManyFailedAttempts):
    code = "too_many_codes"


def sign_up(email: str, password: str, attributes: Mapping[str, str]) -> bool:
    """Create the account. Returns True when it is new, False when the address was taken.

    Callers must answer both the same way; the return value is for logging only.
    """
    try:
        gateway.sign_up(username=email, password=password, attributes=attributes)
    except (exc.UsernameExists, exc.AliasExists):
        created = False
    else:
        created = True
    # Same page, status, cookies and resend cool-down either way: the address stays private.
    attempts.start_cooldown("resend", email, app_settings.RESEND_COOLDOWN)
    return created


def confirm(email: str, code: str, session: str | None = None) -> str | None:
    """Check the sign-up code. Returns the Session for signing in, when Cognito gives one."""
    window = app_settings.STATE_MAX_AGE
    if attempts.failures("confirm", email) >= app_settings.CODE_MAX_ATTEMPTS:
        raise TooManyConfirmAttempts("too many codes")
    try:
        new_session = gateway.confirm_sign_up(username=email, code=code, session=session)
    except (exc.CodeMismatch, exc.ExpiredCode, exc.UserNotFound) as error:
        attempts.add_failure("confirm", email, window)
        if isinstance(error, exc.UserNotFound):
            # Unknown address: answered like a wrong code, never "no such account".
            raise exc.CodeMismatch(error.code) from error
        raise
    except exc.NotAuthorized as error:
        # Already confirmed: answered like a wrong code, so an address reveals nothing.
        raise exc.CodeMismatch(error.code) from error
    attempts.clear_failures("confirm", email)
    return new_session


def resend(email: str) -> None:
    """Send a new sign-up code, at most once per cool-down (enforced here, on the server).

    Unknown and already confirmed addresses are answered like the others.
    """
    wait = attempts.cooldown_remaining("resend", email)
    if wait:
        raise ResendTooSoon(wait)
    attempts.start_cooldown("resend", email, app_settings.RESEND_COOLDOWN)
    try:
        gateway.resend_confirmation_code(username=email)
    except (exc.UserNotFound, exc.InvalidParameter, exc.NotAuthorized):
        return
    except exc.CodeDeliveryFailure:
        logger.warning("Cognito could not deliver a confirmation code")


def sign_in_after_confirm(email: str, session: str | None) -> AuthResult | None:
    """Tokens (or a challenge) right after confirmation; ``None`` when a sign-in is needed."""
    if not session:
        return None
    try:
        return sign_in_with_session(email, session)
    except (SignInFailed, exc.InvalidUserPoolConfiguration, exc.InvalidParameter):
        # USER_AUTH is not enabled for this client, or the Session was not accepted.
        return None
