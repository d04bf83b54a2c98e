"""Pages of the signed-in user: what they share, re-authentication, password change, deletion.

Every page here needs a signed-in browser (else: the sign-in page with a safe ``next``); the
sensitive ones also need a recent sign-in (``COGNITO_REAUTH_MAX_AGE``), else the re-auth page
asks for the password and returns. Views call flows; flows call Cognito.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from .. import pool, remembered_email, request_auth, signals
from ..conf import app_settings
from ..flows import account, session
from ..forms.account import ChangePasswordForm, DeleteAccountForm, ReauthForm
from ..security_log import log_event
from .base import CognitoFormView, next_from
from .signin import SIGNED_OUT_OTHERS, complete_sign_in

logger = logging.getLogger(__name__)


# --- what every signed-in page uses -----------------------------------------------------------
def current_claims(request: HttpRequest) -> dict[str, Any]:
    """The verified ID-token claims of this request (set by the middleware or sign-in)."""
    return dict(request_auth.of(request).claims)


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
        email = account.username_of(self.claims)
        result = account.reauthenticate(username=email, password=form.cleaned_data["password"])
        log_event(self.request, "reauthenticated", sub=self.sub)
        target = next_from(self.request) or reverse("cognito_forms:profile")
        return complete_sign_in(self.request, result, email=email, next_url=target)


# --- password ---------------------------------------------------------------------------------
class ChangePasswordView(AccountFormView):
    form_class = ChangePasswordForm
    rate_limit_action = "reauth"  # the current password can be guessed here too
    template_name = "cognito_forms/account/password_change.html"
    title = _("Change your password")
    submit_label = _("Change password")
    shows_password_policy = True

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "policy": pool.password_policy()}

    def perform(self, form: Form) -> HttpResponse:
        data = form.cleaned_data
        email = account.username_of(self.claims)
        everywhere = bool(data["sign_out_others"])
        result = account.change_password(
            access_token=self.access_token,
            username=email,
            sub=self.sub,
            current=data["current_password"],
            new=data["new_password"],
            sign_out_others=everywhere,
        )
        log_event(self.request, "password_changed", sub=self.sub, signed_out_others=everywhere)
        self.send(signals.password_changed, signed_out_others=everywhere)
        messages.success(self.request, _("Your password has been changed."))
        done = reverse("cognito_forms:password_change")
        if result is None:
            return HttpResponseRedirect(done)
        return complete_sign_in(
            self.request, result, email=email, next_url=done, then=SIGNED_OUT_OTHERS
        )


# --- deletion ---------------------------------------------------------------------------------
class DeleteAccountView(RecentSignInMixin, AccountFormView):
    form_class = DeleteAccountForm
    template_name = "cognito_forms/account/delete.html"
    title = _("Delete your account")
    submit_label = _("Delete my account")

    def perform(self, form: Form) -> HttpResponse:
        account.delete_account(access_token=self.access_token)
        user, sub = self.request.user, self.sub
        remove = app_settings.DELETE_LOCAL_USER
        log_event(self.request, "account_deleted", sub=sub)
        self.send(signals.account_deleted, sub=sub, local_user_deleted=remove)
        response = HttpResponseRedirect(reverse("cognito_forms:delete_done"))
        # The Cognito account is gone: end the session here (revocation failures are logged).
        session.sign_out(self.request, response)
        remembered_email.forget(response, self.request)  # no trace of the account is kept
        if user.is_authenticated and getattr(user, "pk", None) is not None:
            if remove:
                user.delete()
            else:
                user.is_active = False
                user.save(update_fields=["is_active"])
        return response


@never_cache
def delete_done(request: HttpRequest) -> HttpResponse:
    """The goodbye page (anyone may see it: the account no longer exists)."""
    return render(request, "cognito_forms/account/delete_done.html")
