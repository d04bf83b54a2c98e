"""Frozen value types passed between the gateway, the flows and the views.

This module imports nothing of ours. Tokens are plain strings here; their ``repr`` is hidden
so that a traceback or a debug log never prints one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class TokenSet:
    """What a successful authentication or refresh returns."""

    id_token: str = field(repr=False)
    access_token: str = field(repr=False)
    refresh_token: str | None = field(default=None, repr=False)
    expires_in: int = 3600
    token_type: str = "Bearer"

    def with_refresh_token(self, refresh_token: str | None) -> TokenSet:
        """Cognito omits the refresh token when it is not rotated: keep the old one."""
        if self.refresh_token or not refresh_token:
            return self
        return TokenSet(
            id_token=self.id_token,
            access_token=self.access_token,
            refresh_token=refresh_token,
            expires_in=self.expires_in,
            token_type=self.token_type,
        )


@dataclass(frozen=True)
class Challenge:
    """Cognito asks for another step before it hands out tokens."""

    name: str
    session: str = field(repr=False)
    parameters: Mapping[str, str] = field(default_factory=dict)
    available_challenges: tuple[str, ...] = ()


AuthResult = TokenSet | Challenge


@dataclass(frozen=True)
class CodeDelivery:
    destination: str
    medium: str  # EMAIL or SMS
    attribute: str


@dataclass(frozen=True)
class SignUpResult:
    user_sub: str
    user_confirmed: bool
    delivery: CodeDelivery | None = None
    session: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class SoftwareTokenSecret:
    secret: str = field(repr=False)
    session: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class CognitoUser:
    """GetUser / AdminGetUser / ListUsers."""

    username: str
    attributes: Mapping[str, str]
    mfa_options: tuple[str, ...] = ()
    preferred_mfa: str | None = None
    enabled: bool = True
    status: str | None = None
    created_at: datetime | None = None  # AdminGetUser and ListUsers only


@dataclass(frozen=True)
class PasswordPolicy:
    min_length: int = 8
    require_uppercase: bool = False
    require_lowercase: bool = False
    require_numbers: bool = False
    require_symbols: bool = False
    temporary_password_validity_days: int = 7


@dataclass(frozen=True)
class AttributeSchema:
    name: str
    data_type: str = "String"  # String, Number, DateTime, Boolean
    mutable: bool = True
    required: bool = False
    developer_only: bool = False
    min_length: int | None = None
    max_length: int | None = None
    min_value: int | None = None
    max_value: int | None = None

    @property
    def is_custom(self) -> bool:
        return self.name.startswith("custom:")


@dataclass(frozen=True)
class PoolDescription:
    pool_id: str
    password_policy: PasswordPolicy
    attributes: tuple[AttributeSchema, ...]
    username_attributes: tuple[str, ...] = ()
    auto_verified_attributes: tuple[str, ...] = ()
    mfa_configuration: str = "OFF"
    attributes_require_verification_before_update: tuple[str, ...] = ()
    #: The pool can send text messages (it has an SmsConfiguration): SMS codes are possible.
    sms_configured: bool = False
    #: The pool sends email through SES (EmailSendingAccount DEVELOPER): only SES email can
    #: carry MFA codes, Cognito's own sender cannot.
    email_through_ses: bool = False

    def attribute(self, name: str) -> AttributeSchema | None:
        for attribute in self.attributes:
            if attribute.name == name:
                return attribute
        return None


@dataclass(frozen=True)
class ClientDescription:
    client_id: str
    has_secret: bool
    explicit_auth_flows: tuple[str, ...]
    read_attributes: tuple[str, ...]
    write_attributes: tuple[str, ...]
    prevent_user_existence_errors: str
    enable_token_revocation: bool
    refresh_token_rotation: bool
    retry_grace_period_seconds: int
    access_token_validity_seconds: int
    id_token_validity_seconds: int
    refresh_token_validity_seconds: int
