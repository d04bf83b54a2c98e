"""One page per sign-in challenge: codes (TOTP, SMS, email), new password, choosing a second
step, TOTP enrolment and choice-based sign-in. The state (username, Cognito Session) comes
from the encrypted, browser-bound state cookie; a missing or expired one restarts sign-in."""

from __future__ import annotations

from typing import Any

from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from .. import exceptions as exc
from .. import forms, journey, pool
from ..adapter import get_adapter
from ..flows import auth
from ..flows import challenges as flow
from ..flows import signin as signin_flow
from ..journey import ChallengeState
from ..redirects import CHALLENGE_PAGES
from ..steps import Restart
from ..types import AuthResult
from .base import CognitoFormView, respond

CODE_TITLES = {
    "SOFTWARE_TOKEN_MFA": _("Enter the code from your authenticator app"),
    "SMS_MFA": _("Enter the code we sent to your phone"),
    "SMS_OTP": _("Enter the code we sent to your phone"),
    "EMAIL_OTP": _("Enter the code we sent to your email"),
}


# never_cache here too: this dispatch may answer (restart, redirect) before the base's runs.
@method_decorator(never_cache, name="dispatch")
class ChallengeView(CognitoFormView):
    """Base of the challenge pages: loads the state, sends the visitor to the right page."""

    challenges: frozenset[str] = frozenset()
    rate_limit_action = "mfa"
    submit_label = _("Continue")
    state: ChallengeState
    #: The answer proves the password: "reset required" may be told (S6).
    proves_password = False

    def rate_limit_key(self) -> str | None:
        return self.state.email

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        state = journey.load(request, ChallengeState)
        if state is None:
            # Missing, expired (3 minutes), tampered with, or from another browser.
            return respond(request, Restart("challenge_expired"))
        self.state = state
        if state.name not in self.challenges:
            page = CHALLENGE_PAGES.get(state.name, "cognito_forms:signin")
            return HttpResponseRedirect(reverse(page))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["email"] = self.state.email
        context["challenge"] = self.state.name
        context["destination"] = self.state.parameters.get("CODE_DELIVERY_DESTINATION", "")
        return context

    def perform(self, form: Form) -> HttpResponse:
        step = signin_flow.answer_challenge(
            self.request,
            self.state,
            lambda: self.answer(form),
            proves_password=self.proves_password,
        )
        return self.respond(step)

    def answer(self, form: Form) -> AuthResult:
        raise NotImplementedError


class CodeView(ChallengeView):
    """SOFTWARE_TOKEN_MFA, SMS_MFA, SMS_OTP, EMAIL_OTP."""

    challenges = frozenset(flow.CODE_KEYS)
    template_name = "cognito_forms/signin_code.html"
    form_class = forms.CodeForm
    submit_label = _("Verify")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = CODE_TITLES.get(self.state.name, _("Enter your code"))
        return context

    def answer(self, form: Form) -> AuthResult:
        return flow.answer_code(self.state, form.cleaned_data["code"])


class NewPasswordView(ChallengeView):
    """NEW_PASSWORD_REQUIRED (first sign-in with a temporary password)."""

    challenges = frozenset({"NEW_PASSWORD_REQUIRED"})
    template_name = "cognito_forms/signin_new_password.html"
    form_class = forms.NewPasswordForm
    shows_password_policy = True
    title = _("Choose a new password")
    submit_label = _("Save and sign in")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "policy": pool.password_policy(),
            "missing": flow.missing_attributes(self.state),
        }

    def answer(self, form: Form) -> AuthResult:
        assert isinstance(form, forms.NewPasswordForm)
        return flow.new_password(self.state, form.cleaned_data["password"], form.attributes())


class SelectMfaView(ChallengeView):
    """SELECT_MFA_TYPE: the visitor picks the second step for this sign-in."""

    challenges = frozenset({"SELECT_MFA_TYPE"})
    template_name = "cognito_forms/signin_select.html"
    form_class = forms.SelectMfaForm
    title = _("How do you want to verify it's you?")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "methods": flow.mfa_choices(self.state)}

    def answer(self, form: Form) -> AuthResult:
        return flow.select_mfa(self.state, form.cleaned_data["method"])


class ChooseView(ChallengeView):
    """SELECT_CHALLENGE (choice-based sign-in): password, email code or SMS code."""

    challenges = frozenset({"SELECT_CHALLENGE"})
    template_name = "cognito_forms/signin_select.html"
    form_class = forms.SelectChallengeForm
    title = _("How do you want to sign in?")
    rate_limit_action = "signin"
    proves_password = True  # only after the SRP proof (S6), as on sign-in

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "methods": flow.sign_in_choices(self.state)}

    def answer(self, form: Form) -> AuthResult:
        return auth.choose(
            username=self.state.username,
            cognito_session=self.state.session,
            method=form.cleaned_data["method"],
            password=form.cleaned_data.get("password") or None,
            available=self.state.available,
        )


class MfaSetupView(ChallengeView):
    """MFA_SETUP: enrol an authenticator app (QR code drawn on the server, secret as text)."""

    challenges = frozenset({"MFA_SETUP"})
    template_name = "cognito_forms/signin_mfa_setup.html"
    form_class = forms.CodeForm
    title = _("Set up an authenticator app")
    submit_label = _("Verify and sign in")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not flow.can_set_up_totp(self.state):
            return respond(request, Restart("unsupported_challenge"))
        fresh = not self.state.totp_secret
        if fresh:
            try:
                flow.begin_totp_setup(self.state)
            except exc.ChallengeExpired:
                return respond(request, Restart("challenge_expired", self.state.email))
            except exc.CognitoFormsError as error:
                return self.error_response(self.get_form(), error)
        response = super().get(request, *args, **kwargs)
        if fresh:
            journey.save(response, request, self.state)  # the secret and the new Session
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        secret = self.state.totp_secret
        if secret:
            issuer = get_adapter().get_totp_issuer(self.request)
            uri = flow.totp_uri(secret, self.state.email, issuer)
            context["qr_data_uri"] = flow.qr_svg_data_uri(uri)
            context["totp_secret"] = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
        return context

    def answer(self, form: Form) -> AuthResult:
        return flow.finish_totp_setup(self.state, form.cleaned_data["code"])
