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
def test_when_the_session_ends_the_sign_in_page_offers_the_last_email(
    client: Client, cognito: Any
) -> None:
    response = _sign_in(client)
    assert response.status_code == 302
    cookie = response.cookies["cf_email"]
    assert cookie["httponly"]
    assert DEMO_EMAIL not in cookie.value  # encrypted: personal data stays unreadable
    # The session ends without a sign-out (expired, cookies dropped): the address is offered.
    for name in [name for name in client.cookies if name.startswith("cf_session")]:
        del client.cookies[name]
    page = client.get("/accounts/signin/").content.decode()
    assert f'value="{DEMO_EMAIL}"' in page
    assert DEMO_PASSWORD not in page


@pytest.mark.django_db
def test_signing_out_forgets_the_email_for_the_next_person_at_this_browser(
    client: Client, cognito: Any
) -> None:
    """docs/security.md S11: a browser that ignores Clear-Site-Data must not pre-fill the
    last address for whoever signs in next."""
    assert "cf_email" in _sign_in(client).cookies
    response = client.post("/accounts/signout/")
    assert response.status_code == 302
    assert response.cookies["cf_email"]["max-age"] == 0
    assert f'value="{DEMO_EMAIL}"' not in client.get("/accounts/signin/").content.decode()


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
