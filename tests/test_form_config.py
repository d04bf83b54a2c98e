"""Form configuration by settings: which attributes sign-up and the profile ask for, in what
order, with which labels, help texts, choices and validators; custom form classes; adapter
hooks for messages and redirects; and the system checks that catch mistakes at start-up."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.core import checks
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils.translation import gettext_lazy as _

from cognito_forms import gateway
from cognito_forms.adapter import DefaultAdapter
from cognito_forms.forms import SignUpForm

from .account_helpers import PASSWORD, member, page
from .journeys import STRONG

pytestmark = pytest.mark.django_db

SIGNUP = "/accounts/signup/"
PROFILE = "/accounts/profile/"


def no_digits(value: str) -> None:
    """An operator's validator, named by dotted path in COGNITO_ATTRIBUTE_VALIDATORS."""
    if any(c.isdigit() for c in str(value)):
        raise ValidationError("Names have no digits.")


class TermsSignUpForm(SignUpForm):
    """An operator's sign-up form: one more required field, checked before Cognito is called."""

    terms = forms.BooleanField(label="I accept the terms of service")


class NotAForm:
    pass


class FriendlyAdapter(DefaultAdapter):
    error_messages = {
        **DefaultAdapter.error_messages,
        "signin_failed": _("Hmm, that email and password do not match."),
    }

    def get_signin_redirect_url(self, request: Any) -> str:
        return "/welcome-back/"


def sign_up(client: Client, **fields: str) -> Any:
    data = {"email": "new@example.com", "password": STRONG, "name": "Ada Lovelace"}
    data.update(fields)
    return client.post(SIGNUP, data)


def test_signup_attributes_appear_in_the_configured_order_with_labels_and_help(
    client: Client, cognito: Any, settings: Any
) -> None:
    settings.COGNITO_SIGNUP_ATTRIBUTES = ["custom:seats", "name", "custom:company"]
    settings.COGNITO_ATTRIBUTE_LABELS = {"custom:seats": "How many seats?"}
    settings.COGNITO_ATTRIBUTE_HELP_TEXTS = {"custom:seats": "Between 1 and 1000."}
    html = page(client.get(SIGNUP))
    assert html.index('name="custom_seats"') < html.index('name="name"')
    assert html.index('name="name"') < html.index('name="custom_company"')
    assert "How many seats?" in html
    assert "Between 1 and 1000." in html


def test_an_attribute_not_listed_is_not_asked_for(
    client: Client, cognito: Any, settings: Any
) -> None:
    settings.COGNITO_SIGNUP_ATTRIBUTES = ["name"]
    html = page(client.get(SIGNUP))
    assert 'name="custom_company"' not in html


def test_a_list_of_allowed_values_becomes_a_select_and_other_values_are_refused(
    client: Client, cognito: Any, settings: Any
) -> None:
    settings.COGNITO_SIGNUP_ATTRIBUTES = ["name", "custom:company"]
    settings.COGNITO_ATTRIBUTE_CHOICES = {
        "custom:company": [("acme", "Acme Corporation"), "Globex"],
    }
    html = page(client.get(SIGNUP))
    assert '<select name="custom_company"' in html
    assert '<option value="acme">Acme Corporation</option>' in html
    refused = sign_up(client, custom_company="Initech")
    assert refused.status_code == 200
    assert "Select a valid choice." in page(refused)
    assert gateway.calls["SignUp"] == 0
    accepted = sign_up(client, custom_company="acme")
    assert accepted.status_code == 302
    assert gateway.calls["SignUp"] == 1
    user = cognito.lc.pool.users
    values = [
        {a["Name"]: a["Value"] for a in u.attributes}
        for u in user.values()
        if any(a["Value"] == "new@example.com" for a in u.attributes)
    ]
    assert values[0]["custom:company"] == "acme"


@pytest.mark.parametrize(
    ("validators", "message"),
    [
        (["[A-Za-z ]+"], "Enter a valid value."),
        ([("[A-Za-z ]+", "Letters and spaces only.")], "Letters and spaces only."),
        (["tests.test_form_config.no_digits"], "Names have no digits."),
        ([no_digits], "Names have no digits."),
    ],
)
def test_attribute_validators_turn_bad_values_into_field_errors_without_calling_cognito(
    client: Client, cognito: Any, settings: Any, validators: list[Any], message: str
) -> None:
    settings.COGNITO_ATTRIBUTE_VALIDATORS = {"name": validators}
    response = sign_up(client, name="R2D2")
    assert response.status_code == 200
    assert message in page(response)
    assert 'value="R2D2"' in page(response)  # what was typed is kept
    assert gateway.calls["SignUp"] == 0
    assert sign_up(client, name="Ada Lovelace").status_code == 302


