"""Pages of the signed-in user: what they share, re-authentication, password change, deletion.

Every page here needs a signed-in browser (else: the sign-in page with a safe ``next``); the
sensitive ones also need a recent sign-in (``COGNITO_REAUTH_MAX_AGE``), else the re-auth page
asks for the password and returns. Views call flows; flows call Cognito.
"""

from __future__ import annotations

import logging
from typing import Any

from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from .. import pool, signals
from ..flows import account
from ..forms.account import ChangePasswordForm, DeleteAccountForm, ReauthForm
from ..redirects import next_from
from .base import AccountFormView, RecentSignInMixin

logger = logging.getLogger(__name__)


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

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "policy": pool.password_policy()}

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
