"""The preview's pages: each builds one state of a real page template with the real form
classes (or the operator's from ``COGNITO_FORMS``), sample data and the adapter's real messages.
Which states there are, and how they are grouped, is the table in :mod:`cognito_forms.preview`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms as django_forms
from django.utils.translation import gettext_lazy as _

from . import forms, pool
from .adapter import get_adapter
from .branding import site_name
from .context_processors import configured_outbox_url
from .flows.challenges import qr_svg_data_uri, totp_uri
from .form_config import form_class
from .forms.account import ChangePasswordForm
from .forms.profile import ProfileForm, profile_attributes
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


def signin(error: str = "", status: int = 200) -> Rendered:
    cls = form_class(forms.SignInForm)
    form = cls(data={"email": SAMPLE_EMAIL}) if error else cls()
    if error:
        form = _with_error(form, None, _message(error))
    return _page("signin.html", _("Sign in"), form, _("Sign in"), status=status)


def signup(errors: bool = False) -> Rendered:
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


def confirm(wrong_code: bool = False) -> Rendered:
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


def code(challenge: str, wrong: bool = False, outbox: bool = False) -> Rendered:
    title, destination = CODE_PAGES[challenge]
    cls = form_class(forms.CodeForm)
    form = (
        _with_error(cls(data={"code": "000000"}), "code", _message("code_mismatch"))
        if wrong
        else cls()
    )
    extra: dict[str, Any] = {"destination": destination, "challenge": challenge}
    if outbox:
        # The site's own outbox page where it names one; a sample link elsewhere.
        extra["cf_outbox_url"] = configured_outbox_url() or "#local-outbox"
    return _page("signin_code.html", title, form, _("Verify"), **extra)


def new_password() -> Rendered:
    missing = [AttributeSchema(name="name", required=True)]
    form = form_class(forms.NewPasswordForm)(policy=pool.password_policy(), missing=missing)
    return _page(
        "signin_new_password.html",
        _("Choose a new password"),
        form,
        _("Save and sign in"),
        password_rules=pool.password_rules(),
    )


def select_mfa() -> Rendered:
    methods = ["SOFTWARE_TOKEN_MFA", "SMS_MFA", "EMAIL_OTP"]
    form = form_class(forms.SelectMfaForm)(methods=methods)
    return _page(
        "signin_select.html", _("How do you want to verify it's you?"), form, _("Continue")
    )


def mfa_setup() -> Rendered:
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


def select_challenge() -> Rendered:
    form = form_class(forms.SelectChallengeForm)(methods=["PASSWORD", "EMAIL_OTP", "SMS_OTP"])
    return _page("signin_select.html", _("How do you want to sign in?"), form, _("Continue"))


def forgot() -> Rendered:
    form = form_class(forms.ForgotPasswordForm)()
    return _page("password_forgot.html", _("Forgot your password?"), form, _("Send me a code"))


def reset(errors: bool = False) -> Rendered:
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


def messages_page() -> Rendered:
    rendered = signin()
    rendered.context["messages"] = [
        SampleMessage(_("Your email address is confirmed. Please sign in."), "success"),
        SampleMessage(
            _("We have sent a new code if this address has an account to confirm."), "info"
        ),
        SampleMessage(_message("challenge_expired"), "error"),
    ]
    return rendered


def profile() -> Rendered:
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


def password_change() -> Rendered:
    form = form_class(ChangePasswordForm)(policy=pool.password_policy())
    return _page(
        "account/password_change.html",
        _("Change your password"),
        form,
        _("Change password"),
        password_rules=pool.password_rules(),
    )


def unavailable_page() -> Rendered:
    return Rendered(
        "cognito_forms/unavailable.html", {"message": _message("service_unavailable")}, 503
    )


def rate_limited_page() -> Rendered:
    context = {"message": _message("rate_limited"), "retry_after": 42}
    return Rendered("cognito_forms/rate_limited.html", context, 429)
