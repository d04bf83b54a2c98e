"""Sign-in at Cognito: our own InitiateAuth / RespondToAuthChallenge calls.

``USER_SRP_AUTH`` (default) proves the password without sending it: pycognito's ``AWSSRP``
computes SRP_A and the PASSWORD_VERIFIER answer, while this module drives the calls, so that
every further challenge comes back to us as a :class:`~cognito_forms.types.Challenge` for the
views to show. ``USER_PASSWORD_AUTH`` is available through ``COGNITO_AUTH_FLOW``; choice-based
sign-in (``USER_AUTH`` with SELECT_CHALLENGE) through ``COGNITO_CHOICE_BASED_SIGN_IN``.

An SRP sign-in without MFA is exactly two Cognito calls.
"""

from __future__ import annotations

import logging
from typing import Any

from pycognito.aws_srp import AWSSRP

from .. import exceptions as exc
from .. import gateway
from ..conf import app_settings
from ..types import AuthResult, Challenge

logger = logging.getLogger(__name__)


#: What a failed sign-in may look like: all of them get the same generic message, so the
#: page never tells whether an account exists, is disabled or is locked out.
GENERIC_FAILURES: tuple[type[exc.CognitoFormsError], ...] = (
    exc.NotAuthorized,
    exc.UserNotFound,
    exc.TooManyFailedAttempts,
    exc.LimitExceeded,
)


class _NoClient:
    """Stands in for the boto3 client AWSSRP would build: all calls go through our gateway."""


class SrpProof:
    """The client side of one SRP exchange (a fresh random ``a`` per sign-in)."""

    def __init__(self, username: str, password: str) -> None:
        self._username = username
        self._srp = AWSSRP(
            username=username,
            password=password,
            pool_id=app_settings.USER_POOL_ID,
            client_id=app_settings.CLIENT_ID,
            client=_NoClient(),
            # No client_secret: AWSSRP would only add SECRET_HASH with it (not part of the SRP
            # maths), and the gateway adds SECRET_HASH to every call that takes it.
        )

    def srp_a(self) -> str:
        return str(self._srp.get_auth_params()["SRP_A"])

    def auth_parameters(self) -> dict[str, str]:
        return {str(k): str(v) for k, v in self._srp.get_auth_params().items()}

    def verifier_response(self, parameters: Any) -> dict[str, str]:
        try:
            answer = self._srp.process_challenge(dict(parameters), {"USERNAME": self._username})
        except (KeyError, ValueError) as error:
            # A PASSWORD_VERIFIER without the values SRP needs: Cognito answered oddly.
            raise exc.ServiceUnavailable("incomplete PASSWORD_VERIFIER") from error
        return {str(k): str(v) for k, v in answer.items()}


def _username_params(username: str) -> dict[str, str]:
    return {"USERNAME": username}  # the gateway adds SECRET_HASH for secret clients


def _generic(call: Any, *args: Any, proves_password: bool = False, **kwargs: Any) -> AuthResult:
    """``call``, with every credential failure made :class:`SignInFailed`.

    ``PasswordResetRequired`` passes only from a call that ``proves_password`` (our SRP answer
    to PASSWORD_VERIFIER). Elsewhere Cognito may say it before checking any password (it does
    for users imported without one), so telling it would reveal the account's state to anyone
    who types the address (docs/security.md S6): it is one more failed sign-in.
    """
    try:
        result: AuthResult = call(*args, **kwargs)
    except GENERIC_FAILURES as error:
        raise exc.SignInFailed(error.code) from error
    except exc.PasswordResetRequired as error:
        if proves_password:
            raise
        raise exc.SignInFailed(error.code) from error
    except exc.InvalidParameter as error:
        # The same for every account: the client is not set up for this flow.
        logger.error("Cognito refused the sign-in parameters; is the auth flow enabled?")
        raise exc.InvalidUserPoolConfiguration(error.code) from error
    return result


def answer_password_verifier(srp: SrpProof, challenge: Challenge) -> AuthResult:
    """Second half of SRP: prove the password for the PASSWORD_VERIFIER challenge."""
    return _generic(
        gateway.respond_to_challenge,
        proves_password=True,
        name="PASSWORD_VERIFIER",
        session=challenge.session,
        responses=srp.verifier_response(challenge.parameters),
    )


def password_sign_in(email: str, password: str) -> AuthResult:
    """Sign in with email and password: tokens, or the next challenge to show.

    Raises :class:`SignInFailed` for every credential failure, ``UserNotConfirmed`` and
    ``PasswordResetRequired`` for the views to redirect, and service errors as they are.
    ``PasswordResetRequired`` comes only once the password was proven, that is with SRP:
    USER_PASSWORD_AUTH cannot tell whether Cognito checked the password (see :func:`_generic`).
    """
    if app_settings.AUTH_FLOW == "USER_PASSWORD_AUTH":
        return _generic(
            gateway.initiate_auth,
            flow="USER_PASSWORD_AUTH",
            parameters={**_username_params(email), "PASSWORD": password},
        )
    srp = SrpProof(email, password)
    result = _generic(gateway.initiate_auth, flow="USER_SRP_AUTH", parameters=srp.auth_parameters())
    if isinstance(result, Challenge) and result.name == "PASSWORD_VERIFIER":
        return answer_password_verifier(srp, result)
    return result


def start_choice(email: str) -> AuthResult:
    """Choice-based sign-in: ``USER_AUTH`` with the username only (SELECT_CHALLENGE next)."""
    return _generic(gateway.initiate_auth, flow="USER_AUTH", parameters=_username_params(email))


def sign_in_with_cognito_session(email: str, cognito_session: str) -> AuthResult:
    """Sign in right after confirmation with the Session ConfirmSignUp returned."""
    return _generic(
        gateway.initiate_auth,
        flow="USER_AUTH",
        parameters=_username_params(email),
        session=cognito_session,
    )


def choose(
    *,
    username: str,
    cognito_session: str,
    method: str,
    password: str | None,
    available: list[str],
) -> AuthResult:
    """Answer SELECT_CHALLENGE with the visitor's choice (password, email or SMS code)."""
    responses = {**_username_params(username)}
    if method == "PASSWORD":
        if password is None:
            raise exc.SignInFailed("password missing")
        if "PASSWORD_SRP" in available and app_settings.AUTH_FLOW != "USER_PASSWORD_AUTH":
            srp = SrpProof(username, password)
            responses.update(ANSWER="PASSWORD_SRP", SRP_A=srp.srp_a())
            result = _generic(
                gateway.respond_to_challenge,
                name="SELECT_CHALLENGE",
                session=cognito_session,
                responses=responses,
            )
            if isinstance(result, Challenge) and result.name == "PASSWORD_VERIFIER":
                return answer_password_verifier(srp, result)
            return result
        responses.update(ANSWER="PASSWORD", PASSWORD=password)
    else:
        responses["ANSWER"] = method
    return _generic(
        gateway.respond_to_challenge,
        name="SELECT_CHALLENGE",
        session=cognito_session,
        responses=responses,
    )
