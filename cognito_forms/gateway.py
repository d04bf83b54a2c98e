"""The one module that talks to Cognito (boto3 ``cognito-idp``).

Methods are named after what the user does, take keyword-only typed arguments and return the
frozen dataclasses of :mod:`cognito_forms.types`, never raw dicts. One private ``_call`` turns
``ClientError`` codes into our exceptions through ``ERRORS`` and every ``BotoCoreError``
(connection refused, timeout, ...) into :class:`ServiceUnavailable`, chaining the original.

The client is built once per process and configuration, with standard retries (at most 3
attempts) and short timeouts: boto3's default 60 s read timeout would hang a web worker. A read
timeout is never retried, so a silent Cognito costs one read timeout (5 s), not three.
``calls`` counts API calls per operation (tests and the benchmark read it).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import threading
from collections import Counter
from collections.abc import Mapping
from typing import Any

import boto3
import botocore.config
from botocore.exceptions import BotoCoreError, ClientError, ReadTimeoutError

from . import exceptions as exc
from . import visitor
from .conf import app_settings
from .types import (
    AttributeSchema,
    AuthResult,
    Challenge,
    ClientDescription,
    CodeDelivery,
    CognitoUser,
    PasswordPolicy,
    PoolDescription,
    SignUpResult,
    SoftwareTokenSecret,
    TokenSet,
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

_clients: dict[tuple[Any, ...], Any] = {}
_clients_lock = threading.Lock()


def reset_counters() -> None:
    calls.clear()
    attempts.clear()


def _count_call(model: Any, **_: Any) -> None:
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


def _client_key() -> tuple[Any, ...]:
    s = app_settings
    return (s.REGION, s.ENDPOINT_URL, s.CONNECT_TIMEOUT, s.READ_TIMEOUT, s.MAX_ATTEMPTS)


def client() -> Any:
    """The boto3 client for the configured pool (one per process and configuration)."""
    key = _client_key()
    existing = _clients.get(key)
    if existing is not None:
        return existing
    with _clients_lock:
        existing = _clients.get(key)
        if existing is not None:
            return existing
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
        new_client = session.client("cognito-idp", **kwargs)
        new_client.meta.events.register("provide-client-params", _count_call)
        new_client.meta.events.register("before-send", _count_attempt)
        # Registered as specifically as botocore's own retry handler, and before it.
        service = new_client.meta.service_model.service_id.hyphenize()
        # botocore's stubs type handlers as returning None; needs-retry handlers do answer.
        veto: Any = _no_retry_when_hung
        new_client.meta.events.register_first(f"needs-retry.{service}", veto)
        _clients[key] = new_client
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


def _call(operation: str, **params: Any) -> dict[str, Any]:
    method = getattr(client(), operation)
    try:
        response: dict[str, Any] = method(**params)
    except ClientError as error:
        raise _error(error) from error
    except BotoCoreError as error:
        raise exc.ServiceUnavailable(type(error).__name__) from error
    return response


def _secret_hash(username: str) -> dict[str, str]:
    secret = app_settings.CLIENT_SECRET
    if not secret:
        return {}
    digest = hmac.new(
        secret.encode(), (username + app_settings.CLIENT_ID).encode(), hashlib.sha256
    ).digest()
    return {"SecretHash": base64.b64encode(digest).decode()}


def secret_hash_value(username: str) -> str | None:
    """SECRET_HASH for auth parameters and challenge responses, when the client has a secret."""
    return _secret_hash(username).get("SecretHash")


def _user_context() -> dict[str, Any]:
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


def _attributes(values: Mapping[str, str]) -> list[dict[str, str]]:
    return [{"Name": name, "Value": value} for name, value in values.items()]


def _delivery(details: Mapping[str, Any] | None) -> CodeDelivery | None:
    if not details:
        return None
    return CodeDelivery(
        destination=str(details.get("Destination", "")),
        medium=str(details.get("DeliveryMedium", "")),
        attribute=str(details.get("AttributeName", "")),
    )


def _auth_result(response: Mapping[str, Any]) -> AuthResult:
    result = response.get("AuthenticationResult")
    if result:
        return TokenSet(
            id_token=result["IdToken"],
            access_token=result["AccessToken"],
            refresh_token=result.get("RefreshToken"),
            expires_in=int(result.get("ExpiresIn", 3600)),
            token_type=str(result.get("TokenType", "Bearer")),
        )
    name = response.get("ChallengeName")
    if not name:
        raise exc.ServiceUnavailable("no result and no challenge")
    return Challenge(
        name=str(name),
        session=str(response.get("Session", "")),
        parameters=dict(response.get("ChallengeParameters") or {}),
        available_challenges=tuple(response.get("AvailableChallenges") or ()),
    )


# --- sign-up and confirmation ------------------------------------------------------------------
def sign_up(*, username: str, password: str | None, attributes: Mapping[str, str]) -> SignUpResult:
    params: dict[str, Any] = {
        "ClientId": app_settings.CLIENT_ID,
        "Username": username,
        "UserAttributes": _attributes(attributes),
        **_secret_hash(username),
        **_user_context(),
    }
    if password is not None:
        params["Password"] = password
    response = _call("sign_up", **params)
    return SignUpResult(
        user_sub=str(response.get("UserSub", "")),
        user_confirmed=bool(response.get("UserConfirmed", False)),
        delivery=_delivery(response.get("CodeDeliveryDetails")),
        session=response.get("Session"),
    )


def confirm_sign_up(*, username: str, code: str, session: str | None = None) -> str | None:
    """Confirm a sign-up code; returns the Session usable for USER_AUTH sign-in, if any."""
    params: dict[str, Any] = {
        "ClientId": app_settings.CLIENT_ID,
        "Username": username,
        "ConfirmationCode": code,
        **_secret_hash(username),
        **_user_context(),
    }
    if session:
        params["Session"] = session
    response = _call("confirm_sign_up", **params)
    return response.get("Session")


def resend_confirmation_code(*, username: str) -> CodeDelivery | None:
    response = _call(
        "resend_confirmation_code",
        ClientId=app_settings.CLIENT_ID,
        Username=username,
        **_secret_hash(username),
        **_user_context(),
    )
    return _delivery(response.get("CodeDeliveryDetails"))


# --- sign-in -----------------------------------------------------------------------------------
def initiate_auth(
    *, flow: str, parameters: Mapping[str, str], session: str | None = None
) -> AuthResult:
    params: dict[str, Any] = {
        "ClientId": app_settings.CLIENT_ID,
        "AuthFlow": flow,
        "AuthParameters": dict(parameters),
        **_user_context(),
    }
    if session:
        params["Session"] = session
    return _auth_result(_call("initiate_auth", **params))


def respond_to_challenge(
    *, name: str, session: str | None, responses: Mapping[str, str]
) -> AuthResult:
    """``session`` may be empty: Cognito sends none with SRP's PASSWORD_VERIFIER challenge."""
    params: dict[str, Any] = {
        "ClientId": app_settings.CLIENT_ID,
        "ChallengeName": name,
        "ChallengeResponses": dict(responses),
        **_user_context(),
    }
    if session:
        params["Session"] = session
    return _auth_result(_call("respond_to_auth_challenge", **params))


