"""Form fields built from the pool's schema, and the password and code fields.

Forms validate shape only: lengths, types and value limits the pool declares, the password
policy; never a network call (flows do that from ``form_valid``).
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .. import pool
from ..conf import app_settings
from ..form_config import attribute_validators
from ..types import AttributeSchema, PasswordPolicy

#: Labels of Cognito's standard attributes (the operator overrides any of them).
STANDARD_LABELS: dict[str, Promise] = {
    "name": _("Full name"),
    "given_name": _("First name"),
    "family_name": _("Last name"),
    "middle_name": _("Middle name"),
    "nickname": _("Nickname"),
    "preferred_username": _("Preferred username"),
    "phone_number": _("Phone number"),
    "birthdate": _("Date of birth"),
    "gender": _("Gender"),
    "locale": _("Language"),
    "zoneinfo": _("Time zone"),
    "address": _("Address"),
    "website": _("Website"),
    "profile": _("Profile page"),
    "picture": _("Picture URL"),
}

phone_validator = RegexValidator(
    r"^\+[1-9]\d{1,14}$",
    _("Enter the number in international format, starting with + and the country code."),
)
birthdate_validator = RegexValidator(r"^\d{4}-\d{2}-\d{2}$", _("Enter the date as YYYY-MM-DD."))


def field_name(attribute: str) -> str:
    """The form field name of a Cognito attribute (``custom:company`` -> ``custom_company``)."""
    return attribute.replace(":", "_")


def attribute_label(attribute: str) -> Any:
    labels = app_settings.ATTRIBUTE_LABELS
    if attribute in labels:
        return labels[attribute]
    if attribute in STANDARD_LABELS:
        return STANDARD_LABELS[attribute]
    return attribute.removeprefix("custom:").replace("_", " ").capitalize()


def attribute_field(schema: AttributeSchema, *, required: bool | None = None) -> forms.Field:
    """A form field for one attribute, validated by the limits the pool declares."""
    name = schema.name
    required = schema.required if required is None else required
    help_text: Any = app_settings.ATTRIBUTE_HELP_TEXTS.get(name, "")
    if not schema.mutable and not help_text:
        help_text = _("This cannot be changed later.")
    common: dict[str, Any] = {
        "required": required,
        "label": attribute_label(name),
        "help_text": help_text,
    }
    common["validators"] = attribute_validators(name)
    choices = app_settings.ATTRIBUTE_CHOICES.get(name)
    if choices:
        # A value, or a (value, label) pair so the label can be translated.
        options: list[tuple[str, Any]] = [("", "—")]
        for choice in choices:
            if isinstance(choice, (tuple, list)) and len(choice) == 2:
                options.append((str(choice[0]), choice[1]))
            else:
                options.append((str(choice), str(choice)))
        return forms.ChoiceField(choices=options, **common)
    if schema.data_type == "Number":
        return forms.IntegerField(min_value=schema.min_value, max_value=schema.max_value, **common)
    if schema.data_type == "Boolean":
        return forms.ChoiceField(
            choices=[("", "—"), ("true", _("Yes")), ("false", _("No"))], **common
        )
    validators = list(common.pop("validators"))
    widget: forms.Widget | None = None
    if name == "phone_number":
        validators.append(phone_validator)
        widget = forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"})
    elif name == "birthdate":
        validators.append(birthdate_validator)
        widget = forms.TextInput(attrs={"placeholder": _("YYYY-MM-DD"), "autocomplete": "bday"})
    elif name in ("name", "given_name", "family_name"):
        autocomplete = {"name": "name", "given_name": "given-name", "family_name": "family-name"}
        widget = forms.TextInput(attrs={"autocomplete": autocomplete[name]})
    # Cognito's default limit for a string attribute is 2048 characters.
    max_length = schema.max_length or 2048
    min_length = schema.min_length or None
    if min_length is not None and min_length <= 1:
        min_length = None
    return forms.CharField(
        max_length=max_length,
        min_length=min_length,
        validators=validators,
        widget=widget,
        **common,
    )


def attribute_value(value: Any) -> str:
    """Cognito takes every attribute value as a string."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


class EmailField(forms.EmailField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Email address"))
        kwargs.setdefault("max_length", 254)
        kwargs.setdefault(
            "widget",
            forms.EmailInput(
                attrs={"autocomplete": "email", "autocapitalize": "none", "spellcheck": "false"}
            ),
        )
        super().__init__(**kwargs)


class PasswordField(forms.CharField):
    """A password, never stripped or changed, never rendered back into the page."""

    def __init__(self, *, new: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("New password") if new else _("Password"))
        autocomplete = "new-password" if new else "current-password"
        attrs = {"autocomplete": autocomplete}
        if new:
            attrs["aria-describedby"] = "cf-password-rules"
        kwargs.setdefault("widget", forms.PasswordInput(attrs=attrs, render_value=False))
        kwargs.setdefault("max_length", 256)
        super().__init__(strip=False, **kwargs)


def check_new_password(password: str, policy: PasswordPolicy) -> str:
    """Raise every rule the password breaks as one field error (``policy``: the pool's, handed
    to the form by its view; checking it is local, no Cognito call)."""
    problems = pool.password_problems(password, policy)
    if problems:
        raise ValidationError(problems, code="password_policy")
    return password


_CODE_NOISE = re.compile(r"[\s-]")


class CodeField(forms.CharField):
    """A one-time code: digits only; spaces and dashes a visitor types are ignored."""

    default_error_messages = {"invalid": _("Enter the code as digits only, for example 123456.")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Code"))
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "autocomplete": "one-time-code",
                    "inputmode": "numeric",
                    "pattern": "[0-9 ]*",
                    "size": "10",
                }
            ),
        )
        kwargs.setdefault("max_length", 16)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        text = _CODE_NOISE.sub("", str(value or ""))
        cleaned = str(super().clean(text))
        if cleaned and not (cleaned.isascii() and cleaned.isdigit() and 4 <= len(cleaned) <= 10):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return cleaned
