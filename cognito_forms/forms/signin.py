"""Sign-in and challenge forms (one per challenge Cognito can return)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ..types import AttributeSchema, PasswordPolicy
from .fields import (
    CodeField,
    EmailField,
    PasswordField,
    attribute_field,
    attribute_value,
    check_new_password,
    field_name,
)


class SignInForm(forms.Form):
    email = EmailField()
    password = PasswordField()

    def __init__(self, *args: Any, ask_password: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not ask_password:
            # Choice-based sign-in: the password (if chosen) is asked on the next page.
            del self.fields["password"]


class CodeForm(forms.Form):
    """SOFTWARE_TOKEN_MFA, SMS_MFA, EMAIL_OTP, and the TOTP code of MFA_SETUP."""

    code = CodeField()


class NewPasswordForm(forms.Form):
    """NEW_PASSWORD_REQUIRED, plus the required attributes the account still lacks."""

    password = PasswordField(new=True)

    def __init__(
        self,
        *args: Any,
        policy: PasswordPolicy,
        missing: list[AttributeSchema] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.policy = policy
        self.attribute_names: dict[str, str] = {}
        for schema in missing or []:
            name = field_name(schema.name)
            self.fields[name] = attribute_field(schema, required=True)
            self.attribute_names[name] = schema.name

    def clean_password(self) -> str:
        return check_new_password(self.cleaned_data["password"], self.policy)

    def attributes(self) -> dict[str, str]:
        return {
            attribute: attribute_value(self.cleaned_data.get(name))
            for name, attribute in self.attribute_names.items()
        }


MFA_LABELS = {
    "SOFTWARE_TOKEN_MFA": _("An authenticator app"),
    "SMS_MFA": _("A text message to my phone"),
    "EMAIL_OTP": _("An email with a code"),
}


class SelectMfaForm(forms.Form):
    """SELECT_MFA_TYPE: which second step to use this time."""

    method = forms.ChoiceField(label=_("Verify with"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, methods: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["method"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(m, MFA_LABELS.get(m, m)) for m in methods]


CHALLENGE_LABELS = {
    "PASSWORD": _("My password"),
    "EMAIL_OTP": _("A code sent to my email"),
    "SMS_OTP": _("A code sent to my phone"),
}


class SelectChallengeForm(forms.Form):
    """SELECT_CHALLENGE (choice-based sign-in): password, email code or SMS code."""

    method = forms.ChoiceField(label=_("Sign in with"), widget=forms.RadioSelect)
    password = PasswordField(
        required=False, help_text=_("Only needed when you sign in with your password.")
    )

    def __init__(self, *args: Any, methods: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["method"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(m, CHALLENGE_LABELS.get(m, m)) for m in methods]
        if "PASSWORD" not in methods:
            del self.fields["password"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("method") == "PASSWORD" and not cleaned.get("password"):
            self.add_error("password", _("Enter your password."))
        return cleaned
