"""Journey state: what a multi-step journey carries from one page to the next, in this browser.

One typed class per journey (sign-in's remembered address, sign-up confirmation, password
reset, a sign-in challenge, TOTP set-up), one cookie (``COGNITO_STATE_COOKIE_NAME``, sealed by
:mod:`cognito_forms.cookies`) and one browser binding: the state is keyed to this browser's
CSRF secret, so a copied cookie does not work in another browser. A journey holds at most one
state at a time; starting a journey replaces the previous one. Load and save only through
:func:`load`, :func:`save` and :func:`clear`: nothing else knows the cookie's layout.

The pending email or phone number change is the exception: it must outlive the other journeys,
so it keeps its own cookie, bound to the user: :mod:`cognito_forms.journey_pending`.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from typing import Any, ClassVar, TypeVar

from django.http import HttpRequest, HttpResponseBase
from django.middleware.csrf import get_token
from django.utils.crypto import constant_time_compare, salted_hmac

from . import cookies
from .conf import app_settings
from .types import Challenge

#: Challenges this app has a page for (the flows answer them; the views show them).
SUPPORTED_CHALLENGES = frozenset(
    {
        "SOFTWARE_TOKEN_MFA",
        "SMS_MFA",
        "SMS_OTP",
        "EMAIL_OTP",
        "NEW_PASSWORD_REQUIRED",
        "SELECT_MFA_TYPE",
        "MFA_SETUP",
        "SELECT_CHALLENGE",
    }
)


class JourneyState:
    """Base of every journey's state: a ``kind`` and a JSON form of its fields."""

    kind: ClassVar[str] = ""

    def max_age(self) -> int | None:
        """Seconds the state lives (``None``: ``COGNITO_STATE_MAX_AGE``)."""
        return None

    def to_data(self) -> dict[str, Any]:
        raise NotImplementedError

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Any:
        """The state, or ``None`` when ``data`` is not a valid one of this kind."""
        raise NotImplementedError


S = TypeVar("S", bound=JourneyState)


@dataclass(frozen=True)
class EmailState(JourneyState):
    """An address (and where to go afterwards) carried to the next page."""

    email: str
    next_url: str = ""

    def to_data(self) -> dict[str, Any]:
        return {"email": self.email, "next": self.next_url}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Any:
        return cls(email=str(data.get("email") or ""), next_url=str(data.get("next") or ""))


@dataclass(frozen=True)
class SignInState(EmailState):
    """The sign-in page fills in this address (never a password)."""

    kind: ClassVar[str] = "signin"


@dataclass(frozen=True)
class ResetState(EmailState):
    """The reset page: the address the code was sent to."""

    kind: ClassVar[str] = "reset"


#: Cognito's Session is at most 2048 characters. Every confirm state carries that many, the
#: Session padded or nothing but padding, so the sealed cookie is the same size whether this
#: browser's sign-up created the account or found the address taken (docs/security.md S1).
SESSION_WIDTH = 2048


@dataclass(frozen=True)
class ConfirmState(EmailState):
    """The confirm page; ``cognito_session`` is SignUp's, kept to sign in afterwards, and is
    present only when this browser's sign-up created the account (docs/security.md S1)."""

    kind: ClassVar[str] = "confirm"
    cognito_session: str | None = field(default=None, repr=False)

    def to_data(self) -> dict[str, Any]:
        kept = self.cognito_session or ""
        if len(kept) > SESSION_WIDTH or len(json.dumps(kept)) != len(kept) + 2:
            # It would not keep the fixed width (too long, or escaped in JSON): dropped, and the
            # visitor signs in with their password rather than the cookie's size telling anything.
            kept = ""
        return {**super().to_data(), "session": kept.ljust(SESSION_WIDTH)}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Any:
        session = str(data.get("session") or "").rstrip(" ")
        return cls(
            email=str(data.get("email") or ""),
            next_url=str(data.get("next") or ""),
            cognito_session=session or None,
        )


