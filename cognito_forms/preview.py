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

from django import forms as django_forms
from django.utils.translation import gettext_lazy as _

from . import forms, pool
from .adapter import get_adapter
from .branding import site_name
from .flows.challenges import qr_svg_data_uri, totp_uri
from .form_config import form_class
from .forms.account import ChangePasswordForm
from .forms.profile import ProfileForm, profile_attributes
from .preview_samples import sample_descriptions
from .types import AttributeSchema

SAMPLE_EMAIL = "alex@example.com"
#: A well-known demo secret (RFC 4226 examples use the same kind): never a real user's.
SAMPLE_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@dataclass(frozen=True)
class SampleMessage:
    """Looks like a ``django.contrib.messages`` message to the messages partial."""

    text: Any
    tags: str

    def __str__(self) -> str:
        return str(self.text)


@dataclass(frozen=True)
class Rendered:
    template: str
    context: dict[str, Any]
    status: int = 200


@dataclass(frozen=True)
class State:
    slug: str
    group: Any
    label: Any
    build: Callable[[], Rendered]


# --- helpers -------------------------------------------------------------------------------------
def _message(code: str) -> str:
    return get_adapter().get_error_message(code)


def _page(template: str, title: Any, form: Any, submit: Any, **extra: Any) -> Rendered:
    status = int(extra.pop("status", 200))
    context = {"title": title, "form": form, "submit_label": submit, "next": "", **extra}
    return Rendered(f"cognito_forms/{template}", context, status)


def _with_error(form: django_forms.BaseForm, field: str | None, message: Any) -> Any:
    form.is_valid()  # shape validation only
    form.add_error(field, message)
    return form


def _signin(error: str = "", status: int = 200) -> Rendered:
    cls = form_class(forms.SignInForm)
    form = cls(data={"email": SAMPLE_EMAIL}) if error else cls()
    if error:
        form = _with_error(form, None, _message(error))
    return _page("signin.html", _("Sign in"), form, _("Sign in"), status=status)


def _signup(errors: bool = False) -> Rendered:
    cls = form_class(forms.SignUpForm)
    policy, attributes = pool.password_policy(), pool.signup_attributes()
    data = {"email": "alex@", "password": "short"} if errors else None
    form = cls(data=data, policy=policy, attributes=attributes)
    if errors:
        form.is_valid()
    rules = pool.password_rules()
    return _page(
        "signup.html", _("Create an account"), form, _("Create account"), password_rules=rules
    )


def _confirm(wrong_code: bool = False) -> Rendered:
    cls = form_class(forms.ConfirmForm)
    form = cls(data={"code": "123456"}, ask_email=False) if wrong_code else cls(ask_email=False)
    if wrong_code:
        form = _with_error(form, "code", _message("code_mismatch"))
    title = _("Confirm your email address") if wrong_code else _("Check your email")
    return _page("confirm.html", title, form, _("Confirm"), email=SAMPLE_EMAIL, resend_wait=42)


CODE_PAGES = {
    "SOFTWARE_TOKEN_MFA": (_("Enter the code from your authenticator app"), ""),
    "SMS_MFA": (_("Enter the code we sent to your phone"), "+*******0123"),
    "EMAIL_OTP": (_("Enter the code we sent to your email"), "a***@e***"),
}


def _code(challenge: str, wrong: bool = False, outbox: bool = False) -> Rendered:
    title, destination = CODE_PAGES[challenge]
    cls = form_class(forms.CodeForm)
    form = (
        _with_error(cls(data={"code": "000000"}), "code", _message("code_mismatch"))
        if wrong
        else cls()
    )
    extra: dict[str, Any] = {"destination": destination, "challenge": challenge}
    if outbox:
        extra["cf_outbox_url"] = "/_local/outbox/"
    return _page("signin_code.html", title, form, _("Verify"), **extra)


def _new_password() -> Rendered:
    missing = [AttributeSchema(name="name", required=True)]
    form = form_class(forms.NewPasswordForm)(policy=pool.password_policy(), missing=missing)
    return _page(
        "signin_new_password.html",
        _("Choose a new password"),
        form,
        _("Save and sign in"),
        password_rules=pool.password_rules(),
    )


def _select_mfa() -> Rendered:
    methods = ["SOFTWARE_TOKEN_MFA", "SMS_MFA", "EMAIL_OTP"]
    form = form_class(forms.SelectMfaForm)(methods=methods)
    return _page(
        "signin_select.html", _("How do you want to verify it's you?"), form, _("Continue")
    )


def _mfa_setup() -> Rendered:
    uri = totp_uri(SAMPLE_TOTP_SECRET, SAMPLE_EMAIL, site_name())
    secret = " ".join(SAMPLE_TOTP_SECRET[i : i + 4] for i in range(0, len(SAMPLE_TOTP_SECRET), 4))
    return _page(
        "signin_mfa_setup.html",
        _("Set up an authenticator app"),
        form_class(forms.CodeForm)(),
        _("Verify and sign in"),
        qr_data_uri=qr_svg_data_uri(uri),
        totp_secret=secret,
    )


def _select_challenge() -> Rendered:
    form = form_class(forms.SelectChallengeForm)(methods=["PASSWORD", "EMAIL_OTP", "SMS_OTP"])
    return _page("signin_select.html", _("How do you want to sign in?"), form, _("Continue"))


def _forgot() -> Rendered:
    form = form_class(forms.ForgotPasswordForm)()
    return _page("password_forgot.html", _("Forgot your password?"), form, _("Send me a code"))