def refresh(*, refresh_token: str) -> TokenSet:
    """GetTokensFromRefreshToken: with rotation on, the answer holds a new refresh token."""
    params: dict[str, Any] = {
        "ClientId": app_settings.CLIENT_ID,
        "RefreshToken": refresh_token,
    }
    if app_settings.CLIENT_SECRET:
        params["ClientSecret"] = app_settings.CLIENT_SECRET
    result = _auth_result(_call("get_tokens_from_refresh_token", **params))
    if not isinstance(result, TokenSet):
        raise exc.ServiceUnavailable("refresh answered with a challenge")
    return result


def revoke(*, refresh_token: str) -> None:
    params: dict[str, Any] = {"ClientId": app_settings.CLIENT_ID, "Token": refresh_token}
    if app_settings.CLIENT_SECRET:
        params["ClientSecret"] = app_settings.CLIENT_SECRET
    _call("revoke_token", **params)


def global_sign_out(*, access_token: str) -> None:
    _call("global_sign_out", AccessToken=access_token)


# --- passwords ---------------------------------------------------------------------------------
def forgot_password(*, username: str) -> CodeDelivery | None:
    response = _call(
        "forgot_password",
        ClientId=app_settings.CLIENT_ID,
        Username=username,
        **_secret_hash(username),
        **_user_context(),
    )
    return _delivery(response.get("CodeDeliveryDetails"))


