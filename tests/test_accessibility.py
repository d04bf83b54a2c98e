"""Pages people with a keyboard or a screen reader can use: every input labelled, a failed form
opens on an error summary that links to each field, choices grouped with a legend."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client


def _ids_with_labels(page: str) -> set[str]:
    return set(re.findall(r'<label for="([^"]+)"', page))


def test_every_visible_input_of_the_sign_up_form_has_a_label(client: Client, cognito: Any) -> None:
    page = client.get("/accounts/signup/").content.decode()
    inputs = re.findall(r'<input (?![^>]*type="hidden")[^>]*id="([^"]+)"', page)
    assert inputs
    assert set(inputs) <= _ids_with_labels(page)


def test_a_failed_form_opens_on_an_error_summary_linking_to_each_field(
    client: Client, cognito: Any
) -> None:
    response = client.post(
        "/accounts/signup/", {"email": "not-an-email", "password": "short", "name": "Ana"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    summary = re.search(r'<div class="cf-error-summary"[^>]*>', page)
    assert summary is not None
    assert 'role="alert"' in summary.group(0)
    assert "autofocus" in summary.group(0)  # focus lands on it with JavaScript off
    # Each link names its field, so a screen-reader user hears which one is wrong.
    assert re.search(r'href="#id_email">Email address: ', page)
    assert re.search(r'href="#id_password">New password: ', page)
    assert 'aria-invalid="true"' in page
    assert cognito.calls["SignUp"] == 0  # shape errors never reach Cognito


def test_a_page_without_errors_has_no_error_summary(client: Client, cognito: Any) -> None:
    assert "cf-error-summary" not in client.get("/accounts/signin/").content.decode()
