"""The profile page and the email / phone number change with its verification code.

The profile renders from the ID token's claims (no Cognito call); saving sends only the
changed, writable attributes and refreshes the tokens so the new values show at once. A new
email or phone number waits in a small encrypted cookie of this browser until its code is
verified: the page shows it as pending, with a way to get a new code.
"""

from __future__ import annotations

from typing import Any

from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import exceptions as exc
from .. import journey_pending, pool, ratelimit, signals
from ..adapter import get_adapter
from ..flows import contacts as contact_flow
from ..flows import profile as flow
from ..forms.fields import CodeField, attribute_label
from ..forms.profile import ChangeAttributeForm, ProfileForm, claim_value, profile_attributes
from .base import AccountFormView, RecentSignInMixin

ATTRIBUTE_NAMES = {
    "email": gettext_lazy("email address"),
    "phone_number": gettext_lazy("phone number"),
}


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
        claims, pending = self.claims, journey_pending.load(self.request, self.sub).values
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
        step, names = contact_flow.save_details(
            self.request,
            access_token=self.access_token,
            sub=self.sub,
            changed=changed,
            cleared=cleared,
            allowed=set(form.attribute_names.values()),
        )
        if names:
            self.send(signals.profile_updated, attributes=names)
        return self.respond(step)


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
        step = contact_flow.start_change(
            self.request,
            access_token=self.access_token,
            sub=self.sub,
            attribute=self.attribute,
            value=form.cleaned_data["value"],
        )
        return self.respond(step)


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
        pending = journey_pending.load(self.request, self.sub).values.get(self.attribute, "")
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
        try:
            step = contact_flow.resend_code(
                self.request, access_token=self.access_token, sub=self.sub, attribute=self.attribute
            )
        except exc.RateLimited as error:
            return ratelimit.rate_limited_page(self.request, error)
        return self.respond(step)

    def perform(self, form: Form) -> HttpResponse:
        step = contact_flow.verify(
            self.request,
            access_token=self.access_token,
            sub=self.sub,
            attribute=self.attribute,
            code=form.cleaned_data["code"],
            label=str(ATTRIBUTE_NAMES[self.attribute]),
        )
        self.send(signals.profile_updated, attributes=[self.attribute])
        return self.respond(step)
