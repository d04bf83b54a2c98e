"""Forgot-password and reset forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ..types import PasswordPolicy
from .fields import CodeField, EmailField, PasswordField, check_new_password


class ForgotPasswordForm(forms.Form):
    email = EmailField()


class ResetPasswordForm(forms.Form):
    """The code from the email and a new password; the address only when the state is gone.

    ``policy`` (the pool's password policy) comes from the view."""

    email = EmailField()
    code = CodeField(label=_("Reset code"))
    password = PasswordField(new=True)
    sign_out_everywhere = forms.BooleanField(
        required=False,
        initial=True,
        label=_("Sign out of every other device and browser"),
    )

    def __init__(
        self, *args: Any, policy: PasswordPolicy, ask_email: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.policy = policy
        if not ask_email:
            del self.fields["email"]

    def clean_password(self) -> str:
        return check_new_password(self.cleaned_data["password"], self.policy)
