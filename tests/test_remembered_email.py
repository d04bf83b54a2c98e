"""The sign-in page fills in the last email this browser signed in with (never the password),
in an encrypted HttpOnly cookie, unless the operator turns it off."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.journeys import DEMO_EMAIL, DEMO_PASSWORD


def _sign_in(client: Client) -> Any:
    return client.post("/accounts/signin/", {"email": DEMO_EMAIL, "password": DEMO_PASSWORD})


def _sign_out(client: Client) -> None:
    client.post("/accounts/signout/")


@pytest.mark.django_db
def test_after_signing_out_the_sign_in_page_offers_the_last_email(
    client: Client, cognito: Any
) -> None:
    response = _sign_in(client)
    assert response.status_code == 302
    cookie = response.cookies["cf_email"]
    assert cookie["httponly"]
    assert DEMO_EMAIL not in cookie.value  # encrypted: personal data stays unreadable
    _sign_out(client)
    page = client.get("/accounts/signin/").content.decode()
    assert f'value="{DEMO_EMAIL}"' in page
    assert DEMO_PASSWORD not in page


@pytest.mark.django_db
def test_the_operator_can_turn_it_off(client: Client, cognito: Any, settings: Any) -> None:
    settings.COGNITO_REMEMBER_EMAIL = False
    response = _sign_in(client)
    assert "cf_email" not in response.cookies
    _sign_out(client)
    assert f'value="{DEMO_EMAIL}"' not in client.get("/accounts/signin/").content.decode()


def test_a_tampered_cookie_is_ignored(client: Client, cognito: Any) -> None:
    client.cookies["cf_email"] = "1~not-a-sealed-value"
    response = client.get("/accounts/signin/")
    assert response.status_code == 200
    assert 'name="email"' in response.content.decode()


@pytest.mark.django_db
def test_deleting_the_account_forgets_the_email(client: Client, cognito: Any) -> None:
    assert "cf_email" in _sign_in(client).cookies
    response = client.post("/accounts/delete/", {"confirm": "on"})
    assert response.status_code == 302
    assert response.cookies["cf_email"]["max-age"] == 0
    assert f'value="{DEMO_EMAIL}"' not in client.get("/accounts/signin/").content.decode()
