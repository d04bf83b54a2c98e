"""Sign-up (SECURITY F1, F5): fields from the pool's schema, the policy before submit, the
same answer for a taken address, field errors that keep what was typed, service trouble."""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest
from botocore.stub import Stubber
from django.test import Client

from cognito_forms import gateway, pool
from tests.journeys import (
    DEMO_EMAIL,
    STRONG,
    UNAVAILABLE,
    cookie_shape,
    follow,
    morsels,
    signed_in,
    text,
    without_tokens,
)
from tests.session_helpers import fetch_tokens

pytestmark = pytest.mark.django_db

URL = "/accounts/signup/"


def sign_up(client, email="new@example.com", password=STRONG, **extra):
    data = {"email": email, "password": password, "name": "Ada Lovelace", "custom_company": "ACME"}
    data.update(extra)
    return client.post(URL, data)


def test_sign_up_page_shows_schema_fields_and_password_rules_before_submit(client, cognito):
    page = text(client.get(URL))
    assert 'name="email"' in page
    assert 'name="password"' in page
    assert 'name="name"' in page
    # custom:company is String 0..64 in the pool: the limit comes from DescribeUserPool.
    assert 'name="custom_company" maxlength="64"' in page
    assert "Company" in page  # the operator's label
    assert "at least 10 characters" in page
    assert "a symbol" in page
    assert 'aria-describedby="cf-password-rules"' in page


def test_sign_up_page_describes_the_pool_once_then_uses_the_cache(client, cognito):
    client.get(URL)
    client.get(URL)
    assert cognito.calls["DescribeUserPool"] == 1
    assert cognito.calls["DescribeUserPoolClient"] == 1
    pool._process.clear()  # another worker process: the shared cache still answers
    client.get(URL)
    assert cognito.calls["DescribeUserPool"] == 1


def test_sign_up_with_new_email_sends_a_code_and_shows_check_your_email(client, cognito):
    response = sign_up(client)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/signup/done/"
    assert "new@example.com" not in response["Location"]
    assert cognito.calls["SignUp"] == 1
    assert cognito.outbox.latest_code("new@example.com", "sign_up")
    page = text(follow(client, response))
    assert "Check your email" in page
    assert "new@example.com" in page


def test_sign_up_with_taken_email_shows_check_your_email_page(client, cognito):
    new, taken = client, type(client)()
    first = sign_up(new, email="fresh@example.com")
    second = sign_up(taken, email="demo@example.com")
    assert (first.status_code, first["Location"]) == (second.status_code, second["Location"])
    assert cookie_shape(first) == cookie_shape(second)
    first_page = text(follow(new, first)).replace("fresh@example.com", "X")
    second_page = text(follow(taken, second)).replace("demo@example.com", "X")
    assert without_tokens(first_page) == without_tokens(second_page)
    assert not cognito.outbox.messages(to="demo@example.com")


def test_sign_up_with_password_breaking_policy_shows_field_error_and_keeps_input(client, cognito):
    response = sign_up(client, password="short")
    page = text(response)
    assert response.status_code == 200
    assert "Use at least 10 characters." in page
    assert "Add an uppercase letter" in page
    assert 'value="new@example.com"' in page
    assert 'value="Ada Lovelace"' in page
    assert 'value="ACME"' in page
    assert "short" not in page.replace("shortly", "")
    assert cognito.calls["SignUp"] == 0


def test_sign_up_with_invalid_email_shows_field_error(client, cognito):
    response = sign_up(client, email="not-an-email")
    assert response.status_code == 200
    assert "Enter a valid email address." in text(response)
    assert 'value="not-an-email"' in text(response)
    assert cognito.calls["SignUp"] == 0


def test_sign_up_with_too_long_custom_attribute_shows_field_error(client, cognito):
    response = sign_up(client, custom_company="x" * 65)
    assert "at most 64 characters" in text(response)
    assert cognito.calls["SignUp"] == 0


def test_sign_up_number_attribute_takes_its_limits_from_the_pool(client, cognito, settings):
    settings.COGNITO_SIGNUP_ATTRIBUTES = ["custom:seats"]
    page = text(client.get(URL))
    assert 'name="custom_seats"' in page
    assert 'min="1"' in page
    assert 'max="1000"' in page
    response = client.post(URL, {"email": "n@example.com", "password": STRONG, "custom_seats": "0"})
    assert "greater than or equal to 1" in text(response)
    assert cognito.calls["SignUp"] == 0


