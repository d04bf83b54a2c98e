"""Pages of the signed-in user: what they share, re-authentication, password change, deletion.

Every page here needs a signed-in browser (else: the sign-in page with a safe ``next``); the
sensitive ones also need a recent sign-in (``COGNITO_REAUTH_MAX_AGE``), else the re-auth page
asks for the password and returns. Views call flows; flows call Cognito.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from .. import cookies, signals
from ..backends import CognitoBackend
from ..flows import account, session
from ..flows.refresh import refresh_session
from ..forms.account import ChangePasswordForm, DeleteAccountForm, ReauthForm
from .base import CognitoFormView, next_from

logger = logging.getLogger(__name__)


# --- what every signed-in page uses -----------------------------------------------------------
def current_claims(request: HttpRequest) -> dict[str, Any]:
    """The verified ID-token claims of this request (set by the middleware or sign-in)."""
    claims = getattr(request, "cognito_claims", None)
    return dict(claims) if isinstance(claims, dict) else {}


def refresh_tokens(request: HttpRequest, response: HttpResponseBase) -> bool:
    """Fetch new tokens now (after a change Cognito put in the ID token) and set the cookies.

    Goes through the session layer's single-flight refresh, so the new cookies are the same
    ones a concurrent request would get. False when it could not (the old cookies are kept).
    """
    state = cookies.current(request)
    sub = current_claims(request).get("sub")
    if state is None or not state.refresh_token or not sub:
        return False
    outcome = refresh_session(request, state, sub=str(sub))
    if outcome.status != "ok" or outcome.state is None:
        return False
    cookies.write_session(response, request, outcome.state)
    cookies.mark_handled(request)
    cookies.set_current(request, outcome.state)
    request.cognito_claims = outcome.id_claims or {}  # type: ignore[attr-defined]
    if outcome.leader and outcome.id_claims:
        # The new values reach the local user (name, email) now, as after any refresh.
        user = CognitoBackend().user_for_claims(outcome.id_claims, sync=True)
        if user is not None:
            request.user = user  # type: ignore[assignment]
    return True


class SignedInMixin:
    """Anonymous visitors go to the sign-in page and come back here afterwards."""

    request: HttpRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated or session.access_token(request) is None:
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]

    @property
    def claims(self) -> dict[str, Any]:
        return current_claims(self.request)

    @property
    def access_token(self) -> str:
        return session.access_token(self.request) or ""

    @property
    def sub(self) -> str:
        return str(self.claims.get("sub", ""))

    def rate_limit_key(self) -> str | None:
        return self.sub or None

    def send(self, signal: Any, **kwargs: Any) -> None:
        """Send one of our signals with the documented arguments."""
        signal.send(sender=type(self), request=self.request, user=self.request.user, **kwargs)


class RecentSignInMixin(SignedInMixin):
    """The page needs the password proved within ``COGNITO_REAUTH_MAX_AGE`` seconds."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if (
            request.user.is_authenticated
            and session.access_token(request) is not None
            and account.needs_reauthentication(current_claims(request))
        ):
            query = urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})
            return HttpResponseRedirect(f"{reverse('cognito_forms:reauth')}?{query}")
        return super().dispatch(request, *args, **kwargs)


class AccountFormView(SignedInMixin, CognitoFormView):
    """A signed-in page with a form."""

    template_name = "cognito_forms/account/form.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["claims"] = self.claims
        return context


# --- re-authentication ------------------------------------------------------------------------
class ReauthView(AccountFormView):
    """Ask for the password again, sign in afresh (SRP), return to where the user was going."""

    form_class = ReauthForm
    rate_limit_action = "reauth"  # a password guess: limited per IP and per user
    template_name = "cognito_forms/account/reauth.html"
    title = _("Confirm it is you")
    submit_label = _("Continue")

    def perform(self, form: Form) -> HttpResponse:
        step = account.reauthenticate(
            self.request,
            username=account.username_of(self.claims),
            password=form.cleaned_data["password"],
            sub=self.sub,
            next_url=next_from(self.request) or reverse("cognito_forms:profile"),
        )
        return self.respond(step)


# --- password ---------------------------------------------------------------------------------
class ChangePasswordView(AccountFormView):
    form_class = ChangePasswordForm
    rate_limit_action = "reauth"  # the current password can be guessed here too
    template_name = "cognito_forms/account/password_change.html"
    title = _("Change your password")
    submit_label = _("Change password")
    shows_password_policy = True

    def perform(self, form: Form) -> HttpResponse:
        data = form.cleaned_data
        everywhere = bool(data["sign_out_others"])
        step = account.change_password(
            self.request,
            access_token=self.access_token,
            username=account.username_of(self.claims),
            sub=self.sub,
            current=data["current_password"],
            new=data["new_password"],
            sign_out_others=everywhere,
        )
        self.send(signals.password_changed, signed_out_others=everywhere)
        return self.respond(step)


# --- deletion ---------------------------------------------------------------------------------
class DeleteAccountView(RecentSignInMixin, AccountFormView):
    form_class = DeleteAccountForm
    template_name = "cognito_forms/account/delete.html"
    title = _("Delete your account")
    submit_label = _("Delete my account")

    def perform(self, form: Form) -> HttpResponse:
        step = account.delete_account(self.request, access_token=self.access_token, sub=self.sub)
        self.send(
            signals.account_deleted, sub=self.sub, local_user_deleted=step.local_user == "delete"
        )
        return self.respond(step)


@never_cache
def delete_done(request: HttpRequest) -> HttpResponse:
    """The goodbye page (anyone may see it: the account no longer exists)."""
    return render(request, "cognito_forms/account/delete_done.html")
