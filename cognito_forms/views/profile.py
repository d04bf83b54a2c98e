"""The profile page and the email / phone number change with its verification code.

The profile renders from the ID token's claims (no Cognito call); saving sends only the
changed, writable attributes and refreshes the tokens so the new values show at once. A new
email or phone number waits in a small encrypted cookie of this browser until its code is
verified: the page shows it as pending, with a way to get a new code.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from django.contrib import messages
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import cookies, pool, ratelimit, signals
from .. import exceptions as exc
from ..adapter import get_adapter
from ..conf import app_settings
from ..flows import attempts, refresh
from ..flows import profile as flow
from ..forms.fields import CodeField, attribute_label
from ..forms.profile import ChangeAttributeForm, ProfileForm, claim_value, profile_attributes
from ..security_log import log_event
from .account import AccountFormView, RecentSignInMixin

PENDING_PURPOSE = "pending-attribute"
#: Cognito's attribute verification codes are valid for 24 hours.
PENDING_MAX_AGE = 24 * 3600
ATTRIBUTE_NAMES = {
    "email": gettext_lazy("email address"),
    "phone_number": gettext_lazy("phone number"),
}


# --- the pending change, kept in this browser ---------------------------------------------------
def _read(request: HttpRequest, sub: str) -> dict[str, Any]:
    try:
        sealed = cookies.read_chunked(request, app_settings.PENDING_COOKIE_NAME)
        if sealed is None:
            return {}
        data = json.loads(cookies.unseal(sealed, PENDING_PURPOSE))
    except (cookies.CookieInvalid, ValueError):
        return {}
    # Bound to the user: another account signing in on this browser sees nothing.
    if not isinstance(data, dict) or data.get("sub") != sub or not isinstance(data.get("v"), dict):
        return {}
    return data


def read_pending(request: HttpRequest, sub: str) -> dict[str, str]:
    """Pending changes of user ``sub``: attribute -> new value (empty when none)."""
    values = _read(request, sub).get("v") or {}
    return {str(k): str(v) for k, v in values.items() if k in flow.VERIFIABLE}


def read_refused(request: HttpRequest, sub: str) -> set[str]:
    """Pending attributes whose new value Cognito refused (S10: no code exists for them)."""
    flags = _read(request, sub).get("r")
    if not isinstance(flags, dict):
        return set()
    return {str(k) for k, v in flags.items() if v == "1" and k in flow.VERIFIABLE}


def write_pending(
    response: HttpResponseBase,
    request: HttpRequest,
    sub: str,
    values: dict[str, str],
    refused: Collection[str] = (),
) -> None:
    if not values:
        cookies.clear_chunked(response, request, app_settings.PENDING_COOKIE_NAME)
        return
    # One flag of one character per pending value: the sealed cookie (AES-GCM keeps lengths)
    # is exactly as long for a refused address as for an accepted one (S10).
    flags = {name: "1" if name in refused else "0" for name in values}
    payload = json.dumps({"sub": sub, "v": values, "r": flags}).encode("utf-8")
    sealed = cookies.seal(payload, PENDING_PURPOSE)
    cookies.write_chunked(
        response, request, app_settings.PENDING_COOKIE_NAME, sealed, PENDING_MAX_AGE
    )


def _attribute(kwargs: dict[str, Any]) -> str:
    attribute = str(kwargs.get("attribute", ""))
    if attribute not in flow.VERIFIABLE or not pool.writable(attribute):
        raise Http404
    return attribute


# --- the profile ------------------------------------------------------------------------------
class ProfileView(AccountFormView):
    form_class = ProfileForm
    template_name = "cognito_forms/account/profile.html"
    title = gettext_lazy("Your profile")
    submit_label = gettext_lazy("Save changes")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        attributes = profile_attributes(pool.describe_pool(), pool.describe_client())
        kwargs.update(attributes=attributes, claims=self.claims)
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        claims, pending = self.claims, read_pending(self.request, self.sub)
        unverified = flow.unverified(claims)
        contacts = []
        for attribute in flow.VERIFIABLE:
            changeable = pool.writable(attribute)
            if not (claims.get(attribute) or attribute in pending or changeable):
                continue
            contacts.append(
                {
                    "attribute": attribute,
                    "label": attribute_label(attribute),
                    "value": claim_value(claims, attribute),
                    "pending": pending.get(attribute, ""),
                    "unverified": attribute in unverified,
                    "changeable": changeable,
                }
            )
        context["contacts"] = contacts
        if not pool.described():
            # The pool's schema is out of reach: say why the details cannot be edited now.
            context["unavailable"] = get_adapter().get_error_message("service_unavailable")
        return context

    def perform(self, form: Form) -> HttpResponse:
        assert isinstance(form, ProfileForm)
        if not pool.described():  # without the schema, "nothing changed" would be a lie
            raise exc.ServiceUnavailable("pool description")
        changed, cleared = form.changes()
        response = HttpResponseRedirect(reverse("cognito_forms:profile"))
        if not changed and not cleared:
            messages.info(self.request, _("Nothing was changed."))
            return response
        names = flow.update_attributes(
            access_token=self.access_token,
            changed=changed,
            cleared=cleared,
            allowed=set(form.attribute_names.values()),
        )
        log_event(self.request, "attribute_changed", sub=self.sub, attributes=",".join(names))
        refresh.refresh_now(self.request)
        self.send(signals.profile_updated, attributes=names)
        messages.success(self.request, _("Your profile has been saved."))
        return response


# --- email and phone number -------------------------------------------------------------------
class ChangeAttributeView(RecentSignInMixin, AccountFormView):
    """A new email address or phone number: a code goes there; it counts once verified."""

    form_class = ChangeAttributeForm
    template_name = "cognito_forms/account/change_attribute.html"
    submit_label = gettext_lazy("Send me a code")
    # Each POST sends a code to an address the user typed: limited like "send a new code".
    rate_limit_action = "resend"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.attribute = _attribute(kwargs)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.update(attribute=self.attribute, current=claim_value(self.claims, self.attribute))
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["attribute"] = self.attribute
        context["title"] = (
            _("Change your email address")
            if self.attribute == "email"
            else _("Change your phone number")
        )
        context["current_value"] = claim_value(self.claims, self.attribute)
        return context

    def perform(self, form: Form) -> HttpResponse:
        value = form.cleaned_data["value"]
        try:
            started = flow.start_change(
                access_token=self.access_token, attribute=self.attribute, value=value
            )
        except exc.InvalidParameter as error:
            raise type(error)(error.code, field="value") from error
        # S10: from here on, an address another account has gets exactly the answer of a free
        # one (redirect, cookies, pages); only the server's log and the sealed cookie know.
        event = "attribute_change_refused" if started.refused else "attribute_change_started"
        log_event(self.request, event, sub=self.sub, attribute=self.attribute)
        url = reverse("cognito_forms:verify_attribute", kwargs={"attribute": self.attribute})
        response = HttpResponseRedirect(url)
        pending = read_pending(self.request, self.sub)
        pending[self.attribute] = value
        refused = read_refused(self.request, self.sub) - {self.attribute}
        if started.refused:
            refused.add(self.attribute)
        write_pending(response, self.request, self.sub, pending, refused)
        attempts.start_cooldown("attribute_code", self.sub, app_settings.RESEND_COOLDOWN)
        # Without AttributesRequireVerificationBeforeUpdate the value changed already (unverified).
        refresh.refresh_now(self.request)
        return response


class VerifyCodeForm(Form):
    code = CodeField(label=gettext_lazy("Verification code"))


class VerifyAttributeView(AccountFormView):
    """Enter the code sent to the new address; a second button asks for a new code."""

    form_class = VerifyCodeForm
    template_name = "cognito_forms/account/verify_attribute.html"
    submit_label = gettext_lazy("Verify")
    rate_limit_action = "confirm"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.attribute = _attribute(kwargs)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        pending = read_pending(self.request, self.sub).get(self.attribute, "")
        context.update(
            attribute=self.attribute,
            attribute_name=ATTRIBUTE_NAMES[self.attribute],
            destination=pending or claim_value(self.claims, self.attribute),
            title=_("Verify your new %(name)s") % {"name": ATTRIBUTE_NAMES[self.attribute]},
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.POST.get("resend"):
            return self.resend()
        return super().post(request, *args, **kwargs)

    def resend(self) -> HttpResponse:
        url = reverse("cognito_forms:verify_attribute", kwargs={"attribute": self.attribute})
        try:
            ratelimit.hit(self.request, "resend", key=self.sub)
        except exc.RateLimited as error:
            return ratelimit.rate_limited_page(self.request, error)
        if attempts.cooldown_remaining("attribute_code", self.sub):
            messages.error(self.request, _("Please wait a little before asking for another code."))
            return HttpResponseRedirect(url)
        refused = self.attribute in read_refused(self.request, self.sub)
        try:
            flow.resend_code(
                access_token=self.access_token, attribute=self.attribute, refused=refused
            )
        except exc.CognitoFormsError as error:
            messages.error(self.request, get_adapter().get_error_message(error.code))
            return HttpResponseRedirect(url)
        attempts.start_cooldown("attribute_code", self.sub, app_settings.RESEND_COOLDOWN)
        messages.success(self.request, _("We have sent you a new code."))
        return HttpResponseRedirect(url)

    def perform(self, form: Form) -> HttpResponse:
        refused = read_refused(self.request, self.sub)
        flow.verify(
            access_token=self.access_token,
            sub=self.sub,
            attribute=self.attribute,
            code=form.cleaned_data["code"],
            refused=self.attribute in refused,
        )
        log_event(self.request, "attribute_changed", sub=self.sub, attributes=self.attribute)
        response = HttpResponseRedirect(reverse("cognito_forms:profile"))
        pending = read_pending(self.request, self.sub)
        pending.pop(self.attribute, None)
        write_pending(response, self.request, self.sub, pending, refused - {self.attribute})
        refresh.refresh_now(self.request)
        self.send(signals.profile_updated, attributes=[self.attribute])
        messages.success(
            self.request,
            _("Your %(name)s has been verified.") % {"name": ATTRIBUTE_NAMES[self.attribute]},
        )
        return response
