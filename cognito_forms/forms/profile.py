"""The profile form, generated from the pool's schema and the app client's attribute lists.

Writable attributes (mutable in the schema and in the client's ``WriteAttributes``) become form
fields with the pool's types and limits; readable-only ones are shown, never posted. Email and
phone number are changed on their own pages (re-authentication and a verification code).
Only fields this form offers can reach Cognito, and only those whose value changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .. import pool
from ..conf import app_settings
from ..types import AttributeSchema, ClientDescription, PoolDescription
from .fields import (
    STANDARD_LABELS,
    EmailField,
    attribute_field,
    attribute_label,
    attribute_value,
    field_name,
    phone_validator,
)

#: Attributes changed only through a verification code, on their own page.
VERIFIED_ATTRIBUTES = ("email", "phone_number")


@dataclass(frozen=True)
class ProfileAttribute:
    """One attribute on the profile page and whether this app client may change it."""

    schema: AttributeSchema
    writable: bool

    @property
    def name(self) -> str:
        return self.schema.name

    @property
    def label(self) -> Any:
        return attribute_label(self.schema.name)


def _default_order(schemas: tuple[AttributeSchema, ...]) -> list[str]:
    standard = [name for name in STANDARD_LABELS if any(s.name == name for s in schemas)]
    custom = [s.name for s in schemas if s.is_custom]
    return standard + custom


def profile_attributes(
    description: PoolDescription, client: ClientDescription
) -> list[ProfileAttribute]:
    """The attributes of the profile page: ``COGNITO_PROFILE_ATTRIBUTES`` (in that order) or
    every attribute the client may read, standard ones first, then custom ones.

    The view passes the pool's and the client's descriptions (``pool.describe_pool()``,
    ``pool.describe_client()``) and hands the result to :class:`ProfileForm`."""
    readable = set(client.read_attributes)
    names = app_settings.PROFILE_ATTRIBUTES or _default_order(description.attributes)
    chosen: list[ProfileAttribute] = []
    for name in names:
        if name in pool.NOT_ASKED or name in VERIFIED_ATTRIBUTES:
            continue
        schema = description.attribute(name)
        # Unknown to the pool, developer-only or not readable: not in the ID token, not shown.
        if schema is None or schema.developer_only or (readable and name not in readable):
            continue
        # A privileged attribute is shown read-only even if the client may write it (the
        # profile flow would drop it anyway, and cognito_doctor fails that client).
        privileged = name in app_settings.PRIVILEGED_ATTRIBUTES
        writable = schema.mutable and pool.writable(name, client) and not privileged
        chosen.append(ProfileAttribute(schema=schema, writable=writable))
    return chosen


def claim_value(claims: Mapping[str, Any], name: str) -> str:
    """An attribute's current value as Cognito stores it (a string), from ID-token claims."""
    value = claims.get(name)
    if isinstance(value, dict):  # the standard "address" claim is {"formatted": ...}
        value = value.get("formatted", "")
    return attribute_value(value)


class ProfileForm(forms.Form):
    """One field per writable attribute; ``changes()`` says what to send to Cognito.

    ``attributes`` (from :func:`profile_attributes`) and ``claims`` (the verified ID-token
    claims, the current values) come from the view."""

    def __init__(
        self,
        *args: Any,
        attributes: list[ProfileAttribute],
        claims: Mapping[str, Any],
        **kwargs: Any,
    ) -> None:
        self.current = {a.name: claim_value(claims, a.name) for a in attributes}
        initial = {field_name(n): v for n, v in self.current.items()}
        kwargs["initial"] = {**initial, **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        #: form field name -> Cognito attribute name: the allow-list of what may be sent.
        self.attribute_names: dict[str, str] = {}
        self.readonly: list[tuple[Any, str]] = []
        for attribute in attributes:
            if not attribute.writable:
                self.readonly.append((attribute.label, self.current[attribute.name]))
                continue
            name = field_name(attribute.name)
            self.fields[name] = attribute_field(attribute.schema)
            self.attribute_names[name] = attribute.name

    def _normalised_current(self, attribute: str) -> str:
        value = self.current.get(attribute, "")
        schema_field = self.fields[field_name(attribute)]
        if isinstance(schema_field, forms.IntegerField):
            try:
                return str(int(value))
            except ValueError:
                return value
        return value

    def changes(self) -> tuple[dict[str, str], list[str]]:
        """``(changed values, cleared attribute names)``: unchanged attributes are not sent.

        Only attributes this form offers appear: a posted ``custom:role``, ``email_verified``
        or ``sub`` has no field, so it never reaches Cognito.
        """
        changed: dict[str, str] = {}
        cleared: list[str] = []
        for name, attribute in self.attribute_names.items():
            new = attribute_value(self.cleaned_data.get(name))
            if new == self._normalised_current(attribute):
                continue
            if new:
                changed[attribute] = new
            else:
                cleared.append(attribute)
        return changed, cleared


class ChangeAttributeForm(forms.Form):
    """A new email address or phone number (verified by a code before it takes effect)."""

    value = forms.CharField()

    def __init__(self, *args: Any, attribute: str, current: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.attribute = attribute
        self.current = current
        if attribute == "email":
            self.fields["value"] = EmailField(label=_("New email address"))
        else:
            self.fields["value"] = forms.CharField(
                label=_("New phone number"),
                max_length=16,
                validators=[phone_validator],
                help_text=_("In international format, for example +14155550123."),
                widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            )

    def clean_value(self) -> str:
        value = str(self.cleaned_data["value"]).strip()
        if value.lower() == self.current.strip().lower():
            if self.attribute == "email":
                raise forms.ValidationError(
                    _("This is already your email address."), code="unchanged"
                )
            raise forms.ValidationError(_("This is already your phone number."), code="unchanged")
        return value