def confirm_forgot_password(*, username: str, code: str, password: str) -> None:
    _call(
        "confirm_forgot_password",
        ClientId=app_settings.CLIENT_ID,
        Username=username,
        ConfirmationCode=code,
        Password=password,
        **_secret_hash(username),
        **_user_context(),
    )


def change_password(*, access_token: str, previous: str, proposed: str) -> None:
    _call(
        "change_password",
        AccessToken=access_token,
        PreviousPassword=previous,
        ProposedPassword=proposed,
    )


# --- the signed-in user ------------------------------------------------------------------------
def get_user(*, access_token: str) -> CognitoUser:
    response = _call("get_user", AccessToken=access_token)
    return CognitoUser(
        username=str(response.get("Username", "")),
        attributes={a["Name"]: a.get("Value", "") for a in response.get("UserAttributes", [])},
        mfa_options=tuple(response.get("UserMFASettingList") or ()),
        preferred_mfa=response.get("PreferredMfaSetting"),
    )


def update_user_attributes(
    *, access_token: str, attributes: Mapping[str, str]
) -> list[CodeDelivery]:
    response = _call(
        "update_user_attributes",
        AccessToken=access_token,
        UserAttributes=_attributes(attributes),
    )
    deliveries = [_delivery(d) for d in response.get("CodeDeliveryDetailsList", [])]
    return [d for d in deliveries if d is not None]


def delete_user_attributes(*, access_token: str, names: list[str]) -> None:
    _call("delete_user_attributes", AccessToken=access_token, UserAttributeNames=names)


def get_user_attribute_verification_code(
    *, access_token: str, attribute: str
) -> CodeDelivery | None:
    response = _call(
        "get_user_attribute_verification_code",
        AccessToken=access_token,
        AttributeName=attribute,
    )
    return _delivery(response.get("CodeDeliveryDetails"))


def verify_user_attribute(*, access_token: str, attribute: str, code: str) -> None:
    _call("verify_user_attribute", AccessToken=access_token, AttributeName=attribute, Code=code)


def associate_software_token(
    *, access_token: str | None = None, session: str | None = None
) -> SoftwareTokenSecret:
    params: dict[str, Any] = {}
    if access_token:
        params["AccessToken"] = access_token
    if session:
        params["Session"] = session
    response = _call("associate_software_token", **params)
    return SoftwareTokenSecret(secret=response["SecretCode"], session=response.get("Session"))


def verify_software_token(
    *,
    code: str,
    access_token: str | None = None,
    session: str | None = None,
    device_name: str | None = None,
) -> str | None:
    """Verify a TOTP code during enrolment; returns the new Session (sign-in enrolment)."""
    params: dict[str, Any] = {"UserCode": code}
    if access_token:
        params["AccessToken"] = access_token
    if session:
        params["Session"] = session
    if device_name:
        params["FriendlyDeviceName"] = device_name
    response = _call("verify_software_token", **params)
    if response.get("Status") != "SUCCESS":
        raise exc.CodeMismatch("verification did not succeed")
    return response.get("Session")


def set_mfa_preference(
    *,
    access_token: str,
    totp: tuple[bool, bool] | None = None,
    sms: tuple[bool, bool] | None = None,
    email: tuple[bool, bool] | None = None,
) -> None:
    """Each argument is ``(enabled, preferred)``; ``None`` leaves that method unchanged."""
    params: dict[str, Any] = {"AccessToken": access_token}
    for key, value in (
        ("SoftwareTokenMfaSettings", totp),
        ("SMSMfaSettings", sms),
        ("EmailMfaSettings", email),
    ):
        if value is not None:
            params[key] = {"Enabled": value[0], "PreferredMfa": value[1]}
    _call("set_user_mfa_preference", **params)


def delete_user(*, access_token: str) -> None:
    _call("delete_user", AccessToken=access_token)