def test_sign_up_uses_the_operators_labels_help_texts_and_choices(client, cognito, settings):
    settings.COGNITO_ATTRIBUTE_LABELS = {"custom:company": "Employer"}
    settings.COGNITO_ATTRIBUTE_HELP_TEXTS = {"custom:company": "Where you work"}
    settings.COGNITO_ATTRIBUTE_CHOICES = {"custom:company": ["ACME", "Initech"]}
    page = text(client.get(URL))
    assert "Employer" in page
    assert "Where you work" in page
    assert '<select name="custom_company"' in page
    assert '<option value="Initech">' in page
    response = sign_up(client, custom_company="Evil Corp")
    assert "Select a valid choice" in text(response)
    assert sign_up(client, custom_company="Initech").status_code == 302


def test_sign_up_never_offers_attributes_the_client_cannot_write(client, cognito, settings):
    settings.COGNITO_SIGNUP_ATTRIBUTES = ["name", "custom:role"]
    page = text(client.get(URL))
    assert 'name="custom_role"' not in page
    sign_up(client, custom_role="admin")
    attrs = cognito.lc.pool.users
    assert not any(a["Name"] == "custom:role" for u in attrs.values() for a in u.attributes)


@pytest.mark.parametrize(
    "password",
    ["Pässwörd-Ünïcode-123 ✓", "Aa1!" + "long-passphrase " * 15 + "end"],
    ids=["unicode", "long"],
)
def test_sign_up_forwards_long_and_unicode_passwords_unmodified(client, cognito, password):
    response = sign_up(client, email="u@example.com", password=password)
    assert response.status_code == 302
    client.post("/accounts/signup/done/", {"code": cognito.code_for("u@example.com", "sign_up")})
    other = type(client)()
    signin = other.post("/accounts/signin/", {"email": "u@example.com", "password": password})
    assert signin.status_code == 302
    assert signin["Location"] == "/private/"


def test_sign_up_when_cognito_is_down_shows_temporarily_unavailable_and_keeps_input(
    client, cognito, settings
):
    client.get(URL)  # the pool description is cached
    settings.COGNITO_ENDPOINT_URL = "http://127.0.0.1:9"
    settings.COGNITO_MAX_ATTEMPTS = 1
    response = sign_up(client)
    assert response.status_code == 503
    assert response["Retry-After"]
    page = text(response)
    assert UNAVAILABLE in page
    assert 'value="new@example.com"' in page
    assert 'value="ACME"' in page
    assert STRONG not in page


def test_sign_up_page_renders_with_default_rules_when_the_pool_cannot_be_described(
    client, cognito, settings
):
    settings.COGNITO_ENDPOINT_URL = "http://127.0.0.1:9"
    settings.COGNITO_MAX_ATTEMPTS = 1
    response = client.get(URL)
    assert response.status_code == 200
    assert "at least 8 characters" in text(response)


@pytest.mark.parametrize(
    ("error", "status", "message"),
    [
        ("TooManyRequestsException", 503, UNAVAILABLE),
        ("InternalErrorException", 503, UNAVAILABLE),
        ("UserLambdaValidationException", 200, "These details were not accepted"),
        ("UnexpectedLambdaException", 503, "could not complete this right now"),
        ("InvalidPasswordException", 200, "does not meet the requirements"),
        ("CodeDeliveryFailureException", 200, "could not send you a code"),
    ],
)
def test_sign_up_errors_cognito_alone_can_produce_show_a_message(
    client, cognito, error, status, message
):
    client.get(URL)  # describe the pool for real first
    with Stubber(gateway.client()) as stub:
        stub.add_client_error("sign_up", service_error_code=error, http_status_code=400)
        response = sign_up(client)
    assert response.status_code == status
    assert message in text(response)
    assert 'value="new@example.com"' in text(response)


# --- F1 ---------------------------------------------------------------------------------------
def sign_up_as(browser: Client, email: str, secure: bool = False) -> Any:
    data = {"email": email, "password": STRONG, "name": "Ada", "custom_company": "ACME"}
    return browser.post("/accounts/signup/", data, secure=secure)


