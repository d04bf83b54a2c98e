"""Sign-out: a confirmation page (GET) and a CSRF-protected POST that ends the session."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.http import HttpResponse, HttpResponseRedirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.generic.edit import FormView

from ..adapter import get_adapter
from ..flows import session


class SignOutForm(forms.Form):
    everywhere = forms.BooleanField(
        label=_("Sign out of all devices"),
        required=False,
        help_text=_("Also ends your sessions in other browsers and apps."),
    )


if TYPE_CHECKING:
    _FormView = FormView[SignOutForm]
else:  # Django's generic views are not subscriptable at run time
    _FormView = FormView


@method_decorator([never_cache, csrf_protect], name="dispatch")
class SignOutView(_FormView):
    """GET shows the confirmation form; only a POST with a valid CSRF token signs out.

    A GET never signs out: a link or image on another site must not end the session.
    """

    template_name = "cognito_forms/signout.html"
    form_class = SignOutForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["submit_label"] = _("Sign out")
        return context

    def form_valid(self, form: SignOutForm) -> HttpResponse:
        response = HttpResponseRedirect(get_adapter().get_signout_redirect_url(self.request))
        session.end(self.request, response, everywhere=bool(form.cleaned_data.get("everywhere")))
        return response
