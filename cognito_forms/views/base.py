"""What every account-journey view shares: decorators, one ``form_valid`` error path, one
way to turn a flow's step into HTTP (:func:`respond`); where to go next (a safe ``next``, the
page of a challenge) is in :mod:`cognito_forms.redirects`.

A view subclasses :class:`CognitoFormView`, sets ``template_name`` and ``form_class`` and
implements :meth:`CognitoFormView.perform`; every exception of ours raised there becomes a
message on the right field (or the whole form), with status 200, 429 (``Retry-After``) or
503 (service trouble, including the shared cache or the database out of reach: docs/production.md
"When Redis or the database is away"). What the visitor typed stays in the form; passwords
never do.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic.edit import FormView

from .. import exceptions as exc
from .. import (
    form_config,
    journey,
    journey_pending,
    known_device,
    outages,
    pool,
    remembered_email,
    request_auth,
    visitor,
)
from ..adapter import get_adapter
from ..flows import account, session
from ..journey import EmailState, SignInState
from ..ratelimit import RateLimitMixin, retry_after_header
from ..redirects import CHALLENGE_PAGES, after_signin_url, next_from
from ..steps import SIGNED_OUT_OTHERS, NextChallenge, Restart, SignedIn, SignedOut, Step

logger = logging.getLogger(__name__)

SERVICE_RETRY_AFTER = 30


# --- steps into HTTP ----------------------------------------------------------------------------
_LEVELS = {"info": messages.INFO, "success": messages.SUCCESS, "error": messages.ERROR}


def respond(request: HttpRequest, step: Step) -> HttpResponse:
    """Turn a flow's ``step`` into HTTP: always a redirect, with the journey cookie written or
    cleared, the adapter's sentence as a message, for tokens the session started and for a
    sign-out the session ended."""
    if isinstance(step, Restart):
        messages.error(request, get_adapter().get_error_message(step.reason))
        response = HttpResponseRedirect(reverse("cognito_forms:signin"))
        if step.email:
            journey.save(response, request, SignInState(step.email, step.next_url))
        else:
            journey.clear(response, request)
        return response
    if isinstance(step, SignedOut):
        return _signed_out(request, step)
    if step.message:
        text = get_adapter().get_message(step.message, getattr(step, "params", None))
        messages.add_message(request, _LEVELS[step.level], text)
    if isinstance(step, SignedIn):
        response = HttpResponseRedirect(after_signin_url(request, step.next_url))
        session.start(
            request,
            response,
            step.tokens,
            after_signing_out_everywhere=step.then == SIGNED_OUT_OTHERS,
        )
        remembered_email.remember(response, request, step.email)
        known_device.remember(response, request, step.email)
        return response
    if isinstance(step, NextChallenge):
        page = CHALLENGE_PAGES.get(step.state.name)
        if page is None:
            raise exc.UnsupportedChallenge(step.state.name)
        response = HttpResponseRedirect(reverse(page))
        journey.save(response, request, step.state)
        return response
    response = HttpResponseRedirect(resolve_url(step.page))
    if step.state is not None:
        journey.save(response, request, step.state)
    elif step.clear_state:
        journey.clear(response, request)
    if step.pending is not None:
        journey_pending.save(response, request, step.pending)
    return response


def _signed_out(request: HttpRequest, step: SignedOut) -> HttpResponse:
    user = request.user
    response = HttpResponseRedirect(resolve_url(step.page))
    # Revocation failures at Cognito are logged; the session ends here regardless.
    session.end(request, response)
    if step.local_user != "keep":
        remembered_email.forget(response, request)  # no trace of the account is kept
        account.retire_local_user(user, delete=step.local_user == "delete")
    return response


# --- the shared view ---------------------------------------------------------------------------
if TYPE_CHECKING:
    _FormView = FormView[Form]
else:  # Django's generic views are not subscriptable at run time
    _FormView = FormView


@method_decorator([sensitive_post_parameters(), never_cache, csrf_protect], name="dispatch")
class CognitoFormView(RateLimitMixin, _FormView):
    """A thin form view: ``perform`` does the work, errors become messages in one place."""

    #: Show the pool's password rules on this page.
    shows_password_policy = False
    #: Page heading and submit button (templates may override).
    title: Any = ""
    submit_label: Any = ""
    #: The step may sign someone in or needs the local user: with the database away it answers
    #: 503 before calling Cognito, so no code or password is spent on a sign-in that could not
    #: be recorded. Sign-up, resend and forgot-password need no database and set it False.
    requires_database = True

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # S12: Cognito's threat protection must judge the visitor, not this server; the
        # address is set for this request only and reset even when the view raises.
        with visitor.visiting(request):
            return super().dispatch(request, *args, **kwargs)

    def get_form_class(self) -> Any:
        """Ours, or the operator's replacement from ``COGNITO_FORMS``."""
        return form_config.form_class(super().get_form_class())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("title", self.title)
        context.setdefault("submit_label", self.submit_label)
        context.setdefault("next", next_from(self.request))
        if self.shows_password_policy:
            context["password_rules"] = pool.password_rules()
        return context

    def form_valid(self, form: Form) -> HttpResponse:
        try:
            if self.requires_database:
                outages.ensure_database()
            return self.perform(form)
        except exc.RateLimited as error:
            return self.rate_limited_response(error)
        except exc.CognitoFormsError as error:
            return self.error_response(form, error)
        except Exception as error:
            if not outages.is_database_outage(error):
                raise
            # E.g. the local user could not be linked after Cognito said yes: try again later.
            outages.report("database", error)
            return self.error_response(form, exc.DatabaseUnavailable("database"))

    def perform(self, form: Form) -> HttpResponse:
        """Do the journey's step with the valid ``form``; return the response (usually
        ``self.respond(flow(...))``)."""
        raise NotImplementedError

    def respond(self, step: Step) -> HttpResponse:
        """The HTTP answer to a flow's ``step`` (see :func:`respond`)."""
        return respond(self.request, step)

    def error_response(self, form: Form, error: exc.CognitoFormsError) -> HttpResponse:
        """Show ``error`` on its field (or the whole form) and keep what was typed."""
        logger.info("%s: %s", type(self).__name__, error.code)
        field = error.field if error.field in form.fields else None
        form.add_error(field, get_adapter().get_error_message(error.code))
        if isinstance(error, exc.DatabaseUnavailable):
            # The page must not load the user again from a database that just failed.
            self.request.user = AnonymousUser()
        status = error.status  # the vocabulary decides: 200, 429 or 503 (exceptions.py)
        response = self.render_to_response(self.get_context_data(form=form), status=status)
        if status == 429:
            retry_after_header(response, int(getattr(error, "retry_after", 60)))
        elif status == 503:
            retry_after_header(response, SERVICE_RETRY_AFTER)
        return response


class EmailStepMixin:
    """A step that carries the email over from the previous one in the journey state, and
    asks for it again when that state is gone (expired, another browser). Set
    ``state_class``."""

    state_class: type[EmailState] = EmailState
    request: HttpRequest
    state: EmailState | None

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)  # type: ignore[misc]
        self.state = journey.load(request, self.state_class)

    @property
    def email(self) -> str:
        return self.state.email if self.state else ""

    def rate_limit_key(self) -> str | None:
        return self.email or super().rate_limit_key()  # type: ignore[misc]

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "ask_email": not self.email}  # type: ignore[misc]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["email"] = self.email
        return context


# --- what every signed-in page uses -----------------------------------------------------------
class SignedInMixin:
    """Anonymous visitors go to the sign-in page and come back here afterwards."""

    request: HttpRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated or request_auth.of(request).access_token is None:
            return redirect_to_login(request.get_full_path())
        response: HttpResponseBase = super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
        return response

    @property
    def claims(self) -> dict[str, Any]:
        return dict(request_auth.of(self.request).claims)

    @property
    def access_token(self) -> str:
        return request_auth.of(self.request).access_token or ""

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
            and request_auth.of(request).access_token is not None
            and account.needs_reauthentication(request_auth.of(request).claims)
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