def test_taken_and_new_email_set_the_same_cookie_names_and_attributes_over_https(
    cognito: Any,
) -> None:
    # F1: names (incl. __Host- prefix), Path, Secure, HttpOnly, SameSite, Max-Age, on the POST
    # and on the "check your email" page it leads to.
    new, taken = Client(), Client()
    first, second = sign_up_as(new, "fresh@example.com", True), sign_up_as(taken, DEMO_EMAIL, True)
    assert morsels(first) == morsels(second)
    assert any(name.startswith("__Host-") for name in morsels(first))
    page_new = new.get(first["Location"], secure=True)
    page_taken = taken.get(second["Location"], secure=True)
    assert (page_new.status_code, morsels(page_new)) == (
        page_taken.status_code,
        morsels(page_taken),
    )


def test_a_wrong_code_after_signing_up_with_a_taken_email_reads_like_a_new_ones(
    cognito: Any,
) -> None:
    # F1: the next step must not tell the two apart either.
    answers = []
    for email in ("fresh@example.com", DEMO_EMAIL):
        browser = Client()
        follow(browser, sign_up_as(browser, email))
        response = browser.post("/accounts/signup/done/", {"code": "000001"})
        page = without_tokens(text(response)).replace(email, "X")
        answers.append((response.status_code, morsels(response), page))
    assert answers[0] == answers[1]
    assert "That code is not right" in answers[0][2]


def test_resending_the_code_after_signing_up_with_a_taken_email_reads_like_a_new_ones(
    cognito: Any, settings: Any
) -> None:
    # F1: "send me a new code" answers the same; the taken address gets no mail.
    settings.COGNITO_RESEND_COOLDOWN = 0
    answers = []
    for email in ("fresh@example.com", DEMO_EMAIL):
        browser = Client()
        follow(browser, sign_up_as(browser, email))
        response = browser.post("/accounts/confirm/resend/", {})
        shown = browser.get(response["Location"]) if response.status_code == 302 else response
        page = without_tokens(text(shown)).replace(email, "X")
        answers.append((response.status_code, response.get("Location"), page))
    assert answers[0] == answers[1]
    assert not cognito.outbox.messages(to=DEMO_EMAIL)


# --- F5 ---------------------------------------------------------------------------------------
LONGEST = "Aa1!" + "x" * 252  # Cognito's maximum: 256 characters


NFD = unicodedata.normalize("NFD", "Pässwörd-Ünïcode-123!")


@pytest.mark.parametrize("password", [LONGEST, NFD], ids=["256-chars", "unicode-nfd"])
def test_a_password_at_the_limits_works_end_to_end_and_reaches_cognito_unmodified(
    cognito: Any, monkeypatch: pytest.MonkeyPatch, password: str
) -> None:
    # F5: the exact string reaches Cognito (no strip, no normalisation, no truncation).
    sent: list[str] = []
    real = gateway.sign_up
    monkeypatch.setattr(gateway, "sign_up", lambda **kw: sent.append(kw["password"]) or real(**kw))
    browser = Client()
    follow(browser, sign_up_with(browser, "u@example.com", password))
    browser.post("/accounts/signup/done/", {"code": cognito.code_for("u@example.com", "sign_up")})
    assert sent == [password]
    # Cognito holds exactly this password: its own USER_PASSWORD_AUTH accepts it verbatim.
    assert fetch_tokens(cognito, "u@example.com", password).access_token
    form = Client().post("/accounts/signin/", {"email": "u@example.com", "password": password})
    assert signed_in(form)
    if password == NFD:  # the NFC spelling is another password: nothing normalised it
        nfc = unicodedata.normalize("NFC", password)
        assert not signed_in(
            Client().post("/accounts/signin/", {"email": "u@example.com", "password": nfc})
        )


def sign_up_with(browser: Client, email: str, password: str) -> Any:
    data = {"email": email, "password": password, "name": "Ada", "custom_company": "ACME"}
    return browser.post("/accounts/signup/", data)


@pytest.mark.parametrize(
    "password",
    [LONGEST + "x", " " + STRONG, STRONG + " "],
    ids=["257-chars", "leading-space", "trailing-space"],
)
def test_a_password_cognito_would_refuse_is_a_field_error_without_a_cognito_call(
    client: Client, cognito: Any, password: str
) -> None:
    # F5: checked on the server before calling Cognito, never silently trimmed to fit.
    client.get("/accounts/signup/")  # the pool description is cached
    gateway.reset_counters()
    response = sign_up_with(client, "u@example.com", password)
    assert response.status_code == 200
    assert 'href="#id_password"' in text(response)
    assert cognito.total_calls() == 0
    assert 'value="u@example.com"' in text(response)