def test_a_regex_validator_must_match_the_whole_value(
    client: Client, cognito: Any, settings: Any
) -> None:
    settings.COGNITO_ATTRIBUTE_VALIDATORS = {"custom:company": [r"[A-Z]{2}\d{3}"]}
    response = sign_up(client, custom_company="xxAB123yy")
    assert "Enter a valid value." in page(response)
    assert gateway.calls["SignUp"] == 0


def test_profile_attributes_use_the_same_labels_and_validators(
    client: Client, cognito: Any, settings: Any
) -> None:
    settings.COGNITO_PROFILE_ATTRIBUTES = ["custom:company", "name"]
    settings.COGNITO_ATTRIBUTE_LABELS = {"custom:company": "Employer"}
    settings.COGNITO_ATTRIBUTE_VALIDATORS = {"name": ["tests.test_form_config.no_digits"]}
    member(cognito, client, attributes={"name": "Ann Example", "custom:company": "Acme"})
    html = page(client.get(PROFILE))
    assert "Employer" in html
    assert html.index('name="custom_company"') < html.index('name="name"')
    gateway.reset_counters()
    response = client.post(PROFILE, {"name": "Ann 2", "custom_company": "Acme"})
    assert "Names have no digits." in page(response)
    assert gateway.calls["UpdateUserAttributes"] == 0


def test_a_custom_form_class_replaces_ours_on_its_page(
    client: Client, cognito: Any, settings: Any
) -> None:
    settings.COGNITO_FORMS = {"signup": "tests.test_form_config.TermsSignUpForm"}
    html = page(client.get(SIGNUP))
    assert "I accept the terms of service" in html
    assert 'name="password"' in html  # the rest of our form is still there
    refused = sign_up(client, custom_company="Acme")
    assert "This field is required." in page(refused)
    assert gateway.calls["SignUp"] == 0
    assert sign_up(client, custom_company="Acme", terms="on").status_code == 302
    assert gateway.calls["SignUp"] == 1


def test_the_adapter_changes_messages_and_redirects(
    client: Client, cognito: Any, settings: Any
) -> None:
    settings.COGNITO_ADAPTER = "tests.test_form_config.FriendlyAdapter"
    wrong = client.post(
        "/accounts/signin/", {"email": "demo@example.com", "password": "Nope-1234!x"}
    )
    assert "Hmm, that email and password do not match." in page(wrong)
    cognito.create_user("kim@example.com", PASSWORD)
    right = client.post("/accounts/signin/", {"email": "kim@example.com", "password": PASSWORD})
    assert right.status_code == 302
    assert right["Location"] == "/welcome-back/"


def _ids() -> list[str]:
    return [m.id for m in checks.run_checks() if str(m.id).startswith("cognito_forms.")]


@pytest.mark.parametrize(
    ("setting", "value", "check_id"),
    [
        ("COGNITO_FORMS", {"sign_up": "tests.test_form_config.TermsSignUpForm"}, "E020"),
        ("COGNITO_FORMS", {"signup": "tests.nowhere.Form"}, "E021"),
        ("COGNITO_FORMS", {"signup": "tests.test_form_config.NotAForm"}, "W020"),
        ("COGNITO_ATTRIBUTE_VALIDATORS", {"name": ["[unclosed"]}, "E022"),
        ("COGNITO_ATTRIBUTE_VALIDATORS", {"name": ["tests.nowhere.check"]}, "E022"),
        ("COGNITO_BRAND", {"primary_color": "red"}, "W010"),
    ],
)
def test_system_checks_catch_form_and_brand_setting_mistakes(
    settings: Any, setting: str, value: Any, check_id: str
) -> None:
    assert f"cognito_forms.{check_id}" not in _ids()
    setattr(settings, setting, value)
    assert f"cognito_forms.{check_id}" in _ids()


def test_every_system_check_of_the_app_is_in_checks_py() -> None:
    ours = {
        f"{check.__module__}.{check.__name__}"
        for check in checks.registry.registry.get_checks(include_deployment_checks=True)
        if check.__module__.startswith("cognito_forms")
    }
    assert "cognito_forms.checks.check_form_settings" in ours
    assert "cognito_forms.checks.check_brand" in ours
    assert {name.rpartition(".")[0] for name in ours} == {"cognito_forms.checks"}


def test_form_config_imports_no_form_module() -> None:
    # forms/ imports form_config (attribute validators): the reverse would be an import cycle.
    import ast
    from pathlib import Path

    import cognito_forms.form_config

    tree = ast.parse(Path(cognito_forms.form_config.__file__).read_text(encoding="utf-8"))
    imported = [
        f"{'.' * node.level}{node.module or ''}:{','.join(a.name for a in node.names)}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.level
    ]
    assert imported == [".conf:app_settings"]
