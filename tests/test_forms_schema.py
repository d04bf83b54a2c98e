"""Forms receive the pool's policy and schema from their view (``get_form_kwargs``): building
or validating a form never describes the pool, so a form works with a hand-made policy and
schema (the preview's sample pool, an operator's own form, these unit tests: no emulator)."""

from __future__ import annotations

from typing import Any

import pytest
from django.forms import BaseForm

from cognito_forms import forms, gateway, pool
from cognito_forms.form_config import FORM_KEYS
from cognito_forms.forms.account import (
    ChangePasswordForm,
    DeleteAccountForm,
    MfaActionForm,
    ReauthForm,
    TotpSetupForm,
)
from cognito_forms.forms.profile import (
    ChangeAttributeForm,
    ProfileAttribute,
    ProfileForm,
    profile_attributes,
)
from cognito_forms.types import (
    AttributeSchema,
    ClientDescription,
    PasswordPolicy,
    PoolDescription,
)

#: Six lowercase letters are enough: nothing like Cognito's default policy (or our fallback).
LAX = PasswordPolicy(min_length=6)
STRICT = PasswordPolicy(min_length=12, require_uppercase=True, require_symbols=True)
SEATS = AttributeSchema(name="custom:seats", data_type="Number", min_value=1, max_value=10)
NAME = AttributeSchema(name="name", required=True, max_length=20)
COMPANY = AttributeSchema(name="custom:company", mutable=False)

#: Every form an operator can replace (``COGNITO_FORMS`` key), with the arguments its view
#: passes and valid data.
FORMS: dict[str, tuple[type[BaseForm], dict[str, Any], dict[str, str]]] = {
    "signup": (
        forms.SignUpForm,
        {"policy": LAX, "attributes": [NAME, SEATS]},
        {"email": "ann@example.com", "password": "abcdef", "name": "Ann", "custom_seats": "3"},
    ),
    "confirm": (forms.ConfirmForm, {"ask_email": False}, {"code": "123456"}),
    "resend": (forms.ResendForm, {}, {"email": "ann@example.com"}),
    "signin": (forms.SignInForm, {}, {"email": "ann@example.com", "password": "x"}),
    "code": (forms.CodeForm, {}, {"code": "123456"}),
    "new_password": (
        forms.NewPasswordForm,
        {"policy": LAX, "missing": [NAME]},
        {"password": "abcdef", "name": "Ann"},
    ),
    "select_mfa": (forms.SelectMfaForm, {"methods": ["SMS_MFA"]}, {"method": "SMS_MFA"}),
    "select_challenge": (
        forms.SelectChallengeForm,
        {"methods": ["EMAIL_OTP"]},
        {"method": "EMAIL_OTP"},
    ),
    "forgot_password": (forms.ForgotPasswordForm, {}, {"email": "ann@example.com"}),
    "reset_password": (
        forms.ResetPasswordForm,
        {"policy": LAX, "ask_email": False},
        {"code": "123456", "password": "abcdef"},
    ),
    "profile": (
        ProfileForm,
        {
            "attributes": [ProfileAttribute(NAME, writable=True)],
            "claims": {"sub": "s-1", "name": "Ann"},
        },
        {"name": "Ann Example"},
    ),
    "change_attribute": (
        ChangeAttributeForm,
        {"attribute": "email", "current": "ann@example.com"},
        {"value": "new@example.com"},
    ),
    "reauth": (ReauthForm, {}, {"password": "x"}),
    "change_password": (
        ChangePasswordForm,
        {"policy": LAX},
        {"current_password": "old-one", "new_password": "abcdef"},
    ),
    "mfa": (MfaActionForm, {"actions": ["enable:totp"]}, {"action": "enable:totp"}),
    "totp_setup": (TotpSetupForm, {}, {"code": "123456"}),
    "delete": (DeleteAccountForm, {}, {"confirm": "on"}),
}


