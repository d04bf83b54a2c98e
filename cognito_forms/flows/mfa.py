"""Two-step verification settings of the signed-in user (SetUserMFAPreference).

Methods are named ``totp``, ``sms`` and ``email`` here and mapped to Cognito's names. What the
pool allows comes from its description: nothing when MFA is off; an authenticator app always
otherwise; text messages when the pool can send SMS; email codes when it sends email through
SES (Cognito's own email sender cannot carry MFA codes).
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import exceptions as exc
from .. import gateway, pool
from ..conf import app_settings
from ..types import PoolDescription, SoftwareTokenSecret

METHODS = ("totp", "sms", "email")
#: Our method name -> Cognito's name in GetUser's UserMFASettingList / PreferredMfaSetting.
COGNITO_NAMES = {"totp": "SOFTWARE_TOKEN_MFA", "sms": "SMS_MFA", "email": "EMAIL_OTP"}
#: The attribute a method sends its codes to.
DESTINATION = {"sms": "phone_number", "email": "email"}


@dataclass(frozen=True)
class MfaStatus:
    enabled: tuple[str, ...]
    preferred: str | None
    available: tuple[str, ...]


def available_methods(description: PoolDescription | None = None) -> tuple[str, ...]:
    """The methods the pool lets a user turn on."""
    description = description or pool.describe_pool()
    if description.mfa_configuration == "OFF":
        return ()
    configured = app_settings.MFA_METHODS
    if configured:
        return tuple(m for m in METHODS if m in configured)
    methods = ["totp"]
    if description.sms_configured:
        methods.append("sms")
    if description.email_through_ses:
        methods.append("email")
    return tuple(methods)


def _ours(name: str | None) -> str | None:
    for ours, theirs in COGNITO_NAMES.items():
        if theirs == name:
            return ours
    return None


def status(*, access_token: str) -> MfaStatus:
    """The user's methods as Cognito knows them (one GetUser call)."""
    user = gateway.get_user(access_token=access_token)
    enabled = tuple(m for m in (_ours(n) for n in user.mfa_options) if m)
    return MfaStatus(
        enabled=enabled, preferred=_ours(user.preferred_mfa), available=available_methods()
    )


def _set(access_token: str, method: str, enabled: bool, preferred: bool) -> None:
    if method not in METHODS:
        raise exc.InvalidParameter("unknown method")
    gateway.set_mfa_preference(access_token=access_token, **{method: (enabled, preferred)})


def enable(*, access_token: str, method: str, make_preferred: bool) -> None:
    """Turn SMS or email codes on (TOTP goes through :func:`confirm_totp`)."""
    if method not in available_methods():
        raise exc.InvalidParameter("method not allowed by the pool")
    _set(access_token, method, True, make_preferred)


def disable(*, access_token: str, method: str) -> None:
    _set(access_token, method, False, False)


def prefer(*, access_token: str, method: str) -> None:
    _set(access_token, method, True, True)


def start_totp(*, access_token: str) -> SoftwareTokenSecret:
    """AssociateSoftwareToken: a new secret for the authenticator app (not active yet)."""
    return gateway.associate_software_token(access_token=access_token)


def confirm_totp(*, access_token: str, code: str, device_name: str, make_preferred: bool) -> None:
    """VerifySoftwareToken with the app's first code, then turn TOTP on."""
    gateway.verify_software_token(
        access_token=access_token, code=code, device_name=device_name or None
    )
    _set(access_token, "totp", True, make_preferred)
