"""Sign-up, "check your email", confirmation and "send me a new code"."""

from __future__ import annotations

from typing import Any

from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from .. import forms, journey, pool
from ..conf import app_settings
from ..flows import attempts, registration
from ..journey import ConfirmState
from ..redirects import next_from
from .base import CognitoFormView, EmailStepMixin


class SignUpView(CognitoFormView):
    template_name = "cognito_forms/signup.html"
    form_class = forms.SignUpForm
    rate_limit_action = "signup"
    requires_database = False  # Cognito and the cache only: works while the database is away
    shows_password_policy = True
    title = _("Create an account")
    submit_label = _("Create account")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "policy": pool.password_policy(),
            "attributes": pool.signup_attributes(),
        }

    def perform(self, form: Form) -> HttpResponse:
        assert isinstance(form, forms.SignUpForm)
        step = registration.sign_up(
            self.request,
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password"],
            attributes=form.attributes(),
            next_url=next_from(self.request),
        )
        return self.respond(step)


class ConfirmView(EmailStepMixin, CognitoFormView):
    """The code from the email; the address comes from the journey state (or is typed)."""

    template_name = "cognito_forms/confirm.html"
    form_class = forms.ConfirmForm
    rate_limit_action = "confirm"
    state_class = ConfirmState
    title = _("Confirm your email address")
    submit_label = _("Confirm")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["resend_wait"] = attempts.cooldown_shown("resend", self.email) if self.email else 0
        return context

    def perform(self, form: Form) -> HttpResponse:
        state = self.state if isinstance(self.state, ConfirmState) else None
        step = registration.confirm(
            self.request,
            email=self.email or form.cleaned_data["email"],
            code=form.cleaned_data["code"],
            next_url=state.next_url if state else next_from(self.request),
            state=state,
        )
        return self.respond(step)


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
        self.state = journey.load(request, ConfirmState)

    def rate_limit_key(self) -> str | None:
        return self.state.email if self.state else super().rate_limit_key()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["email"] = self.state.email if self.state else ""
        return context

    def perform(self, form: Form) -> HttpResponse:
        email = self.state.email if self.state else form.cleaned_data.get("email") or ""
        return self.respond(registration.resend(email=email, state=self.state))


__all__ = ["ConfirmView", "ResendView", "SignUpDoneView", "SignUpView", "app_settings"]
