"""Cognito's error vocabulary, as JSON errors moto's dispatcher already knows how to send.

Every class renders ``{"__type": <name>, "message": <text>}`` with HTTP 400, which is what
botocore turns into ``ClientError`` with ``Error.Code == <name>``.
"""

from __future__ import annotations

from moto.core.exceptions import JsonRESTError


class CognitoError(JsonRESTError):
    """Base: subclasses set ``error_type`` and a default message."""

    error_type_name = "InternalErrorException"
    default_message = ""
    status = 400

    def __init__(self, message: str | None = None) -> None:
        super().__init__(self.error_type_name, message or self.default_message)
        self.code = self.status


def _error(name: str, default: str = "", status: int = 400) -> type[CognitoError]:
    return type(
        name,
        (CognitoError,),
        {"error_type_name": name, "default_message": default, "status": status},
    )


NotAuthorized = _error("NotAuthorizedException", "Incorrect username or password.")
UserNotFound = _error("UserNotFoundException", "User does not exist.")
UserNotConfirmed = _error("UserNotConfirmedException", "User is not confirmed.")
PasswordResetRequired = _error(
    "PasswordResetRequiredException", "Password reset required for the user"
)
CodeMismatch = _error(
    "CodeMismatchException", "Invalid verification code provided, please try again."
)
ExpiredCode = _error("ExpiredCodeException", "Invalid code provided, please request a code again.")
LimitExceeded = _error(
    "LimitExceededException", "Attempt limit exceeded, please try after some time."
)
TooManyFailedAttempts = _error(
    "TooManyFailedAttemptsException", "Too many failed attempts, please try again later."
)
InvalidPassword = _error("InvalidPasswordException", "Password did not conform with policy")
InvalidParameter = _error("InvalidParameterException")
UsernameExists = _error(
    "UsernameExistsException", "An account with the given email already exists."
)
AliasExists = _error("AliasExistsException", "An account with the given email already exists.")
ResourceNotFound = _error("ResourceNotFoundException")
RefreshTokenReuse = _error(
    "RefreshTokenReuseException", "The refresh token has been used beyond the grace period."
)
UnsupportedOperation = _error("UnsupportedOperationException")
UnsupportedTokenType = _error("UnsupportedTokenTypeException")
EnableSoftwareTokenMFA = _error("EnableSoftwareTokenMFAException", "Code mismatch")
UnknownOperation = _error("UnknownOperationException")
InternalError = _error("InternalErrorException", "Internal error", status=500)
