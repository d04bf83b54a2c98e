"""Security events (docs/security.md L2): structured records with sub or hashed email, client IP and
request id; CR/LF in user input neutralised; secret-looking fields dropped."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.test import Client, RequestFactory

from cognito_forms.request_meta import email_digest
from cognito_forms.security_log import log_event
from tests.account_helpers import NEW_PASSWORD, PASSWORD, member


def _records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "cognito_forms.security"]


def test_an_event_carries_event_hashed_email_ip_and_request_id(
    caplog: pytest.LogCaptureFixture,
) -> None:
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.5", HTTP_X_REQUEST_ID="req-42")
    with caplog.at_level(logging.INFO, logger="cognito_forms.security"):
        log_event(request, "signin_failed", email=" Alice@Example.com", reason="not_authorized")
    (record,) = _records(caplog)
    fields: Any = record
    assert fields.event == "signin_failed"
    assert fields.email_hash == email_digest("alice@example.com")
    assert fields.client_ip == "203.0.113.5"
    assert fields.request_id == "req-42"
    assert fields.reason == "not_authorized"
    assert "alice" not in caplog.text.lower()


def test_an_event_with_a_sub_names_the_sub(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="cognito_forms.security"):
        log_event(RequestFactory().get("/"), "signout", sub="1234-abcd")
    (record,) = _records(caplog)
    assert record.sub == "1234-abcd"  # type: ignore[attr-defined]
    assert len(record.request_id) == 32  # type: ignore[attr-defined]


def test_cr_and_lf_in_user_input_cannot_forge_a_log_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.INFO, logger="cognito_forms.security"):
        log_event(
            RequestFactory().get("/"),
            "token_rejected",
            reason="bad\r\nsecurity event signin_ok sub=admin",
        )
    (record,) = _records(caplog)
    assert "\n" not in record.getMessage()
    assert "\r" not in record.getMessage()
    assert "\n" not in record.reason  # type: ignore[attr-defined]


def test_fields_named_like_secrets_are_dropped(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="cognito_forms.security"):
        log_event(
            None,
            "signin_failed",
            password="hunter2-Password!",
            refresh_token="r-tok",
            code="123456",
            session="cognito-session",
            reason="ok-to-log",
        )
    assert "hunter2" not in caplog.text
    assert "r-tok" not in caplog.text
    assert "123456" not in caplog.text
    assert "cognito-session" not in caplog.text
    assert "ok-to-log" in caplog.text


def test_fields_that_clash_with_log_record_attributes_do_not_break_logging(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.INFO, logger="cognito_forms.security"):
        log_event(None, "attribute_changed", name="custom:company", msg="x", module="y")
    (record,) = _records(caplog)
    assert record.cf_name == "custom:company"  # type: ignore[attr-defined]


# --- redaction of third-party debug logs (L1) ---------------------------------------------------
def test_botocore_style_params_and_bodies_are_redacted() -> None:
    from cognito_forms.security_log import redact

    logged = (
        '{\'body\': b\'{"ClientId": "abc", "Password": "p\\\\"w0rd", "AuthParameters": '
        '{"SRP_A": "a1b2c3", "USERNAME": "ann@example.com"}, "Session": "sess-1"}\', '
        "'AccessToken': 'eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl', 'ConfirmationCode': '123456'}"
    )
    cleaned = redact(logged)
    for secret in ('p\\\\"w0rd', "w0rd", "a1b2c3", "sess-1", "eyJhbGciOi", "123456"):
        assert secret not in cleaned
    assert "ann@example.com" in cleaned
    assert "abc" in cleaned


def test_the_redaction_filter_is_installed_on_botocore_and_urllib3() -> None:
    from cognito_forms.security_log import RedactSecretsFilter

    for name in ("botocore.endpoint", "botocore.parsers", "urllib3.connectionpool"):
        filters = logging.getLogger(name).filters
        assert any(isinstance(f, RedactSecretsFilter) for f in filters), name


def test_a_filtered_record_keeps_its_level_and_loses_the_secret(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.DEBUG, logger="botocore.endpoint"):
        logging.getLogger("botocore.endpoint").debug(
            "Making request with params: %s", {"body": b'{"Password": "Hunter-2-Hunter"}'}
        )
    (record,) = [r for r in caplog.records if r.name == "botocore.endpoint"]
    assert record.levelno == logging.DEBUG
    assert "Hunter-2-Hunter" not in record.getMessage()
    assert "[redacted]" in record.getMessage()


def _security_events(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "cognito_forms.security"]


# --- L2 ----------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_tampered_session_cookie_is_logged_as_a_rejected_token_with_its_reason(
    signed_in_client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    value = signed_in_client.cookies["cf_session"].value
    signed_in_client.cookies["cf_session"] = value[:-8] + (
        "A" * 8 if value[-8:] != "A" * 8 else "B" * 8
    )
    with caplog.at_level(logging.INFO, logger="cognito_forms.security"):
        response = signed_in_client.get("/private/", REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 302
    (record,) = [r for r in _security_events(caplog) if getattr(r, "event", "") == "token_rejected"]
    assert getattr(record, "reason", "")
    assert getattr(record, "client_ip", None) == "192.0.2.7"
    assert getattr(record, "request_id", None)
    assert value[:40] not in record.getMessage()


@pytest.mark.django_db
def test_self_service_changes_are_logged_with_the_sub_and_never_the_address(
    client: Client, cognito: Any, caplog: pytest.LogCaptureFixture
) -> None:
    sub = member(cognito, client, "self@example.com")
    with caplog.at_level(logging.INFO, logger="cognito_forms.security"):
        response = client.post(
            "/accounts/password/change/",
            {"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        )
        assert response.status_code == 302
        response = client.post("/accounts/profile/email/change/", {"value": "moved@example.com"})
        assert response.status_code == 302
    events = {getattr(r, "event", ""): r for r in _security_events(caplog)}
    assert {"password_changed", "attribute_change_started"} <= set(events)
    for record in events.values():
        assert getattr(record, "sub", None) == sub
        assert getattr(record, "client_ip", None) == "127.0.0.1"
        assert getattr(record, "request_id", None)
        assert "self@example.com" not in record.getMessage()
        assert "moved@example.com" not in record.getMessage()
