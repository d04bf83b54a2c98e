"""Answers to the challenges Cognito returns during sign-in, and the state that carries them.

The state (username, Cognito Session, attempts, where to go next) lives in the short-lived
encrypted state cookie; this module only shapes it (:class:`ChallengeState`) and talks to
Cognito. TOTP enrolment (MFA_SETUP) renders its QR code on the server with ``segno``.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import segno

from .. import exceptions as exc
from .. import gateway, pool
from ..conf import app_settings
from ..journey import SUPPORTED_CHALLENGES, ChallengeState
from ..types import AttributeSchema, AuthResult
from . import attempts

#: Challenge name -> the response key that carries the code.
CODE_KEYS = {
    "SOFTWARE_TOKEN_MFA": "SOFTWARE_TOKEN_MFA_CODE",
    "SMS_MFA": "SMS_MFA_CODE",
    "SMS_OTP": "SMS_OTP_CODE",
    "EMAIL_OTP": "EMAIL_OTP_CODE",
}
#: Challenges this app has a page for.
SUPPORTED = SUPPORTED_CHALLENGES


def _respond(
    state: ChallengeState, responses: dict[str, str], name: str | None = None
) -> AuthResult:
    params = {"USERNAME": state.username, **responses}  # the gateway adds SECRET_HASH
    try:
        return gateway.respond_to_challenge(
            name=name or state.name, session=state.session, responses=params
        )
    except exc.NotAuthorized as error:
        # An invalid or expired Session (the code itself would be CodeMismatch).
        raise exc.ChallengeExpired(error.code) from error


def _attempt_key(state: ChallengeState) -> str:
    # Counted in the shared cache, not the cookie: replaying an older cookie does not reset it.
    return f"{state.username}:{state.started}"


def check_attempts(state: ChallengeState) -> None:
    """Refuse once too many wrong codes were typed for this sign-in: it starts over."""
    if attempts.failures("challenge", _attempt_key(state)) >= app_settings.CODE_MAX_ATTEMPTS:
        raise exc.TooManyCodes("too many codes")


def record_wrong_code(state: ChallengeState) -> None:
    attempts.add_failure("challenge", _attempt_key(state), app_settings.CHALLENGE_MAX_AGE)


def answer_code(state: ChallengeState, code: str) -> AuthResult:
    """SOFTWARE_TOKEN_MFA, SMS_MFA, SMS_OTP, EMAIL_OTP."""
    return _respond(state, {CODE_KEYS[state.name]: code})


def select_mfa(state: ChallengeState, method: str) -> AuthResult:
    return _respond(state, {"ANSWER": method})


def mfa_choices(state: ChallengeState) -> list[str]:
    """The second steps SELECT_MFA_TYPE offers (Cognito lists them in MFAS_CAN_CHOOSE)."""
    return _json_list(state.parameters.get("MFAS_CAN_CHOOSE")) or ["SOFTWARE_TOKEN_MFA", "SMS_MFA"]


def sign_in_choices(state: ChallengeState) -> list[str]:
    """The ways SELECT_CHALLENGE offers that this site can complete."""
    offered = state.available or ["PASSWORD", "EMAIL_OTP", "SMS_OTP"]
    choices = []
    if "PASSWORD" in offered or "PASSWORD_SRP" in offered:
        choices.append("PASSWORD")
    choices += [c for c in ("EMAIL_OTP", "SMS_OTP") if c in offered]
    return choices


def _json_list(raw: str | None) -> list[str]:
    try:
        value = json.loads(raw or "[]")
    except ValueError:
        return []
    return [str(v) for v in value] if isinstance(value, list) else []


def missing_attributes(state: ChallengeState) -> list[AttributeSchema]:
    """NEW_PASSWORD_REQUIRED: required attributes the account lacks (writable ones only)."""
    required = [
        n.removeprefix("userAttributes.")
        for n in _json_list(state.parameters.get("requiredAttributes"))
    ]
    described = pool.describe_pool()
    result = []
    for name in required:
        if name in pool.NOT_ASKED or not pool.writable(name):
            continue
        result.append(described.attribute(name) or AttributeSchema(name=name))
    return result


def new_password(state: ChallengeState, password: str, attributes: dict[str, str]) -> AuthResult:
    responses = {"NEW_PASSWORD": password}
    responses.update({f"userAttributes.{k}": v for k, v in attributes.items()})
    return _respond(state, responses)


# --- TOTP enrolment during sign-in (MFA_SETUP) --------------------------------------------------
def can_set_up_totp(state: ChallengeState) -> bool:
    offered = _json_list(state.parameters.get("MFAS_CAN_SETUP"))
    return not offered or "SOFTWARE_TOKEN_MFA" in offered


def begin_totp_setup(state: ChallengeState) -> ChallengeState:
    """AssociateSoftwareToken with the challenge Session: a new secret and a new Session."""
    try:
        secret = gateway.associate_software_token(session=state.session)
    except exc.NotAuthorized as error:
        raise exc.ChallengeExpired(error.code) from error
    state.totp_secret = secret.secret
    if secret.session:
        state.session = secret.session
    return state


def finish_totp_setup(state: ChallengeState, code: str) -> AuthResult:
    """VerifySoftwareToken, then answer MFA_SETUP with the Session it returns."""
    try:
        session = gateway.verify_software_token(code=code, session=state.session)
    except exc.NotAuthorized as error:
        raise exc.ChallengeExpired(error.code) from error
    except exc.EnableSoftwareTokenMFA as error:
        raise exc.CodeMismatch(error.code) from error
    if session:
        state.session = session
    return _respond(state, {}, name="MFA_SETUP")


def totp_uri(secret: str, email: str, issuer: str) -> str:
    """The otpauth:// URI authenticator apps read from the QR code."""
    label = quote(f"{issuer}:{email}", safe="@:")
    return f"otpauth://totp/{label}?secret={secret}&issuer={quote(issuer, safe='')}"


def qr_svg_data_uri(uri: str) -> str:
    """The QR code as a data: URI (SVG), drawn on the server: no request leaves the page."""
    return str(segno.make(uri, error="m").svg_data_uri(scale=4, border=2))
