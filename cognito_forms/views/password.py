"""Forgot password and reset: the same answer whatever the account's state."""

from __future__ import annotations

from typing import Any

from django.forms import Form
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from .. import forms, journey, pool
from ..flows import recovery
from ..journey import ResetState, SignInState
from ..redirects import next_from
from .base import CognitoFormView, EmailStepMixin


class ForgotPasswordView(CognitoFormView):
    template_name = "cognito_forms/password_forgot.html"
    form_class = forms.ForgotPasswordForm
    rate_limit_action = "forgot"
    requires_database = False  # Cognito only: works while the database is away
    title = _("Forgot your password?")
    submit_label = _("Send me a code")

    def get_initial(self) -> dict[str, Any]:
        remembered = journey.load(self.request, SignInState)
        return {"email": remembered.email if remembered else ""}

    def perform(self, form: Form) -> HttpResponse:
        step = recovery.forgot(email=form.cleaned_data["email"], next_url=next_from(self.request))
        return self.respond(step)


class ResetPasswordView(EmailStepMixin, CognitoFormView):
    """The code from the email and a new password; then the user is signed in."""

    template_name = "cognito_forms/password_reset.html"
    form_class = forms.ResetPasswordForm
    rate_limit_action = "reset"
    state_class = ResetState
    shows_password_policy = True
    title = _("Choose a new password")
    submit_label = _("Change password")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "policy": pool.password_policy()}

    def perform(self, form: Form) -> HttpResponse:
        step = recovery.reset(
            self.request,
            email=self.email or form.cleaned_data["email"],
            code=form.cleaned_data["code"],
            new_password=form.cleaned_data["password"],
            next_url=self.state.next_url if self.state else next_from(self.request),
            sign_out_everywhere=bool(form.cleaned_data.get("sign_out_everywhere")),
        )
        return self.respond(step)
