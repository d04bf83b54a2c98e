"""Sign-up, "check your email", confirmation and "send me a new code"."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .. import exceptions as exc
from .. import forms
from ..adapter import get_adapter
from ..conf import app_settings
from ..flows import attempts
from ..flows import signup as flow
from ..security_log import log_event
from .base import (
    CognitoFormView,
    EmailStepMixin,
    load_state,
    next_from,
    redirect_with_state,
    save_state,
)
from .signin import complete_sign_in, remember_email

CONFIRM = "confirm"
#: Cognito's Session is at most 2048 characters. Every confirm state carries that many, the
#: Session padded or nothing but padding, so the sealed cookie is the same size whether this
#: browser's sign-up created the account or found the address taken (docs/security.md S1).
SESSION_WIDTH = 2048


def confirm_state(email: str, next_url: str = "", session: str | None = None) -> dict[str, Any]:
    """The confirm step's state; ``session`` is SignUp's, kept for signing in afterwards."""
    kept = session or ""
    if len(kept) > SESSION_WIDTH or len(json.dumps(kept)) != len(kept) + 2:
        # It would not keep the fixed width (too long, or escaped in JSON): dropped, and the
        # visitor signs in with their password rather than the cookie's size telling anything.
        kept = ""
    return {"email": email, "next": next_url, "session": kept.ljust(SESSION_WIDTH)}


def sign_up_session(state: dict[str, Any] | None) -> str | None:
    """SignUp's Session from a confirm state, when this browser's sign-up created the account."""
    value = str(state.get("session") or "").rstrip(" ") if state else ""
    return value or None


class SignUpView(CognitoFormView):
    template_name = "cognito_forms/signup.html"
    form_class = forms.SignUpForm
    rate_limit_action = "signup"
    requires_database = False  # Cognito and the cache only: works while the database is away
    shows_password_policy = True
    title = _("Create an account")
    submit_label = _("Create account")

    def perform(self, form: Form) -> HttpResponse:
        assert isinstance(form, forms.SignUpForm)
        email = form.cleaned_data["email"]
        signed_up = flow.sign_up(email, form.cleaned_data["password"], form.attributes())
        log_event(self.request, "signup", email=email, new_account=signed_up.created)
        # A taken address gets exactly this response too (same page, status, cookie names and
        # sizes): only the sealed state tells, to this browser alone, that it created the account.
        return redirect_with_state(
            self.request,
            "cognito_forms:signup_done",
            CONFIRM,
            confirm_state(email, next_from(self.request), signed_up.session),
        )


class ConfirmView(EmailStepMixin, CognitoFormView):
    """The code from the email; the address comes from the state cookie (or is typed)."""

    template_name = "cognito_forms/confirm.html"
    form_class = forms.ConfirmForm
    rate_limit_action = "confirm"
    state_kind = CONFIRM
    title = _("Confirm your email address")
    submit_label = _("Confirm")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["resend_wait"] = attempts.cooldown_shown("resend", self.email) if self.email else 0
        return context

    def perform(self, form: Form) -> HttpResponse:
        email = self.email or form.cleaned_data["email"]
        next_url = str(self.state.get("next", "")) if self.state else next_from(self.request)
        own_sign_up = sign_up_session(self.state)
        session = flow.confirm(email, form.cleaned_data["code"], own_sign_up)
        log_event(self.request, "confirmed", email=email)
        result = flow.sign_in_after_confirm(email, session)
        if result is not None:
            return complete_sign_in(self.request, result, email=email, next_url=next_url)
        if own_sign_up:
            messages.success(self.request, _("Your email address is confirmed. Please sign in."))
        else:
            # Another browser signed up: the password may not be this visitor's (S1).
            messages.success(
                self.request,
                _(
                    "Your email address is confirmed. Please sign in. If your password is not "
                    'accepted, choose a new one with "Forgot your password?".'
                ),
            )
        response = HttpResponseRedirect(get_adapter().get_signup_redirect_url(self.request))
        remember_email(response, self.request, email, next_url)
        return response


class SignUpDoneView(ConfirmView):
    """Right after sign-up: "check your email", with the code form on the same page."""

    title = _("Check your email")


class ResendView(CognitoFormView):
    """POST: send a new sign-up code, at most once per cool-down (enforced on the server)."""

    template_name = "cognito_forms/resend.html"
    form_class = forms.ResendForm
    rate_limit_action = "resend"
    requires_database = False
    title = _("Send a new code")
    submit_label = _("Send a new code")

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.state = load_state(request, CONFIRM)

    def rate_limit_key(self) -> str | None:
        return str(self.state["email"]) if self.state else super().rate_limit_key()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["email"] = str(self.state["email"]) if self.state else ""
        return context

    def perform(self, form: Form) -> HttpResponse:
        email = str(self.state["email"]) if self.state else form.cleaned_data.get("email") or ""
        if not email:
            form.add_error("email", _("Enter the email address you signed up with."))
            return self.form_invalid(form)
        try:
            flow.resend(email)
        except exc.ResendTooSoon as error:
            messages.error(
                self.request,
                _("Please wait %(seconds)d seconds before asking for another code.")
                % {"seconds": error.retry_after},
            )
        else:
            messages.success(
                self.request,
                _("We have sent a new code if this address has an account to confirm."),
            )
        response = HttpResponseRedirect(reverse("cognito_forms:confirm"))
        next_url = str(self.state.get("next", "")) if self.state else ""
        # The sign-up's Session survives a new code: the account's creator still signs in.
        state = confirm_state(email, next_url, sign_up_session(self.state))
        save_state(response, self.request, CONFIRM, state)
        return response


__all__ = ["ConfirmView", "ResendView", "SignUpDoneView", "SignUpView", "app_settings"]
