"""Security settings: two-step verification methods, behind a recent sign-in.

The overview asks Cognito (GetUser) which methods are on; each button posts one action. The
authenticator app is set up on its own page: the secret is shown as text and as a QR code
drawn on the server (an SVG data URI, no script), kept in this browser's encrypted state
cookie until the first code proves the app works.
"""

from __future__ import annotations

from typing import Any

from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.translation import gettext_lazy

from .. import exceptions as exc
from .. import journey, signals
from ..adapter import get_adapter
from ..flows import challenges
from ..flows import mfa as flow
from ..forms.account import MFA_METHOD_LABELS, MfaActionForm, TotpSetupForm
from ..journey import TotpSetupState
from ..ratelimit import retry_after_header
from ..security_log import log_event
from ..steps import GoTo
from .base import SERVICE_RETRY_AFTER, AccountFormView, RecentSignInMixin


def _ready(method: str, claims: dict[str, Any]) -> bool:
    """SMS and email codes need a verified destination."""
    attribute = flow.DESTINATION.get(method)
    if attribute is None:
        return True
    return (
        bool(claims.get(attribute)) and str(claims.get(f"{attribute}_verified")).lower() == "true"
    )


class MfaView(RecentSignInMixin, AccountFormView):
    form_class = MfaActionForm
    template_name = "cognito_forms/account/mfa.html"
    title = gettext_lazy("Two-step verification")
    _status: flow.MfaStatus | None = None

    def status(self) -> flow.MfaStatus:
        if self._status is None:
            self._status = flow.status(access_token=self.access_token)
        return self._status

    def actions(self) -> list[str]:
        status, result = self.status(), []
        for method in status.available:
            if method in status.enabled:
                result.append(f"disable:{method}")
                if status.preferred != method:
                    result.append(f"prefer:{method}")
            elif method != "totp" and _ready(method, self.claims):
                result.append(f"enable:{method}")
        return result

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["actions"] = self.actions()
        return kwargs

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self._status = None
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self._unavailable() or super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self._unavailable() or super().post(request, *args, **kwargs)

    def _unavailable(self) -> HttpResponse | None:
        """The page cannot be shown without Cognito's answer: say so (503), never a 500."""
        try:
            self.status()
        except exc.CognitoFormsError as error:
            context = self.get_context_data(form=MfaActionForm(actions=[]))
            context["unavailable"] = get_adapter().get_error_message(error.code)
            response = self.render_to_response(context, status=503)
            return retry_after_header(response, SERVICE_RETRY_AFTER)
        return None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        status = self._status
        methods = []
        if status is not None:
            actions = self.actions()
            for method in status.available:
                methods.append(
                    {
                        "method": method,
                        "label": MFA_METHOD_LABELS[method],
                        "enabled": method in status.enabled,
                        "preferred": status.preferred == method,
                        "actions": [a for a in actions if a.endswith(f":{method}")],
                        "ready": _ready(method, self.claims),
                    }
                )
        context["methods"] = methods
        return context

    def perform(self, form: Form) -> HttpResponse:
        assert isinstance(form, MfaActionForm)
        verb, method = form.parsed()
        token = self.access_token
        if verb == "enable":
            flow.enable(access_token=token, method=method, make_preferred=not self.status().enabled)
            action = "enabled"
        elif verb == "disable":
            flow.disable(access_token=token, method=method)
            action = "disabled"
        else:
            flow.prefer(access_token=token, method=method)
            action = "preferred"
        log_event(self.request, "mfa_changed", sub=self.sub, method=method, action=action)
        self.send(signals.mfa_changed, method=method, action=action)
        label = MFA_METHOD_LABELS[method]
        return self.respond(
            GoTo(
                "cognito_forms:mfa",
                message=f"mfa_{action}",
                level="success",
                params={"method": label},
            )
        )


class TotpSetupView(RecentSignInMixin, AccountFormView):
    form_class = TotpSetupForm
    template_name = "cognito_forms/account/totp_setup.html"
    title = gettext_lazy("Set up an authenticator app")
    submit_label = gettext_lazy("Turn on")
    rate_limit_action = "mfa"

    def secret(self) -> str:
        state = journey.load(self.request, TotpSetupState)
        return state.secret if state is not None and state.sub == self.sub else ""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.secret():
            return super().get(request, *args, **kwargs)
        try:
            secret = flow.start_totp(access_token=self.access_token).secret
        except exc.CognitoFormsError:
            return self.respond(
                GoTo("cognito_forms:mfa", message="totp_unavailable", level="error")
            )
        self._new_secret = secret
        response = super().get(request, *args, **kwargs)
        # The secret is encrypted in a short-lived cookie of this browser, never in a URL.
        journey.save(response, request, TotpSetupState(secret=secret, sub=self.sub))
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        secret = getattr(self, "_new_secret", "") or self.secret()
        if secret:
            issuer = get_adapter().get_totp_issuer(self.request)
            account = str(self.claims.get("email") or self.sub)
            uri = challenges.totp_uri(secret, account, issuer)
            context.update(secret=secret, qr_data_uri=challenges.qr_svg_data_uri(uri))
        return context

    def perform(self, form: Form) -> HttpResponse:
        if not self.secret():
            return self.respond(
                GoTo("cognito_forms:totp_setup", message="totp_expired", level="error")
            )
        flow.confirm_totp(
            access_token=self.access_token,
            code=form.cleaned_data["code"],
            device_name=form.cleaned_data.get("device_name") or "",
            make_preferred=True,
        )
        log_event(self.request, "mfa_changed", sub=self.sub, method="totp", action="enabled")
        self.send(signals.mfa_changed, method="totp", action="enabled")
        return self.respond(
            GoTo("cognito_forms:mfa", message="totp_enabled", level="success", clear_state=True)
        )
