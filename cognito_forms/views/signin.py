"""The sign-in page: the form, then :func:`cognito_forms.flows.signin.start`."""

from __future__ import annotations

from typing import Any

from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from .. import exceptions as exc
from .. import forms, journey, remembered_email, timing
from ..conf import app_settings
from ..flows import signin as flow
from ..journey import SignInState
from ..redirects import next_from
from .base import CognitoFormView


class SignInView(CognitoFormView):
    template_name = "cognito_forms/signin.html"
    form_class = forms.SignInForm
    rate_limit_action = "signin"
    title = _("Sign in")
    submit_label = _("Sign in")

    #: Set by :meth:`perform` when the answer is the generic sign-in failure.
    failed = False

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # The padding wraps the whole HTTP answer (the rendered error page included), so it
        # is the view's: the flow only says that the sign-in failed.
        started = timing.monotonic()
        response = super().post(request, *args, **kwargs)
        if self.failed:
            # Every failure takes the same time, whatever the account's state (S9).
            timing.pad_to(started, app_settings.SIGNIN_FAILURE_FLOOR_MS / 1000)
        return response

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["ask_password"] = not app_settings.CHOICE_BASED_SIGN_IN
        if self.request.method == "GET":
            remembered = journey.load(self.request, SignInState)
            email = remembered.email if remembered else ""
            email = email or remembered_email.recall(self.request)
            if email:
                kwargs["initial"] = {**kwargs.get("initial", {}), "email": email}
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        remembered = journey.load(self.request, SignInState)
        if not context["next"] and remembered:
            context["next"] = remembered.next_url
        return context

    def perform(self, form: Form) -> HttpResponse:
        password = None if app_settings.CHOICE_BASED_SIGN_IN else form.cleaned_data["password"]
        try:
            step = flow.start(
                self.request,
                email=form.cleaned_data["email"],
                password=password,
                next_url=next_from(self.request),
            )
        except exc.SignInFailed:
            self.failed = True
            raise
        return self.respond(step)