# --- configuration -----------------------------------------------------------------------------
def _int(value: Any, default: int | None = None) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def describe_pool() -> PoolDescription:
    pool = _call("describe_user_pool", UserPoolId=app_settings.USER_POOL_ID)["UserPool"]
    raw_policy = pool.get("Policies", {}).get("PasswordPolicy", {})
    policy = PasswordPolicy(
        min_length=int(raw_policy.get("MinimumLength", 8)),
        require_uppercase=bool(raw_policy.get("RequireUppercase", False)),
        require_lowercase=bool(raw_policy.get("RequireLowercase", False)),
        require_numbers=bool(raw_policy.get("RequireNumbers", False)),
        require_symbols=bool(raw_policy.get("RequireSymbols", False)),
        temporary_password_validity_days=int(raw_policy.get("TemporaryPasswordValidityDays", 7)),
    )
    attributes = []
    for item in pool.get("SchemaAttributes", []):
        strings = item.get("StringAttributeConstraints") or {}
        numbers = item.get("NumberAttributeConstraints") or {}
        attributes.append(
            AttributeSchema(
                name=str(item["Name"]),
                data_type=str(item.get("AttributeDataType", "String")),
                mutable=bool(item.get("Mutable", True)),
                required=bool(item.get("Required", False)),
                developer_only=bool(item.get("DeveloperOnlyAttribute", False)),
                min_length=_int(strings.get("MinLength")),
                max_length=_int(strings.get("MaxLength")),
                min_value=_int(numbers.get("MinValue")),
                max_value=_int(numbers.get("MaxValue")),
            )
        )
    update = pool.get("UserAttributeUpdateSettings") or {}
    return PoolDescription(
        pool_id=str(pool.get("Id", app_settings.USER_POOL_ID)),
        password_policy=policy,
        attributes=tuple(attributes),
        username_attributes=tuple(pool.get("UsernameAttributes") or ()),
        auto_verified_attributes=tuple(pool.get("AutoVerifiedAttributes") or ()),
        mfa_configuration=str(pool.get("MfaConfiguration", "OFF")),
        attributes_require_verification_before_update=tuple(
            update.get("AttributesRequireVerificationBeforeUpdate") or ()
        ),
        raw=pool,
    )


_UNIT_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}


def describe_client() -> ClientDescription:
    c = _call(
        "describe_user_pool_client",
        UserPoolId=app_settings.USER_POOL_ID,
        ClientId=app_settings.CLIENT_ID,
    )["UserPoolClient"]
    units = c.get("TokenValidityUnits") or {}

    def seconds(key: str, unit_key: str, default_unit: str, default: int) -> int:
        value = c.get(key)
        if value is None:
            return default
        return int(value) * _UNIT_SECONDS.get(units.get(unit_key, default_unit), 1)

    rotation = c.get("RefreshTokenRotation") or {}
    return ClientDescription(
        client_id=str(c.get("ClientId", "")),
        has_secret=bool(c.get("ClientSecret")),
        explicit_auth_flows=tuple(c.get("ExplicitAuthFlows") or ()),
        read_attributes=tuple(c.get("ReadAttributes") or ()),
        write_attributes=tuple(c.get("WriteAttributes") or ()),
        prevent_user_existence_errors=str(c.get("PreventUserExistenceErrors", "LEGACY")),
        enable_token_revocation=bool(c.get("EnableTokenRevocation", False)),
        refresh_token_rotation=rotation.get("Feature") == "ENABLED",
        retry_grace_period_seconds=int(rotation.get("RetryGracePeriodSeconds", 0) or 0),
        access_token_validity_seconds=seconds("AccessTokenValidity", "AccessToken", "hours", 3600),
        id_token_validity_seconds=seconds("IdTokenValidity", "IdToken", "hours", 3600),
        refresh_token_validity_seconds=seconds(
            "RefreshTokenValidity", "RefreshToken", "days", 30 * 86400
        ),
        raw=c,
    )


# --- administration (the Django admin; needs AWS credentials for the pool) ----------------------
_credentials_found: dict[str, bool] = {}