@dataclass
class ChallengeState(JourneyState):
    """What the browser carries (encrypted) between two challenge pages. Never in a URL."""

    kind: ClassVar[str] = "challenge"

    email: str
    username: str
    name: str
    session: str = field(repr=False)
    parameters: dict[str, str] = field(default_factory=dict)
    available: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.time)
    next_url: str = ""
    #: After tokens arrive: "global_sign_out" when the visitor asked to end every session
    #: (reset with MFA); "signed_out_others" when they already did (the new session stays).
    then: str = ""
    #: MFA_SETUP: the shared secret for the QR code, kept until the code is verified.
    totp_secret: str = field(default="", repr=False)

    def max_age(self) -> int | None:
        # The state never outlives Cognito's Session (3 minutes).
        return app_settings.CHALLENGE_MAX_AGE

    def to_data(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Any:
        try:
            state = cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})
        except TypeError:
            return None
        if not state.session or state.name not in SUPPORTED_CHALLENGES:
            return None
        # Cognito's Session lasts 3 minutes: the state never outlives it.
        if time.time() - state.started > app_settings.CHALLENGE_MAX_AGE:
            return None
        return state

    @classmethod
    def first(
        cls, challenge: Challenge, *, email: str, next_url: str = "", then: str = ""
    ) -> ChallengeState:
        """The state for the first challenge of a sign-in."""
        return cls(
            email=email,
            username=challenge.parameters.get("USERNAME", email),
            name=challenge.name,
            session=challenge.session,
            parameters=dict(challenge.parameters),
            available=list(challenge.available_challenges),
            next_url=next_url,
            then=then,
        )

    def advance(self, challenge: Challenge) -> ChallengeState:
        """The state for the next challenge of the same sign-in (attempts start over)."""
        return ChallengeState(
            email=self.email,
            username=challenge.parameters.get("USERNAME", self.username),
            name=challenge.name,
            session=challenge.session,
            parameters=dict(challenge.parameters),
            available=list(challenge.available_challenges),
            started=time.time(),
            next_url=self.next_url,
            then=self.then,
        )


#: Long enough to find the phone and scan the code.
TOTP_SETUP_MAX_AGE = 15 * 60


@dataclass(frozen=True)
class TotpSetupState(JourneyState):
    """Settings page: a new authenticator secret, until the first code proves the app works."""

    kind: ClassVar[str] = "totp_setup"
    secret: str = field(repr=False)
    sub: str

    def max_age(self) -> int | None:
        return TOTP_SETUP_MAX_AGE

    def to_data(self) -> dict[str, Any]:
        return {"secret": self.secret, "sub": self.sub}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Any:
        return cls(secret=str(data.get("secret") or ""), sub=str(data.get("sub") or ""))


# --- the one cookie, bound to this browser -----------------------------------------------------
def binding(request: HttpRequest) -> str:
    """This browser's binding: a keyed hash of its CSRF secret."""
    # The CSRF secret is per browser: state copied into another browser does not match it.
    secret = request.META.get("CSRF_COOKIE")
    if not secret:
        get_token(request)  # creates the secret (and the csrftoken cookie on this response)
        secret = request.META.get("CSRF_COOKIE", "")
    return salted_hmac("cognito_forms.state", str(secret)).hexdigest()[:32]


def save(response: HttpResponseBase, request: HttpRequest, state: JourneyState) -> None:
    """Keep ``state`` for the journey's next page, encrypted, in this browser only."""
    envelope = {"kind": state.kind, "bind": binding(request), "data": state.to_data()}
    cookies.write_state(response, request, envelope, max_age=state.max_age())


def load(request: HttpRequest, kind: type[S]) -> S | None:
    """The state of journey ``kind`` if this browser wrote it and it has not expired."""
    envelope = cookies.read_state(request)
    if not envelope or envelope.get("kind") != kind.kind:
        return None
    data = envelope.get("data")
    if not isinstance(data, dict):
        return None
    if not constant_time_compare(str(envelope.get("bind", "")), binding(request)):
        return None
    state: S | None = kind.from_data(data)
    return state


def clear(response: HttpResponseBase, request: HttpRequest) -> None:
    cookies.clear_state(response, request)
