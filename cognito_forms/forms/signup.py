"""Sign-up and confirmation forms."""

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


class SignUpForm(forms.Form):
    """Email, password, then the pool's required attributes and the operator's extra ones.

    ``policy`` and ``attributes`` come from the view (``pool.password_policy()`` and
    ``pool.signup_attributes()``): constructing the form never describes the pool.
    """

    email = EmailField()
    password = PasswordField(new=True)

    def __init__(
        self,
        *args: Any,
        policy: PasswordPolicy,
        attributes: list[AttributeSchema],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.policy = policy
        #: form field name -> Cognito attribute name
        self.attribute_names: dict[str, str] = {}
        for schema in attributes:
            name = field_name(schema.name)
            self.fields[name] = attribute_field(schema)
            self.attribute_names[name] = schema.name

    def clean_password(self) -> str:
        return check_new_password(self.cleaned_data["password"], self.policy)

    def attributes(self) -> dict[str, str]:
        """The attributes to send to Cognito (email included; empty optional ones left out)."""
        values = {"email": self.cleaned_data["email"]}
        for name, attribute in self.attribute_names.items():
            value = attribute_value(self.cleaned_data.get(name))
            if value:
                values[attribute] = value
        return values


class ConfirmForm(forms.Form):
    """The code from the email; the address is asked for only when the state is gone."""

    email = EmailField()
    code = CodeField(label=_("Confirmation code"))

    def __init__(self, *args: Any, ask_email: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not ask_email:
            del self.fields["email"]


class ResendForm(forms.Form):
    """ "Send me a new code": the address comes from the state, or is typed."""

    email = EmailField(required=False)
