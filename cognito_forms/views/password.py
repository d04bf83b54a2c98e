"""Forgot password and reset: the same answer whatever the account's state."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.forms import Form
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .. import exceptions as exc
from .. import forms, pool
from ..flows import password as flow
from ..security_log import log_event
from ..types import TokenSet
from .base import CognitoFormView, EmailStepMixin, load_state, next_from, redirect_with_state
from .signin import SIGNED_OUT_OTHERS, complete_sign_in, remember_email

RESET = "reset"


class ForgotPasswordView(CognitoFormView):
    template_name = "cognito_forms/password_forgot.html"
    form_class = forms.ForgotPasswordForm
    rate_limit_action = "forgot"
    requires_database = False  # Cognito only: works while the database is away
    title = _("Forgot your password?")
    submit_label = _("Send me a code")

    def get_initial(self) -> dict[str, Any]:
        remembered = load_state(self.request, "signin") or {}
        return {"email": remembered.get("email", "")}

    def perform(self, form: Form) -> HttpResponse:
        email = form.cleaned_data["email"]
        flow.forgot(email)
        messages.info(
            self.request,
            _(
                "If an account exists for this address, we have sent it a code to reset the "
                "password."
            ),
        )
        # Existing, unknown, unconfirmed or disabled: this same redirect and cookie.
        return redirect_with_state(
            self.request,
            "cognito_forms:password_reset",
            RESET,
            {"email": email, "next": next_from(self.request)},
        )


class ResetPasswordView(EmailStepMixin, CognitoFormView):
    """The code from the email and a new password; then the user is signed in."""

    template_name = "cognito_forms/password_reset.html"
    form_class = forms.ResetPasswordForm
    rate_limit_action = "reset"
    state_kind = RESET
    shows_password_policy = True
    title = _("Choose a new password")
    submit_label = _("Change password")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "policy": pool.password_policy()}

    def perform(self, form: Form) -> HttpResponse:
        email = self.email or form.cleaned_data["email"]
        next_url = str(self.state.get("next", "")) if self.state else next_from(self.request)
        password = form.cleaned_data["password"]
        everywhere = bool(form.cleaned_data.get("sign_out_everywhere"))
        flow.reset(email, form.cleaned_data["code"], password)
        log_event(self.request, "password_reset", email=email, everywhere=everywhere)
        try:
            result = flow.sign_in_after_reset(email, password, sign_out_everywhere=everywhere)
        except exc.CognitoFormsError:
            # The password is changed: a sign-in hiccup must not look like a failed reset.
            return self.sign_in_yourself(email, next_url)
        # With tokens, the other sessions are already ended (this new one stays); a challenge
        # ends them all afterwards.
        then = ""
        if everywhere:
            then = SIGNED_OUT_OTHERS if isinstance(result, TokenSet) else "global_sign_out"
        return complete_sign_in(self.request, result, email=email, next_url=next_url, then=then)

    def sign_in_yourself(self, email: str, next_url: str) -> HttpResponse:
        messages.success(self.request, _("Your password has been changed. Please sign in with it."))
        response = HttpResponseRedirect(reverse("cognito_forms:signin"))
        remember_email(response, self.request, email, next_url)
        return response
