"""Change password (F6): the current password is checked by Cognito, the pool's policy shown and
checked first, and other sessions can be ended while this browser stays signed in."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from cognito_forms import exceptions as exc
from cognito_forms import gateway, signals

from .account_helpers import NEW_PASSWORD, PASSWORD, member, page, sign_in

pytestmark = pytest.mark.django_db

CHANGE = reverse("cognito_forms:password_change")
PROFILE = reverse("cognito_forms:profile")


def _can_sign_in(email: str, password: str) -> bool:
    browser = Client()
    response = browser.post(reverse("cognito_forms:signin"), {"email": email, "password": password})
    return response.status_code == 302 and "/signin" not in response["Location"]


def test_page_shows_the_pool_password_policy(client: Client, cognito: Any) -> None:
    member(cognito, client)

    html = page(client.get(CHANGE))

    assert "at least 10 characters" in html
    assert "a symbol" in html
    assert 'autocomplete="current-password"' in html
    assert 'autocomplete="new-password"' in html


def test_changing_password_keeps_this_browser_signed_in(client: Client, cognito: Any) -> None:
    member(cognito, client)
    received: list[dict[str, Any]] = []
    signals.password_changed.connect(lambda **kw: received.append(kw), weak=False, dispatch_uid="p")

    try:
        response = client.post(
            CHANGE, {"current_password": PASSWORD, "new_password": NEW_PASSWORD}, follow=True
        )
    finally:
        signals.password_changed.disconnect(dispatch_uid="p")

    assert response.status_code == 200
    assert "Your password has been changed." in page(response)
    assert gateway.calls["ChangePassword"] == 1
    assert gateway.calls["GlobalSignOut"] == 0
    assert received[0]["signed_out_others"] is False
    assert PASSWORD not in str(received[0])
    assert NEW_PASSWORD not in str(received[0])
    assert client.get(PROFILE).status_code == 200
    assert _can_sign_in("ann@example.com", NEW_PASSWORD)
    assert not _can_sign_in("ann@example.com", PASSWORD)


def test_wrong_current_password_is_a_field_error(client: Client, cognito: Any) -> None:
    member(cognito, client)

    response = client.post(
        CHANGE, {"current_password": "Wrong-Passw0rd!", "new_password": NEW_PASSWORD}
    )

    assert response.status_code == 200
    html = page(response)
    assert "That password is not right." in html
    assert 'href="#id_current_password"' in html  # the error summary links to the field
    assert "Wrong-Passw0rd!" not in html
    assert NEW_PASSWORD not in html
    assert gateway.calls["ChangePassword"] == 1
    assert _can_sign_in("ann@example.com", PASSWORD)


def test_weak_new_password_is_refused_before_calling_cognito(client: Client, cognito: Any) -> None:
    member(cognito, client)
    client.get(CHANGE)
    gateway.reset_counters()

    response = client.post(CHANGE, {"current_password": PASSWORD, "new_password": "short"})

    assert response.status_code == 200
    assert "Use at least 10 characters." in page(response)
    assert sum(gateway.calls.values()) == 0


def test_new_password_equal_to_the_current_one_is_refused(client: Client, cognito: Any) -> None:
    member(cognito, client)

    response = client.post(CHANGE, {"current_password": PASSWORD, "new_password": PASSWORD})

    assert "Choose a password different from your current one." in page(response)
    assert gateway.calls["ChangePassword"] == 0


def test_signing_out_other_devices_ends_them_but_not_this_browser(
    client: Client, cognito: Any
) -> None:
    member(cognito, client)
    other = Client()
    sign_in(other, "ann@example.com")
    assert other.get(PROFILE).status_code == 200
    gateway.reset_counters()

    response = client.post(
        CHANGE,
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "sign_out_others": "on"},
    )

    assert response.status_code == 302
    assert response["Location"] == CHANGE
    assert gateway.calls["ChangePassword"] == 1
    assert gateway.calls["GlobalSignOut"] == 1
    assert gateway.calls["InitiateAuth"] == 1  # signed in again with the new password (SRP)
    assert client.get(PROFILE).status_code == 200
    assert other.get(PROFILE).status_code == 302


def test_cognito_refusing_the_new_password_shows_the_message(
    client: Client, cognito: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    member(cognito, client)

    def refuse(**kwargs: Any) -> None:
        raise exc.InvalidPassword("history")

    monkeypatch.setattr(gateway, "change_password", refuse)

    response = client.post(CHANGE, {"current_password": PASSWORD, "new_password": NEW_PASSWORD})

    assert response.status_code == 200
    assert "This password does not meet the requirements" in page(response)
    assert 'href="#id_new_password"' in page(response)


def test_too_many_attempts_at_cognito_is_a_429(
    client: Client, cognito: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    member(cognito, client)

    def throttle(**kwargs: Any) -> None:
        raise exc.LimitExceeded("LimitExceededException")

    monkeypatch.setattr(gateway, "change_password", throttle)

    response = client.post(CHANGE, {"current_password": PASSWORD, "new_password": NEW_PASSWORD})

    assert response.status_code == 429
    assert "Too many attempts" in page(response)
