"""Forms of the signed-in user's account pages: re-authentication, password, MFA, deletion."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ..types import PasswordPolicy
from .fields import CodeField, PasswordField, check_new_password


class ReauthForm(forms.Form):
    """The current password, asked again before a sensitive change."""

    password = PasswordField()


class ChangePasswordForm(forms.Form):
    """The current password and a new one under ``policy`` (the pool's, from the view)."""

    current_password = PasswordField(label=_("Current password"))
    new_password = PasswordField(new=True)
    sign_out_others = forms.BooleanField(
        required=False,
        initial=False,
        label=_("Sign out of every other device and browser"),
    )

    def __init__(self, *args: Any, policy: PasswordPolicy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.policy = policy

    def clean_new_password(self) -> str:
        return check_new_password(self.cleaned_data["new_password"], self.policy)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        current, new = cleaned.get("current_password"), cleaned.get("new_password")
        if current and new and current == new:
            self.add_error("new_password", _("Choose a password different from your current one."))
        return cleaned


#: How each MFA method is named on the security settings page.
MFA_METHOD_LABELS = {
    "totp": _("Authenticator app"),
    "sms": _("Text message (SMS)"),
    "email": _("Email"),
}


class MfaActionForm(forms.Form):
    """One button on the security settings page: ``enable:sms``, ``disable:totp``,
    ``prefer:email`` ...; only the actions the page offers are accepted."""

    action = forms.ChoiceField()

    def __init__(self, *args: Any, actions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["action"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(a, a) for a in actions]

    def parsed(self) -> tuple[str, str]:
        verb, _sep, method = str(self.cleaned_data["action"]).partition(":")
        return verb, method


class TotpSetupForm(forms.Form):
    """The first code from the authenticator app, proving it was set up."""

    code = CodeField(label=_("Code from the app"))
    device_name = forms.CharField(
        required=False,
        max_length=64,
        label=_("Name of this authenticator"),
        help_text=_("For example: phone. It helps you tell your devices apart."),
    )


class DeleteAccountForm(forms.Form):
    confirm = forms.BooleanField(
        required=True,
        label=_("I understand that my account will be deleted and this cannot be undone."),
        error_messages={"required": _("Tick the box to confirm you want to delete your account.")},
    )
