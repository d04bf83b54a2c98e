"""The connection to Cognito: one boto3 client per process, its counters, and ``call``.

The client is built once per process and configuration, with standard retries (at most 3
attempts) and short timeouts: boto3's default 60 s read timeout would hang a web worker. A read
timeout is never retried, so a silent Cognito costs one read timeout (5 s), not three.
``calls`` counts API calls per operation (tests and the benchmark read it).

:func:`call` turns ``ClientError`` codes into our exceptions through ``ERRORS`` and every
``BotoCoreError`` (connection refused, timeout, ...) into :class:`ServiceUnavailable`,
chaining the original. The other gateway modules go through it, by attribute
(``connection.call``), so that one patch in a test sees every call.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import threading
from collections import Counter
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, cast

import boto3
import botocore.config
from botocore.exceptions import BotoCoreError, ClientError, ReadTimeoutError

from .. import exceptions as exc
from .. import visitor
from ..conf import app_settings
from ..types import CodeDelivery

if TYPE_CHECKING:  # the stubs are a development dependency
    from botocore.model import OperationModel
    from mypy_boto3_cognito_idp import CognitoIdentityProviderClient
    from mypy_boto3_cognito_idp.type_defs import (
        AttributeTypeTypeDef,
        CodeDeliveryDetailsTypeTypeDef,
    )

logger = logging.getLogger(__name__)

#: Cognito error code -> our exception class. Anything not listed is a service failure.
ERRORS: dict[str, type[exc.CognitoFormsError]] = {
    "NotAuthorizedException": exc.NotAuthorized,
    "UserNotFoundException": exc.UserNotFound,
    "UsernameExistsException": exc.UsernameExists,
    "AliasExistsException": exc.AliasExists,
    "UserNotConfirmedException": exc.UserNotConfirmed,
    "PasswordResetRequiredException": exc.PasswordResetRequired,
    "InvalidPasswordException": exc.InvalidPassword,
    "PasswordHistoryPolicyViolationException": exc.InvalidPassword,
    "InvalidParameterException": exc.InvalidParameter,
    "CodeMismatchException": exc.CodeMismatch,
    "ExpiredCodeException": exc.ExpiredCode,
    "TooManyFailedAttemptsException": exc.TooManyFailedAttempts,
    "LimitExceededException": exc.LimitExceeded,
    "CodeDeliveryFailureException": exc.CodeDeliveryFailure,
    "SoftwareTokenMFANotFoundException": exc.SoftwareTokenMFANotFound,
    "EnableSoftwareTokenMFAException": exc.EnableSoftwareTokenMFA,
    "RefreshTokenReuseException": exc.RefreshTokenReuse,
    "InvalidUserPoolConfigurationException": exc.InvalidUserPoolConfiguration,
    "InvalidSmsRoleAccessPolicyException": exc.InvalidUserPoolConfiguration,
    "InvalidSmsRoleTrustRelationshipException": exc.InvalidUserPoolConfiguration,
    "InvalidEmailRoleAccessPolicyException": exc.InvalidUserPoolConfiguration,
    "InvalidLambdaResponseException": exc.UnexpectedLambda,
    "UnexpectedLambdaException": exc.UnexpectedLambda,
    "UserLambdaValidationException": exc.LambdaRefused,
    "ResourceNotFoundException": exc.ResourceNotFound,
    "ForbiddenException": exc.Forbidden,
    "UnsupportedTokenTypeException": exc.InvalidParameter,
    "UnsupportedOperationException": exc.InvalidUserPoolConfiguration,
    "TooManyRequestsException": exc.TooManyRequests,
    "ThrottlingException": exc.TooManyRequests,
    "InternalErrorException": exc.ServiceUnavailable,
    "InternalServerError": exc.ServiceUnavailable,
    "ServiceUnavailable": exc.ServiceUnavailable,
}

#: API calls made, per operation name (e.g. ``calls["InitiateAuth"]``), in this process.
calls: Counter[str] = Counter()
#: HTTP attempts sent (retries included), per operation name.
attempts: Counter[str] = Counter()

_ClientKey = tuple[str, str, float, float, int]
_clients: dict[_ClientKey, CognitoIdentityProviderClient] = {}
_clients_lock = threading.Lock()


def reset_counters() -> None:
    calls.clear()
    attempts.clear()


def _count_call(model: OperationModel, **_: Any) -> None:
    calls[model.name] += 1


def _count_attempt(event_name: str = "", **_: Any) -> None:
    # The event is "before-send.<service>.<Operation>", emitted once per HTTP attempt.
    operation = event_name.rsplit(".", 1)[-1]
    if operation and operation != "before-send":
        attempts[operation] += 1


def _no_retry_when_hung(caught_exception: Exception | None = None, **_: Any) -> bool | None:
    # A Cognito that accepted the connection and went silent is not helped by waiting again:
    # one read timeout ends the call, so a hung Cognito costs a request seconds, not 3 x 5 s.
    # Throttling, 5xx and refused connections (fast failures) keep botocore's retries.
    if isinstance(caught_exception, ReadTimeoutError):
        return False  # the first answer that is not None wins: False means "do not retry"
    return None


def _client_key() -> _ClientKey:
    s = app_settings
    return (s.REGION, s.ENDPOINT_URL, s.CONNECT_TIMEOUT, s.READ_TIMEOUT, s.MAX_ATTEMPTS)


def client() -> CognitoIdentityProviderClient:
    """The boto3 client for the configured pool (one per process and configuration)."""
    key = _client_key()
    existing = _clients.get(key)
    if existing is not None:
        return existing
    with _clients_lock:
        existing = _clients.get(key)
        if existing is not None:
            return existing
        new_client = _build(key)
        _clients[key] = new_client
        return new_client


def _build(key: _ClientKey) -> CognitoIdentityProviderClient:
    region, endpoint, connect_timeout, read_timeout, max_attempts = key
    config = botocore.config.Config(
        region_name=region,
        connect_timeout=connect_timeout,
        read_timeout=read_timeout,
        retries={"mode": "standard", "total_max_attempts": max_attempts},
        tcp_keepalive=True,
    )
    kwargs: dict[str, Any] = {"config": config}
    if endpoint:
        kwargs["endpoint_url"] = endpoint
    if app_settings.LOCAL_EMULATOR:
        # The embedded Cognito accepts any credentials; never use real ones against it.
        kwargs["aws_access_key_id"] = "local"
        kwargs["aws_secret_access_key"] = "local"
    session = boto3.session.Session()
    new_client: CognitoIdentityProviderClient = session.client("cognito-idp", **kwargs)
    new_client.meta.events.register("provide-client-params", _count_call)
    new_client.meta.events.register("before-send", _count_attempt)
    # Registered as specifically as botocore's own retry handler, and before it.
    service = new_client.meta.service_model.service_id.hyphenize()
    # botocore's stubs type handlers as returning None; needs-retry handlers do answer.
    veto = cast("Callable[..., None]", _no_retry_when_hung)
    new_client.meta.events.register_first(f"needs-retry.{service}", veto)
    return new_client


def _error(error: ClientError) -> exc.CognitoFormsError:
    info = error.response.get("Error", {})
    code = str(info.get("Code", ""))
    status = int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
    kind = ERRORS.get(code)
    if kind is None:
        kind = exc.ServiceUnavailable if status >= 500 or not status else exc.CognitoUnknownError
        logger.warning("Unmapped Cognito error code %s (HTTP %s)", code or "?", status or "?")
    # The Cognito message may echo user input: keep only the code in our exception text.
    return kind(code)


def call(operation: str, **params: Any) -> dict[str, Any]:
    """``client().<operation>(**params)``, with Cognito's and the network's errors made ours."""
    method = getattr(client(), operation)
    try:
        response: dict[str, Any] = method(**params)
    except ClientError as error:
        raise _error(error) from error
    except BotoCoreError as error:
        raise exc.ServiceUnavailable(type(error).__name__) from error
    return response


# --- what the unauthenticated operations add ---------------------------------------------------
def secret_hash(username: str) -> str | None:
    """Cognito's SECRET_HASH for ``username`` when the app client has a secret, else ``None``:
    Base64(HMAC-SHA256(client secret, username + client id))."""
    secret = app_settings.CLIENT_SECRET
    if not secret:
        return None
    message = (username + app_settings.CLIENT_ID).encode()
    return base64.b64encode(hmac.new(secret.encode(), message, hashlib.sha256).digest()).decode()


def with_secret_hash(values: Mapping[str, str]) -> dict[str, str]:
    """AuthParameters / ChallengeResponses with SECRET_HASH for their USERNAME, when needed.

    The gateway adds it, not the flows: the client secret never leaves this package.
    """
    result = dict(values)
    digest = secret_hash(result["USERNAME"]) if "USERNAME" in result else None
    if digest:
        result["SECRET_HASH"] = digest
    return result


def secret_hash_param(username: str) -> dict[str, str]:
    """``{"SecretHash": ...}`` for the operations that take it as a parameter, or ``{}``."""
    digest = secret_hash(username)
    return {"SecretHash": digest} if digest else {}


def user_context() -> dict[str, Any]:
    """``UserContextData`` for an unauthenticated call: the visitor's IP address (S12).

    Without it Cognito's threat protection sees every call coming from this server. Cognito
    uses the address only when the app client accepts additional user context data
    (``EnablePropagateAdditionalUserContextData``, clients with a secret); there is no
    ``EncodedData``, which only Cognito's browser script produces.
    """
    address = visitor.ip_address()
    if not address or not app_settings.SEND_USER_CONTEXT_DATA:
        return {}
    return {"UserContextData": {"IpAddress": address}}


# --- shapes shared by the modules ----------------------------------------------------------------
def attribute_list(values: Mapping[str, str]) -> list[AttributeTypeTypeDef]:
    return [{"Name": name, "Value": value} for name, value in values.items()]


def attribute_map(items: list[AttributeTypeTypeDef] | None) -> dict[str, str]:
    return {a["Name"]: a.get("Value", "") for a in items or ()}


def delivery(details: CodeDeliveryDetailsTypeTypeDef | None) -> CodeDelivery | None:
    if not details:
        return None
    return CodeDelivery(
        destination=str(details.get("Destination", "")),
        medium=str(details.get("DeliveryMedium", "")),
        attribute=str(details.get("AttributeName", "")),
    )
