"""The failure vocabulary of cognito-forms.

Every exception carries its own presentation: a stable ``code`` (the key into the adapter's
``error_messages``), the form ``field`` it belongs to (``None``: the whole form) and the HTTP
``status`` a view answers with, used as is. Three bases say what kind of answer it is:

- :class:`InputError`: about what the visitor entered; the form again, status 200, with the
  sentence on its field.
- :class:`FlowError`: the journey cannot go on from here (expired state, a sign-in to start
  again, a step elsewhere); flows usually turn it into a next step, else status 200.
- :class:`ServiceError`: a problem on our side or a limit: status 503 or 429 with
  ``Retry-After``; what the visitor typed is kept.

Views never see botocore; users never see a raw Cognito message. Codes are unique: one code,
one sentence. This module imports nothing of ours.
"""

from __future__ import annotations


class CognitoFormsError(Exception):
    """Base class. ``str()`` of an instance never contains user input or a secret."""

    code: str = "error"
    field: str | None = None
    status: int = 200

    def __init__(self, detail: str = "", *, field: str | None = None) -> None:
        super().__init__(detail or self.code)
        if field is not None:
            self.field = field


class InputError(CognitoFormsError):
    """What the visitor entered was not accepted: shown on the form (status 200)."""

    status = 200


class FlowError(CognitoFormsError):
    """A next step is needed (state expired, sign in again): the journey goes elsewhere."""

    status = 200


class ServiceError(CognitoFormsError):
    """A service problem or a limit: try again later (503, or 429 with ``retry_after``)."""

    status = 503


# --- Cognito answers: the visitor's input ------------------------------------------------------
class NotAuthorized(InputError):
    code = "not_authorized"


class UserNotFound(InputError):
    code = "user_not_found"


class UsernameExists(InputError):
    code = "username_exists"
    field = "email"


class AliasExists(InputError):
    code = "alias_exists"
    field = "email"


class InvalidPassword(InputError):
    code = "invalid_password"
    field = "password"


class InvalidParameter(InputError):
    code = "invalid_parameter"


class CodeMismatch(InputError):
    code = "code_mismatch"
    field = "code"


class ExpiredCode(InputError):
    code = "expired_code"
    field = "code"


class CodeDeliveryFailure(InputError):
    """The code could not be delivered to the address or number given."""

    code = "code_delivery_failure"


class SoftwareTokenMFANotFound(InputError):
    code = "software_token_mfa_not_found"


class EnableSoftwareTokenMFA(InputError):
    code = "enable_software_token_mfa"
    field = "code"


class LambdaRefused(InputError):
    """The pool's own trigger (pre sign-up, pre authentication) turned the request down: a
    deliberate answer about what was entered, not a failure to try again later."""

    code = "lambda_refused"


class Forbidden(InputError):
    """Cognito's web ACL blocked the request: answered on the form, like a refused input."""

    code = "forbidden"


# --- Cognito answers: a next step ---------------------------------------------------------------
class UserNotConfirmed(FlowError):
    code = "user_not_confirmed"


class PasswordResetRequired(FlowError):
    code = "password_reset_required"


class RefreshTokenReuse(FlowError):
    code = "refresh_token_reuse"


# --- Cognito answers: the service ----------------------------------------------------------------
class TooManyFailedAttempts(ServiceError):
    code = "too_many_failed_attempts"
    status = 429


class LimitExceeded(ServiceError):
    code = "limit_exceeded"
    status = 429


class InvalidUserPoolConfiguration(ServiceError):
    code = "invalid_configuration"


class ResourceNotFound(ServiceError):
    code = "resource_not_found"


class UnexpectedLambda(ServiceError):
    code = "unexpected_lambda"


class TooManyRequests(ServiceError):
    """Cognito throttled us and the retry budget is spent: try again later, keep state."""

    code = "too_many_requests"


class ServiceUnavailable(ServiceError):
    """Cognito could not be reached or failed (connection, timeout, 5xx, internal error)."""

    code = "service_unavailable"


class CognitoUnknownError(ServiceUnavailable):
    """An error code we have no entry for: treated as a service failure, never a 500."""

    code = "service_unavailable"


# --- our own checks: the visitor's input ---------------------------------------------------------
class SignInFailed(NotAuthorized):
    """One answer for every failed sign-in (wrong password, unknown, disabled, locked out)."""

    code = "signin_failed"


class WrongPassword(NotAuthorized):
    """The current password given on a page that asks for it again is not right."""

    code = "wrong_password"
    field = "password"


class EmailRequired(InputError):
    """A step that needs the address found none in its state and none typed."""

    code = "email_required"
    field = "email"


class ConfirmCodeInvalid(CodeMismatch):
    """A sign-up code that did not confirm, whatever the reason (docs/security.md S3)."""

    code = "confirm_code_invalid"


class ResetCodeInvalid(CodeMismatch):
    """A reset code that did not work, wrong or expired alike (docs/security.md F3)."""

    code = "reset_code_invalid"


# --- our own checks: a next step -----------------------------------------------------------------
class TokenError(FlowError):
    """A token failed verification; ``reason`` names the check (never the token)."""

    code = "token_invalid"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class FlowStateMissing(FlowError):
    """The multi-step state cookie is missing, expired, foreign or tampered with."""

    code = "flow_expired"


class ChallengeExpired(FlowStateMissing):
    """Cognito's challenge Session is gone (3 minutes) or was used up: sign in again."""

    code = "challenge_expired"


# --- our own checks: limits and the service ------------------------------------------------------
class KeysUnavailable(TokenError, ServiceError):
    """The pool's JWKS could not be fetched and no cached key fits."""

    code = "keys_unavailable"
    status = 503


class RateLimited(ServiceError):
    code = "rate_limited"
    status = 429

    def __init__(self, retry_after: int) -> None:
        super().__init__("rate limited")
        self.retry_after = retry_after


class ResendTooSoon(ServiceError):
    """A new code was asked for before the cool-down ended."""

    code = "resend_too_soon"
    status = 429

    def __init__(self, retry_after: int) -> None:
        super().__init__("resend too soon")
        self.retry_after = retry_after


class TooManyCodes(TooManyFailedAttempts):
    """Too many wrong codes (sign-up confirmation, password reset, a sign-in challenge, an
    attribute verification): counted by us, before Cognito's own limit. One sentence."""

    code = "too_many_codes"


class UnsupportedChallenge(ServiceError):
    """Cognito asked for a step this site has no page for (e.g. a passkey, a device)."""

    code = "unsupported_challenge"


# --- shared state (docs/production.md "When Redis or the database is away") ----------------
class SharedStateUnavailable(ServiceError):
    """The shared cache or the database could not be reached: the action cannot be done
    safely now. Answered with a 503 and ``Retry-After``, the visitor's input kept."""

    code = "service_unavailable"


class CacheUnavailable(SharedStateUnavailable):
    """The shared cache (Redis) failed: a counter, cool-down or deny-list read is unknown."""


class DatabaseUnavailable(SharedStateUnavailable):
    """The database failed: the local user cannot be loaded or synced."""
