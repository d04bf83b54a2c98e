"""Every page state of the forms, with sample data, for the preview page (``/accounts/preview/``).

Each state renders a real page template with the real form classes (or the operator's from
``COGNITO_FORMS``) and the adapter's real messages, so a re-brand or a changed message is
checked in one place. Nothing here calls Cognito: the pool description is the cached one if
there is one, else a sample, installed with :func:`pool.described_as` for the request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from . import pool
from . import preview_pages as pages
from .preview_pages import Rendered
from .preview_samples import sample_descriptions


@dataclass(frozen=True)
class State:
    slug: str
    group: Any
    label: Any
    build: Callable[[], Rendered]


ENTRANCE, CHALLENGES, TROUBLE, ACCOUNT = (
    _("Getting in"),
    _("Sign-in steps"),
    _("Trouble"),
    _("Account"),
)

STATES: tuple[State, ...] = (
    State("signup", ENTRANCE, _("Sign-up"), pages.signup),
    State("signup-errors", ENTRANCE, _("Sign-up with field errors"), lambda: pages.signup(True)),
    State("check-email", ENTRANCE, _("Check your email (code form)"), pages.confirm),
    State(
        "confirm-wrong-code",
        ENTRANCE,
        _("Confirmation with a wrong code"),
        lambda: pages.confirm(True),
    ),
    State("signin", ENTRANCE, _("Sign-in"), pages.signin),
    State("signin-failed", ENTRANCE, _("Sign-in failed"), lambda: pages.signin("signin_failed")),
    State("forgot-password", ENTRANCE, _("Forgot password"), pages.forgot),
    State("reset-password", ENTRANCE, _("Reset password"), pages.reset),
    State(
        "reset-password-errors",
        ENTRANCE,
        _("Reset password with field errors"),
        lambda: pages.reset(True),
    ),
    State("messages", ENTRANCE, _("Success, info and error messages"), pages.messages_page),
    State(
        "software-token-mfa",
        CHALLENGES,
        "SOFTWARE_TOKEN_MFA",
        lambda: pages.code("SOFTWARE_TOKEN_MFA"),
    ),
    State("sms-mfa", CHALLENGES, "SMS_MFA", lambda: pages.code("SMS_MFA")),
    State("email-otp", CHALLENGES, "EMAIL_OTP", lambda: pages.code("EMAIL_OTP")),
    State(
        "code-wrong",
        CHALLENGES,
        _("A wrong code"),
        lambda: pages.code("SOFTWARE_TOKEN_MFA", wrong=True),
    ),
    State("new-password-required", CHALLENGES, "NEW_PASSWORD_REQUIRED", pages.new_password),
    State("select-mfa-type", CHALLENGES, "SELECT_MFA_TYPE", pages.select_mfa),
    State("mfa-setup", CHALLENGES, "MFA_SETUP", pages.mfa_setup),
    State("select-challenge", CHALLENGES, "SELECT_CHALLENGE", pages.select_challenge),
    State(
        "rate-limited",
        TROUBLE,
        _("Rate-limited form (429)"),
        lambda: pages.signin("rate_limited", 429),
    ),
    State(
        "unavailable",
        TROUBLE,
        _("Temporarily unavailable form (503)"),
        lambda: pages.signin("service_unavailable", 503),
    ),
    State("rate-limited-page", TROUBLE, _("Too many attempts page"), pages.rate_limited_page),
    State("unavailable-page", TROUBLE, _("Temporarily unavailable page"), pages.unavailable_page),
    State(
        "outbox-notice",
        TROUBLE,
        _("Local outbox notice"),
        lambda: pages.code("EMAIL_OTP", outbox=True),
    ),
    State("profile", ACCOUNT, _("Profile"), pages.profile),
    State("password-change", ACCOUNT, _("Change password"), pages.password_change),
)


def find(slug: str) -> State | None:
    return next((state for state in STATES if state.slug == slug), None)


def render_state(state: State) -> Rendered:
    """Build one state's page with the sample pool (no Cognito call)."""
    with pool.described_as(*sample_descriptions()):
        return state.build()
