"""The failure vocabulary of cognito-forms.

Every exception carries its own presentation: a stable ``code`` (the key into the adapter's
``error_messages``), the form ``field`` it belongs to (``None``: the whole form) and the HTTP
``status`` a view should answer with. Views never see botocore; users never see a raw
Cognito message. This module imports nothing of ours.
"""

from __future__ import annotations


class CognitoFormsError(Exception):
    """Base class. ``str()`` of an instance never contains user input or a secret."""

    code: str = "error"
    field: str | None = None
    status: int = 400

    def __init__(self, detail: str = "", *, field: str | None = None) -> None:
        super().__init__(detail or self.code)
        if field is not None:
            self.field = field


# --- Cognito answers -------------------------------------------------------------------------
class NotAuthorized(CognitoFormsError):
    code = "not_authorized"


class UserNotFound(CognitoFormsError):
    code = "user_not_found"


class UsernameExists(CognitoFormsError):
    code = "username_exists"
    field = "email"


class AliasExists(CognitoFormsError):
    code = "alias_exists"
    field = "email"


class UserNotConfirmed(CognitoFormsError):
    code = "user_not_confirmed"


class PasswordResetRequired(CognitoFormsError):
    code = "password_reset_required"


class InvalidPassword(CognitoFormsError):
    code = "invalid_password"
    field = "password"


class InvalidParameter(CognitoFormsError):
    code = "invalid_parameter"


class CodeMismatch(CognitoFormsError):
    code = "code_mismatch"
    field = "code"


class ExpiredCode(CognitoFormsError):
    code = "expired_code"
    field = "code"


class TooManyFailedAttempts(CognitoFormsError):
    code = "too_many_failed_attempts"
    status = 429


class LimitExceeded(CognitoFormsError):
    code = "limit_exceeded"
    status = 429


class CodeDeliveryFailure(CognitoFormsError):
    code = "code_delivery_failure"


class SoftwareTokenMFANotFound(CognitoFormsError):
    code = "software_token_mfa_not_found"


class EnableSoftwareTokenMFA(CognitoFormsError):
    code = "enable_software_token_mfa"
    field = "code"


class RefreshTokenReuse(CognitoFormsError):
    code = "refresh_token_reuse"
    status = 401


class InvalidUserPoolConfiguration(CognitoFormsError):
    code = "invalid_configuration"
    status = 503


class ResourceNotFound(CognitoFormsError):
    code = "resource_not_found"
    status = 503


class UnexpectedLambda(CognitoFormsError):
    code = "unexpected_lambda"
    status = 503


class LambdaRefused(CognitoFormsError):
    """The pool's own trigger (pre sign-up, pre authentication) turned the request down: a
    deliberate answer about what was entered, not a failure to try again later."""

    code = "lambda_refused"


class Forbidden(CognitoFormsError):
    code = "forbidden"
    status = 403


class TooManyRequests(CognitoFormsError):
    """Cognito throttled us and the retry budget is spent: try again later, keep state."""

    code = "too_many_requests"
    status = 503


class ServiceUnavailable(CognitoFormsError):
    """Cognito could not be reached or failed (connection, timeout, 5xx, internal error)."""

    code = "service_unavailable"
    status = 503


class CognitoUnknownError(ServiceUnavailable):
    """An error code we have no entry for: treated as a service failure, never a 500."""

    code = "service_unavailable"


# --- our own checks --------------------------------------------------------------------------
class TokenError(CognitoFormsError):
    """A token failed verification; ``reason`` names the check (never the token)."""

    code = "token_invalid"
    status = 401

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class KeysUnavailable(TokenError):
    """The pool's JWKS could not be fetched and no cached key fits."""

    code = "keys_unavailable"
    status = 503


class FlowStateMissing(CognitoFormsError):
    """The multi-step state cookie is missing, expired, foreign or tampered with."""

    code = "flow_expired"


class RateLimited(CognitoFormsError):
    code = "rate_limited"
    status = 429

    def __init__(self, retry_after: int) -> None:
        super().__init__("rate limited")
        self.retry_after = retry_after


# --- shared state (docs/production.md "When Redis or the database is away") ----------------
class SharedStateUnavailable(CognitoFormsError):
    """The shared cache or the database could not be reached: the action cannot be done
    safely now. Answered with a 503 and ``Retry-After``, the visitor's input kept."""

    code = "service_unavailable"
    status = 503


class CacheUnavailable(SharedStateUnavailable):
    """The shared cache (Redis) failed: a counter, cool-down or deny-list read is unknown."""


class DatabaseUnavailable(SharedStateUnavailable):
    """The database failed: the local user cannot be loaded or synced."""