@pytest.fixture
def pool_out_of_bounds(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any description of the pool or client (cached or not) fails the test."""

    def described(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a form described the pool")

    for module in (pool, gateway):
        monkeypatch.setattr(module, "describe_pool", described)
        monkeypatch.setattr(module, "describe_client", described)


def test_every_replaceable_form_is_covered() -> None:
    assert set(FORMS) == set(FORM_KEYS)
    assert {key: cls.__name__ for key, (cls, _k, _d) in FORMS.items()} == FORM_KEYS


@pytest.mark.parametrize("key", sorted(FORMS))
def test_building_and_validating_a_form_makes_no_cognito_call(
    key: str, pool_out_of_bounds: None
) -> None:
    cls, kwargs, data = FORMS[key]
    cls(**kwargs).as_p()  # rendered unbound, as on a GET
    bound = cls(data=data, **kwargs)
    assert bound.is_valid(), bound.errors
    assert sum(gateway.calls.values()) == 0


def test_sign_up_form_asks_for_the_schema_it_is_given_under_the_policy_it_is_given(
    pool_out_of_bounds: None,
) -> None:
    form = forms.SignUpForm(policy=STRICT, attributes=[SEATS, NAME])
    assert list(form.fields) == ["email", "password", "custom_seats", "name"]
    data = {"email": "ann@example.com", "password": "abcdef", "name": "Ann", "custom_seats": "11"}
    refused = forms.SignUpForm(data=data, policy=STRICT, attributes=[SEATS, NAME])
    assert not refused.is_valid()
    assert refused.errors["password"] == [
        "Use at least 12 characters.",
        "Add an uppercase letter (A to Z).",
        "Add a symbol, such as ! ? @ # $ % & * - or _.",
    ]
    assert refused.errors["custom_seats"] == ["Ensure this value is less than or equal to 10."]
    accepted = forms.SignUpForm(
        data={**data, "password": "Abcdefghijk!", "custom_seats": "3"},
        policy=STRICT,
        attributes=[SEATS, NAME],
    )
    assert accepted.is_valid(), accepted.errors
    assert accepted.attributes() == {
        "email": "ann@example.com",
        "custom:seats": "3",
        "name": "Ann",
    }


@pytest.mark.parametrize(
    ("cls", "field", "data", "extra"),
    [
        (forms.ResetPasswordForm, "password", {"code": "123456"}, {"ask_email": False}),
        (ChangePasswordForm, "new_password", {"current_password": "old-one"}, {}),
        (forms.NewPasswordForm, "password", {}, {}),
    ],
)
def test_new_password_fields_follow_the_policy_they_are_handed(
    cls: type[BaseForm], field: str, data: dict[str, str], extra: dict[str, Any]
) -> None:
    # Not the pool's (whatever the emulator or the fallback says): the one the view passes.
    assert cls(data={**data, field: "abcdef"}, policy=LAX, **extra).is_valid()
    strict = cls(data={**data, field: "abcdef"}, policy=STRICT, **extra)
    assert not strict.is_valid()
    assert "Use at least 12 characters." in strict.errors[field]


def test_profile_attributes_come_from_the_descriptions_handed_in(
    pool_out_of_bounds: None, settings: Any
) -> None:
    settings.COGNITO_PROFILE_ATTRIBUTES = []
    settings.COGNITO_PRIVILEGED_ATTRIBUTES = ["custom:role"]
    description = PoolDescription(
        pool_id="eu-west-1_Sample",
        password_policy=LAX,
        attributes=(
            AttributeSchema(name="sub", mutable=False),
            AttributeSchema(name="email", required=True),
            NAME,
            SEATS,
            COMPANY,
            AttributeSchema(name="custom:role"),
            AttributeSchema(name="custom:secret", developer_only=True),
        ),
    )
    client = ClientDescription(
        client_id="sample",
        has_secret=False,
        explicit_auth_flows=(),
        read_attributes=(),
        write_attributes=("name", "custom:company", "custom:role"),
        prevent_user_existence_errors="ENABLED",
        enable_token_revocation=True,
        refresh_token_rotation=False,
        retry_grace_period_seconds=0,
        access_token_validity_seconds=3600,
        id_token_validity_seconds=3600,
        refresh_token_validity_seconds=86400,
    )
    attributes = profile_attributes(description, client)
    # Standard ones first; email (its own page), sub and developer-only ones never.
    assert [(a.name, a.writable) for a in attributes] == [
        ("name", True),
        ("custom:seats", False),  # not in the client's WriteAttributes
        ("custom:company", False),  # immutable in the schema
        ("custom:role", False),  # privileged: shown, never posted
    ]
    claims = {"name": "Ann", "custom:seats": "2", "custom:company": "Acme", "custom:role": "x"}
    form = ProfileForm(
        data={"name": "Ann B", "custom_role": "admin"}, attributes=attributes, claims=claims
    )
    assert list(form.fields) == ["name"]
    assert form.is_valid(), form.errors
    assert form.changes() == ({"name": "Ann B"}, [])