def _reset(errors: bool = False) -> Rendered:
    cls = form_class(forms.ResetPasswordForm)
    policy = pool.password_policy()
    data = {"code": "12", "password": "x"}
    form = cls(data=data, policy=policy, ask_email=False) if errors else None
    if form is not None:
        form.is_valid()
    else:
        form = cls(policy=policy, ask_email=False)
    return _page(
        "password_reset.html",
        _("Choose a new password"),
        form,
        _("Change password"),
        email=SAMPLE_EMAIL,
        password_rules=pool.password_rules(),
    )


def _messages_page() -> Rendered:
    rendered = _signin()
    rendered.context["messages"] = [
        SampleMessage(_("Your email address is confirmed. Please sign in."), "success"),
        SampleMessage(
            _("We have sent a new code if this address has an account to confirm."), "info"
        ),
        SampleMessage(_message("challenge_expired"), "error"),
    ]
    return rendered


def _profile() -> Rendered:
    claims = {"email": SAMPLE_EMAIL, "name": "Alex Example", "custom:company": "Example Ltd"}
    attributes = profile_attributes(pool.describe_pool(), pool.describe_client())
    form = form_class(ProfileForm)(attributes=attributes, claims=claims)
    contacts = [
        {
            "attribute": "email",
            "label": _("Email address"),
            "value": SAMPLE_EMAIL,
            "pending": "",
            "unverified": False,
            "changeable": True,
        }
    ]
    return _page(
        "account/profile.html", _("Your profile"), form, _("Save changes"), contacts=contacts
    )


def _password_change() -> Rendered:
    form = form_class(ChangePasswordForm)(policy=pool.password_policy())
    return _page(
        "account/password_change.html",
        _("Change your password"),
        form,
        _("Change password"),
        password_rules=pool.password_rules(),
    )


def _unavailable_page() -> Rendered:
    return Rendered(
        "cognito_forms/unavailable.html", {"message": _message("service_unavailable")}, 503
    )


def _rate_limited_page() -> Rendered:
    context = {"message": _message("rate_limited"), "retry_after": 42}
    return Rendered("cognito_forms/rate_limited.html", context, 429)


ENTRANCE, CHALLENGES, TROUBLE, ACCOUNT = (
    _("Getting in"),
    _("Sign-in steps"),
    _("Trouble"),
    _("Account"),
)

STATES: tuple[State, ...] = (
    State("signup", ENTRANCE, _("Sign-up"), _signup),
    State("signup-errors", ENTRANCE, _("Sign-up with field errors"), lambda: _signup(True)),
    State("check-email", ENTRANCE, _("Check your email (code form)"), _confirm),
    State(
        "confirm-wrong-code", ENTRANCE, _("Confirmation with a wrong code"), lambda: _confirm(True)
    ),
    State("signin", ENTRANCE, _("Sign-in"), _signin),
    State("signin-failed", ENTRANCE, _("Sign-in failed"), lambda: _signin("signin_failed")),
    State("forgot-password", ENTRANCE, _("Forgot password"), _forgot),
    State("reset-password", ENTRANCE, _("Reset password"), _reset),
    State(
        "reset-password-errors",
        ENTRANCE,
        _("Reset password with field errors"),
        lambda: _reset(True),
    ),
    State("messages", ENTRANCE, _("Success, info and error messages"), _messages_page),
    State(
        "software-token-mfa", CHALLENGES, "SOFTWARE_TOKEN_MFA", lambda: _code("SOFTWARE_TOKEN_MFA")
    ),
    State("sms-mfa", CHALLENGES, "SMS_MFA", lambda: _code("SMS_MFA")),
    State("email-otp", CHALLENGES, "EMAIL_OTP", lambda: _code("EMAIL_OTP")),
    State(
        "code-wrong", CHALLENGES, _("A wrong code"), lambda: _code("SOFTWARE_TOKEN_MFA", wrong=True)
    ),
    State("new-password-required", CHALLENGES, "NEW_PASSWORD_REQUIRED", _new_password),
    State("select-mfa-type", CHALLENGES, "SELECT_MFA_TYPE", _select_mfa),
    State("mfa-setup", CHALLENGES, "MFA_SETUP", _mfa_setup),
    State("select-challenge", CHALLENGES, "SELECT_CHALLENGE", _select_challenge),
    State(
        "rate-limited", TROUBLE, _("Rate-limited form (429)"), lambda: _signin("rate_limited", 429)
    ),
    State(
        "unavailable",
        TROUBLE,
        _("Temporarily unavailable form (503)"),
        lambda: _signin("service_unavailable", 503),
    ),
    State("rate-limited-page", TROUBLE, _("Too many attempts page"), _rate_limited_page),
    State("unavailable-page", TROUBLE, _("Temporarily unavailable page"), _unavailable_page),
    State(
        "outbox-notice", TROUBLE, _("Local outbox notice"), lambda: _code("EMAIL_OTP", outbox=True)
    ),
    State("profile", ACCOUNT, _("Profile"), _profile),
    State("password-change", ACCOUNT, _("Change password"), _password_change),
)


def find(slug: str) -> State | None:
    return next((state for state in STATES if state.slug == slug), None)


def render_state(state: State) -> Rendered:
    """Build one state's page with the sample pool (no Cognito call)."""
    with pool.described_as(*sample_descriptions()):
        return state.build()
