"""The unauthenticated operations: sign-up and its confirmation, sign-in and its challenges,
refresh, revocation, sign-out everywhere and the forgotten password.

Each adds what the API takes: SECRET_HASH when the app client has a secret (``SecretHash``,
or inside AuthParameters / ChallengeResponses for the USERNAME they carry; ``ClientSecret``
for the token endpoints), and the visitor's ``UserContextData`` (S12).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from .. import exceptions as exc
from ..conf import app_settings
from ..types import AuthResult, Challenge, CodeDelivery, SignUpResult, TokenSet
from . import connection

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp.type_defs import (
        AuthenticationResultTypeTypeDef,
        ConfirmSignUpResponseTypeDef,
        ForgotPasswordResponseTypeDef,
        GetTokensFromRefreshTokenResponseTypeDef,
        InitiateAuthResponseTypeDef,
        ResendConfirmationCodeResponseTypeDef,
        RespondToAuthChallengeResponseTypeDef,
        SignUpResponseTypeDef,
    )


def _tokens(result: AuthenticationResultTypeTypeDef) -> TokenSet:
    return TokenSet(
        id_token=result["IdToken"],
        access_token=result["AccessToken"],
        refresh_token=result.get("RefreshToken"),
        expires_in=int(result.get("ExpiresIn", 3600)),
        token_type=str(result.get("TokenType", "Bearer")),
    )


def _auth_result(
    response: InitiateAuthResponseTypeDef | RespondToAuthChallengeResponseTypeDef,
) -> AuthResult:
    result = response.get("AuthenticationResult")
    if result:
        return _tokens(result)
    name = response.get("ChallengeName")
    if not name:
        raise exc.ServiceUnavailable("no result and no challenge")
    return Challenge(
        name=str(name),
        session=str(response.get("Session", "")),
        parameters=dict(response.get("ChallengeParameters") or {}),
        available_challenges=tuple(response.get("AvailableChallenges") or ()),
    )


def _client_secret() -> dict[str, str]:
    secret = app_settings.CLIENT_SECRET
    return {"ClientSecret": secret} if secret else {}


# --- sign-up and confirmation ------------------------------------------------------------------
def sign_up(*, username: str, password: str | None, attributes: Mapping[str, str]) -> SignUpResult:
    params: dict[str, Any] = {
        "ClientId": app_settings.CLIENT_ID,
        "Username": username,
        "UserAttributes": connection.attribute_list(attributes),
        **connection.secret_hash_param(username),
        **connection.user_context(),
    }
    if password is not None:
        params["Password"] = password
    response = cast("SignUpResponseTypeDef", connection.call("sign_up", **params))
    return SignUpResult(
        user_sub=str(response.get("UserSub", "")),
        user_confirmed=bool(response.get("UserConfirmed", False)),
        delivery=connection.delivery(response.get("CodeDeliveryDetails")),
        session=response.get("Session"),
    )


def confirm_sign_up(*, username: str, code: str, session: str | None = None) -> str | None:
    """Confirm a sign-up code; returns the Session usable for USER_AUTH sign-in, if any."""
    params: dict[str, Any] = {
        "ClientId": app_settings.CLIENT_ID,
        "Username": username,
        "ConfirmationCode": code,
        **connection.secret_hash_param(username),
        **connection.user_context(),
    }
    if session:
        params["Session"] = session
    response = cast("ConfirmSignUpResponseTypeDef", connection.call("confirm_sign_up", **params))
    return response.get("Session")


def resend_confirmation_code(*, username: str) -> CodeDelivery | None:
    response = connection.call(
        "resend_confirmation_code",
        ClientId=app_settings.CLIENT_ID,
        Username=username,
        **connection.secret_hash_param(username),
        **connection.user_context(),
    )
    typed = cast("ResendConfirmationCodeResponseTypeDef", response)
    return connection.delivery(typed.get("CodeDeliveryDetails"))


# --- sign-in -----------------------------------------------------------------------------------
def initiate_auth(
    *, flow: str, parameters: Mapping[str, str], session: str | None = None
) -> AuthResult:
    """InitiateAuth; SECRET_HASH is added to ``parameters`` for their USERNAME (secret clients)."""
    params: dict[str, Any] = {
        "ClientId": app_settings.CLIENT_ID,
        "AuthFlow": flow,
        "AuthParameters": connection.with_secret_hash(parameters),
        **connection.user_context(),
    }
    if session:
        params["Session"] = session
    response = cast("InitiateAuthResponseTypeDef", connection.call("initiate_auth", **params))
    return _auth_result(response)


def respond_to_challenge(
    *, name: str, session: str | None, responses: Mapping[str, str]
) -> AuthResult:
    """RespondToAuthChallenge; SECRET_HASH is added to ``responses`` for their USERNAME.

    ``session`` may be empty: Cognito sends none with SRP's PASSWORD_VERIFIER challenge.
    """
    params: dict[str, Any] = {
        "ClientId": app_settings.CLIENT_ID,
        "ChallengeName": name,
        "ChallengeResponses": connection.with_secret_hash(responses),
        **connection.user_context(),
    }
    if session:
        params["Session"] = session
    response = connection.call("respond_to_auth_challenge", **params)
    return _auth_result(cast("RespondToAuthChallengeResponseTypeDef", response))


def refresh(*, refresh_token: str) -> TokenSet:
    """GetTokensFromRefreshToken: with rotation on, the answer holds a new refresh token."""
    response = connection.call(
        "get_tokens_from_refresh_token",
        ClientId=app_settings.CLIENT_ID,
        RefreshToken=refresh_token,
        **_client_secret(),
    )
    result = cast("GetTokensFromRefreshTokenResponseTypeDef", response).get("AuthenticationResult")
    if not result:
        raise exc.ServiceUnavailable("refresh answered without tokens")
    return _tokens(result)


def revoke(*, refresh_token: str) -> None:
    connection.call(
        "revoke_token", ClientId=app_settings.CLIENT_ID, Token=refresh_token, **_client_secret()
    )


def global_sign_out(*, access_token: str) -> None:
    connection.call("global_sign_out", AccessToken=access_token)


# --- the forgotten password --------------------------------------------------------------------
def forgot_password(*, username: str) -> CodeDelivery | None:
    response = connection.call(
        "forgot_password",
        ClientId=app_settings.CLIENT_ID,
        Username=username,
        **connection.secret_hash_param(username),
        **connection.user_context(),
    )
    typed = cast("ForgotPasswordResponseTypeDef", response)
    return connection.delivery(typed.get("CodeDeliveryDetails"))


def confirm_forgot_password(*, username: str, code: str, password: str) -> None:
    connection.call(
        "confirm_forgot_password",
        ClientId=app_settings.CLIENT_ID,
        Username=username,
        ConfirmationCode=code,
        Password=password,
        **connection.secret_hash_param(username),
        **connection.user_context(),
    )