def has_admin_credentials() -> bool:
    """Can this process sign admin calls (``Admin*``)? True against the embedded Cognito.

    boto3's credential chain is asked once per process (environment, files, instance role).
    """
    if app_settings.LOCAL_EMULATOR:
        return True
    if "found" not in _credentials_found:
        try:
            found = boto3.session.Session().get_credentials() is not None
        except BotoCoreError:
            found = False
        _credentials_found["found"] = found
    return _credentials_found["found"]


def forget_admin_credentials() -> None:
    """Ask boto3's credential chain again on the next :func:`has_admin_credentials` (tests)."""
    _credentials_found.clear()


def admin_get_user(*, username: str) -> CognitoUser:
    """AdminGetUser: attributes, status (CONFIRMED, FORCE_CHANGE_PASSWORD ...) and enabled."""
    response = _call("admin_get_user", UserPoolId=app_settings.USER_POOL_ID, Username=username)
    return CognitoUser(
        username=str(response.get("Username", "")),
        attributes={a["Name"]: a.get("Value", "") for a in response.get("UserAttributes", [])},
        mfa_options=tuple(response.get("UserMFASettingList") or ()),
        preferred_mfa=response.get("PreferredMfaSetting"),
        enabled=bool(response.get("Enabled", True)),
        status=response.get("UserStatus"),
        created_at=response.get("UserCreateDate"),
    )


def admin_disable_user(*, username: str) -> None:
    """AdminDisableUser: no more sign-ins; Cognito also revokes the user's tokens."""
    _call("admin_disable_user", UserPoolId=app_settings.USER_POOL_ID, Username=username)


def admin_enable_user(*, username: str) -> None:
    _call("admin_enable_user", UserPoolId=app_settings.USER_POOL_ID, Username=username)


def admin_reset_user_password(*, username: str) -> None:
    """AdminResetUserPassword: the user must choose a new password with a code sent to them."""
    _call("admin_reset_user_password", UserPoolId=app_settings.USER_POOL_ID, Username=username)


def admin_user_global_sign_out(*, username: str) -> None:
    """AdminUserGlobalSignOut: every refresh token of the user stops working."""
    _call("admin_user_global_sign_out", UserPoolId=app_settings.USER_POOL_ID, Username=username)


def admin_add_user_to_group(*, username: str, group: str) -> None:
    _call(
        "admin_add_user_to_group",
        UserPoolId=app_settings.USER_POOL_ID,
        Username=username,
        GroupName=group,
    )


def admin_remove_user_from_group(*, username: str, group: str) -> None:
    _call(
        "admin_remove_user_from_group",
        UserPoolId=app_settings.USER_POOL_ID,
        Username=username,
        GroupName=group,
    )


def list_users(
    *, filter_expression: str, pagination_token: str | None = None
) -> tuple[tuple[CognitoUser, ...], str | None]:
    """ListUsers: one page (at most 60) of users matching a filter, and the next page's token."""
    params: dict[str, Any] = {
        "UserPoolId": app_settings.USER_POOL_ID,
        "Filter": filter_expression,
        "Limit": 60,
    }
    if pagination_token:
        params["PaginationToken"] = pagination_token
    response = _call("list_users", **params)
    users = tuple(
        CognitoUser(
            username=str(u.get("Username", "")),
            attributes={a["Name"]: a.get("Value", "") for a in u.get("Attributes", [])},
            enabled=bool(u.get("Enabled", True)),
            status=u.get("UserStatus"),
            created_at=u.get("UserCreateDate"),
        )
        for u in response.get("Users", [])
    )
    return users, response.get("PaginationToken") or None


def admin_delete_user(*, username: str) -> None:
    """AdminDeleteUser: the account is gone; its address can sign up afresh."""
    _call("admin_delete_user", UserPoolId=app_settings.USER_POOL_ID, Username=username)


def admin_list_groups_for_user(*, username: str) -> tuple[str, ...]:
    """The names of the user's groups (first 60; enough for an admin page)."""
    response = _call(
        "admin_list_groups_for_user",
        UserPoolId=app_settings.USER_POOL_ID,
        Username=username,
        Limit=60,
    )
    return tuple(str(g.get("GroupName", "")) for g in response.get("Groups", []))
