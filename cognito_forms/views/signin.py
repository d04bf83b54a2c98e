"""Sign-in, and what every journey does once Cognito answers with tokens or a challenge."""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from django.contrib import messages
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .. import exceptions as exc
from .. import forms, known_device, ratelimit, remembered_email, timing
from ..adapter import get_adapter
from ..conf import app_settings
from ..flows import challenges, session
from ..flows import password as password_flow
from ..flows import signin as flow
from ..flows import signup as signup_flow
from ..security_log import log_event
from ..types import AuthResult, TokenSet
from .base import (
    CognitoFormView,
    after_signin_url,
    clear_state,
    load_state,
    next_from,
    save_state,
)

logger = logging.getLogger(__name__)

SIGNIN = "signin"
CHALLENGE = "challenge"

#: ``then`` of a sign-in that follows this browser's own "sign out everywhere" (password change
#: or reset): its new session survives that sign-out (docs/security.md S4).
SIGNED_OUT_OTHERS = "signed_out_others"

#: Challenge name -> the URL name of its page.
CHALLENGE_PAGES = {
    "SOFTWARE_TOKEN_MFA": "cognito_forms:signin_code",
    "SMS_MFA": "cognito_forms:signin_code",
    "SMS_OTP": "cognito_forms:signin_code",
    "EMAIL_OTP": "cognito_forms:signin_code",
    "NEW_PASSWORD_REQUIRED": "cognito_forms:signin_new_password",
    "SELECT_MFA_TYPE": "cognito_forms:signin_select_mfa",
    "MFA_SETUP": "cognito_forms:signin_mfa_setup",
    "SELECT_CHALLENGE": "cognito_forms:signin_choose",
}


def remember_email(
    response: HttpResponseBase, request: HttpRequest, email: str, next_url: str = ""
) -> None:
    """Fill the email in on the sign-in page (kept in the state cookie; never a password)."""
    save_state(response, request, SIGNIN, {"email": email, "next": next_url})


def save_challenge(
    response: HttpResponseBase, request: HttpRequest, state: challenges.ChallengeState
) -> None:
    # The state never outlives Cognito's Session (3 minutes).
    save_state(
        response, request, CHALLENGE, state.to_dict(), max_age=app_settings.CHALLENGE_MAX_AGE
    )


def load_challenge(request: HttpRequest) -> challenges.ChallengeState | None:
    data = load_state(request, CHALLENGE)
    return challenges.ChallengeState.from_dict(data) if data else None


def challenge_redirect(
    request: HttpRequest, state: challenges.ChallengeState
) -> HttpResponseRedirect:
    page = CHALLENGE_PAGES.get(state.name)
    if page is None:
        raise exc.UnsupportedChallenge(state.name)
    response = HttpResponseRedirect(reverse(page))
    save_challenge(response, request, state)
    return response


def complete_sign_in(
    request: HttpRequest,
    result: AuthResult,
    *,
    email: str,
    next_url: str = "",
    then: str = "",
    previous: challenges.ChallengeState | None = None,
) -> HttpResponse:
    """Tokens: start the session and go on. A challenge: show its page (state in the cookie)."""
    if isinstance(result, TokenSet):
        ratelimit.clear(request, "signin_failed", key=email)
        if then == "global_sign_out":
            # The password was just reset: end every session, then sign in afresh.
            password_flow.end_every_session(result)
            messages.success(
                request,
                _(
                    "Your password has been changed and you have been signed out everywhere. "
                    "Please sign in with your new password."
                ),
            )
            response = HttpResponseRedirect(reverse("cognito_forms:signin"))
            remember_email(response, request, email, next_url)
            return response
        response = HttpResponseRedirect(after_signin_url(request, next_url))
        session.sign_in(
            request, response, result, after_signing_out_everywhere=then == SIGNED_OUT_OTHERS
        )
        remembered_email.remember(response, request, email)
        known_device.remember(response, request, email)
        return response
    if previous is not None:
        state = previous.advance(result)
    else:
        state = challenges.state_for(result, email=email, next_url=next_url, then=then)
    return challenge_redirect(request, state)


def restart(request: HttpRequest, code: str, email: str = "", next_url: str = "") -> HttpResponse:
    """Back to the sign-in page with a message (expired state, too many codes ...)."""
    messages.error(request, get_adapter().get_error_message(code))
    response = HttpResponseRedirect(reverse("cognito_forms:signin"))
    if email:
        remember_email(response, request, email, next_url)
    else:
        clear_state(response, request)
    return response


class SignInView(CognitoFormView):
    template_name = "cognito_forms/signin.html"
    form_class = forms.SignInForm
    rate_limit_action = "signin"
    title = _("Sign in")
    submit_label = _("Sign in")

    #: Set by :meth:`perform` when the answer is the generic sign-in failure.
    failed = False

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
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
            remembered = load_state(self.request, SIGNIN)
            email = remembered.get("email", "") if remembered else ""
            email = email or remembered_email.recall(self.request)
            if email:
                kwargs["initial"] = {**kwargs.get("initial", {}), "email": email}
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        remembered = load_state(self.request, SIGNIN)
        if not context["next"] and remembered:
            context["next"] = remembered.get("next", "")
        return context

    def perform(self, form: Form) -> HttpResponse:
        email = form.cleaned_data["email"]
        next_url = next_from(self.request)
        # A browser this address signed in from before is spared the per-address ceiling, so
        # a stranger failing from many networks cannot lock its owner out (S7); the counters of
        # this network still apply to it.
        known = known_device.recognises(self.request, email)
        ratelimit.check(self.request, "signin_failed", key=email, skip=("key",) if known else ())
        try:
            if app_settings.CHOICE_BASED_SIGN_IN:
                result = flow.start_choice(email)
            else:
                result = flow.sign_in(email, form.cleaned_data["password"])
        except exc.SignInFailed:
            self.failed = True
            ratelimit.record_failure(self.request, "signin_failed", key=email)
            log_event(self.request, "signin_failed", email=email, reason="credentials")
            raise
        except exc.UserNotConfirmed:
            return self.unconfirmed(email, next_url)
        except exc.PasswordResetRequired:  # raised only once the password was proven (S6)
            return reset_required(self.request, email)
        return complete_sign_in(self.request, result, email=email, next_url=next_url)

    def unconfirmed(self, email: str, next_url: str) -> HttpResponse:
        """Only the password's owner gets here: send a fresh code and ask for it."""
        with contextlib.suppress(exc.ResendTooSoon):  # a code was sent moments ago
            signup_flow.resend(email)
        messages.info(
            self.request,
            _("Please confirm your email address first. We have sent you a new code."),
        )
        response = HttpResponseRedirect(reverse("cognito_forms:confirm"))
        save_state(response, self.request, "confirm", {"email": email, "next": next_url})
        return response


def reset_required(request: HttpRequest, email: str) -> HttpResponse:
    """The password's owner must choose a new one: send a code and ask for it.

    Only a proven password gets here, and the code counts under the ``forgot`` limits like one
    asked for on the forgot-password page, so sign-ins cannot mail the owner without end (S6).
    """
    ratelimit.hit(request, "forgot", key=email)
    password_flow.forgot(email)
    messages.info(
        request,
        _("You need to choose a new password. We have sent a code to your email address."),
    )
    response = HttpResponseRedirect(reverse("cognito_forms:password_reset"))
    save_state(response, request, "reset", {"email": email})
    return response
