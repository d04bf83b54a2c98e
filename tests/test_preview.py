"""The preview page: every form and message state with sample data, through the real templates
and forms, without a single Cognito call; only with DEBUG on or for staff."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.test import Client

from cognito_forms import gateway, preview
from cognito_forms.forms import SignUpForm

pytestmark = pytest.mark.django_db

CHALLENGES = (
    "NEW_PASSWORD_REQUIRED",
    "SOFTWARE_TOKEN_MFA",
    "SMS_MFA",
    "EMAIL_OTP",
    "SELECT_MFA_TYPE",
    "MFA_SETUP",
    "SELECT_CHALLENGE",
)


class NewsletterSignUpForm(SignUpForm):
    """An operator's sign-up form (COGNITO_FORMS["signup"]) with one more field."""

    newsletter = forms.BooleanField(required=False, label="Send me the newsletter")


@pytest.fixture
def debug(settings: Any) -> None:
    settings.DEBUG = True


def page(client: Client, slug: str) -> tuple[int, str]:
    response = client.get(f"/accounts/preview/{slug}/")
    return response.status_code, response.content.decode()


def test_preview_is_not_found_for_visitors_when_debug_is_off(client: Client) -> None:
    assert client.get("/accounts/preview/").status_code == 404
    assert client.get("/accounts/preview/signin/").status_code == 404


def test_staff_can_use_the_preview_when_debug_is_off(client: Client) -> None:
    staff = get_user_model().objects.create_user("ops", "ops@example.com", is_staff=True)
    client.force_login(staff)
    assert client.get("/accounts/preview/").status_code == 200
    assert client.get("/accounts/preview/mfa-setup/").status_code == 200


def test_preview_index_links_every_state_including_each_challenge(
    client: Client, debug: None
) -> None:
    index = client.get("/accounts/preview/").content.decode()
    for state in preview.STATES:
        assert f'href="/accounts/preview/{state.slug}/"' in index
    for challenge in CHALLENGES:
        assert challenge in index


def test_every_preview_state_renders_without_a_cognito_call(client: Client, debug: None) -> None:
    for state in preview.STATES:
        status, text = page(client, state.slug)
        assert status in (200, 429, 503), state.slug
        assert "Preview with sample data" in text, state.slug
        assert "cf-card" in text, state.slug
    assert sum(gateway.calls.values()) == 0
    assert client.get("/accounts/preview/no-such-state/").status_code == 404


def test_preview_shows_field_errors_with_the_error_summary(client: Client, debug: None) -> None:
    _status, text = page(client, "signup-errors")
    assert "There is a problem" in text
    assert "Enter a valid email address." in text
    assert 'href="#id_email"' in text
    assert "Add an uppercase letter" in text


def test_preview_shows_rate_limited_and_unavailable_states_with_their_status(
    client: Client, debug: None
) -> None:
    status, text = page(client, "rate-limited")
    assert status == 429
    assert "Too many attempts" in text
    status, text = page(client, "unavailable")
    assert status == 503
    assert "temporarily unavailable" in text


def test_preview_shows_each_challenge_page(client: Client, debug: None) -> None:
    assert "authenticator app" in page(client, "software-token-mfa")[1]
    assert "+*******0123" in page(client, "sms-mfa")[1]
    assert "sent to your email" in page(client, "email-otp")[1]
    new_password = page(client, "new-password-required")[1]
    assert 'name="password"' in new_password
    assert 'name="name"' in new_password
    select = page(client, "select-mfa-type")[1]
    assert 'type="radio"' in select
    assert "A text message to my phone" in select
    setup = page(client, "mfa-setup")[1]
    assert 'src="data:image/svg+xml' in setup
    assert "JBSW Y3DP" in setup
    choose = page(client, "select-challenge")[1]
    assert "My password" in choose
    assert "A code sent to my email" in choose


def test_preview_shows_the_local_outbox_notice(client: Client, debug: None) -> None:
    text = page(client, "outbox-notice")[1]
    assert "local outbox" in text
    assert 'href="/_local/outbox/"' in text


def test_preview_uses_the_operators_attributes_form_classes_and_branding(
    client: Client, debug: None, settings: Any
) -> None:
    settings.COGNITO_SIGNUP_ATTRIBUTES = ["custom:plan"]
    settings.COGNITO_ATTRIBUTE_LABELS = {"custom:plan": "Your plan"}
    settings.COGNITO_ATTRIBUTE_CHOICES = {"custom:plan": ["basic", "pro"]}
    settings.COGNITO_FORMS = {"signup": "tests.test_preview.NewsletterSignUpForm"}
    settings.COGNITO_BRAND = {"site_name": "Preview Co", "primary_color": "#654321"}
    text = page(client, "signup")[1]
    assert "Your plan" in text
    assert '<option value="pro">pro</option>' in text
    assert "Send me the newsletter" in text
    assert "Preview Co" in text
    assert "/accounts/brand.css?v=" in text
    assert sum(gateway.calls.values()) == 0


def test_preview_forms_do_not_submit_anywhere(client: Client, debug: None) -> None:
    text = page(client, "signin")[1]
    assert 'action="/accounts/preview/signin/"' in text
    assert client.post("/accounts/preview/signin/", {"email": "a@example.com"}).status_code == 405
    assert sum(gateway.calls.values()) == 0


def test_an_operator_adds_an_attribute_rebrands_previews_and_serves_it_in_spanish(
    client: Client, cognito: Any, settings: Any, tmp_path: Any
) -> None:
    """The whole operator story at once: settings and one layout override, checked on the
    preview page, then the real sign-up page in Spanish with the new attribute."""
    settings.DEBUG = True
    settings.COGNITO_SIGNUP_ATTRIBUTES = ["name", "custom:seats"]
    settings.COGNITO_ATTRIBUTE_LABELS = {"custom:seats": "Plazas / Seats"}
    settings.COGNITO_BRAND = {"site_name": "Biblioteca Faro", "primary_color": "#0f766e"}
    engine = dict(settings.TEMPLATES[0])
    engine["DIRS"] = [tmp_path, *engine["DIRS"]]
    settings.TEMPLATES = [engine]
    (tmp_path / "cognito_forms" / "layouts").mkdir(parents=True)
    (tmp_path / "cognito_forms/layouts/base.html").write_text(
        '{% extends "cognito_forms/layouts/base.html" %}'
        "{% block footer_content %}<p>FARO FOOTER</p>{% endblock %}"
    )
    preview_page = page(client, "signup")[1]
    assert "Plazas / Seats" in preview_page
    assert "FARO FOOTER" in preview_page
    assert sum(gateway.calls.values()) == 0
    real = client.get("/accounts/signup/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "<h1>Crear una cuenta</h1>" in real
    assert 'name="custom_seats"' in real
    assert 'type="number"' in real  # custom:seats is a Number in the pool
    assert "Biblioteca Faro" in real
    assert "FARO FOOTER" in real
