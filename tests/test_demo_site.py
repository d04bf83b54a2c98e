"""The demo site around the app: its home page, the signed-in page, and the local outbox that
shows the codes the embedded Cognito "sent" - which must exist only in local development."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tests.journeys import DEMO_EMAIL

NEW = "olivia@example.com"
STRONG = "Str0ng-Passw0rd!"


@pytest.fixture
def debug_site(settings: Any, cognito: Any) -> Any:
    settings.DEBUG = True
    return cognito


def _sign_up(client: Client, email: str) -> None:
    response = client.post("/accounts/signup/", {"email": email, "password": STRONG})
    assert response.status_code == 302


@pytest.mark.django_db
def test_the_outbox_lists_every_code_sent_newest_first(client: Client, debug_site: Any) -> None:
    _sign_up(client, NEW)
    _sign_up(Client(), "second@example.com")
    response = client.get("/_local/outbox/")
    assert response.status_code == 200
    page = response.content.decode()
    first, second = page.index("second@example.com"), page.index(NEW)
    assert first < second  # newest first
    assert debug_site.code_for(NEW, "sign_up") in page
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_the_outbox_json_has_to_purpose_code_and_sent_at(client: Client, debug_site: Any) -> None:
    _sign_up(client, NEW)
    response = client.get("/_local/outbox.json")
    assert response.status_code == 200
    messages = json.loads(response.content)
    assert messages[0] == {
        "to": NEW,
        "purpose": "sign_up",
        "code": debug_site.code_for(NEW, "sign_up"),
        "sent_at": messages[0]["sent_at"],
    }
    assert messages[0]["sent_at"].startswith("20")


@pytest.mark.parametrize("path", ["/_local/outbox/", "/_local/outbox.json"])
def test_the_outbox_does_not_exist_with_debug_off(client: Client, cognito: Any, path: str) -> None:
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("path", ["/_local/outbox/", "/_local/outbox.json"])
def test_the_outbox_does_not_exist_against_a_real_pool(
    client: Client, cognito: Any, settings: Any, path: str
) -> None:
    settings.DEBUG = True
    settings.COGNITO_LOCAL_EMULATOR = False
    assert client.get(path).status_code == 404


def test_an_unreachable_emulator_gives_a_clear_outbox_page(
    client: Client, debug_site: Any, settings: Any
) -> None:
    settings.COGNITO_ENDPOINT_URL = "http://127.0.0.1:9"
    response = client.get("/_local/outbox/")
    assert response.status_code == 503
    assert "cannot be reached" in response.content.decode()
    assert client.get("/_local/outbox.json").status_code == 503


@pytest.mark.django_db
def test_the_home_page_invites_visitors_and_greets_signed_in_users(
    client: Client, signed_in_client: Client
) -> None:
    anonymous = client.get("/").content.decode()
    assert "/accounts/signup/" in anonymous
    assert "/accounts/signin/" in anonymous
    greeting = signed_in_client.get("/").content.decode()
    assert DEMO_EMAIL in greeting


@pytest.mark.django_db
def test_the_private_page_needs_a_signed_in_user_and_shows_their_claims(
    client: Client, signed_in_client: Client
) -> None:
    response = client.get("/private/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/signin/?next=/private/"
    page = signed_in_client.get("/private/")
    assert page.status_code == 200
    assert DEMO_EMAIL in page.content.decode()
    assert "cognito:username" in page.content.decode()
    assert "no-store" in page["Cache-Control"]


@pytest.mark.django_db
def test_the_demo_pages_link_the_local_outbox_the_site_names(
    client: Client, debug_site: Any, settings: Any
) -> None:
    page = client.get("/accounts/signin/").content.decode()
    assert 'class="cf-notice cf-outbox-notice"' in page
    assert 'href="/_local/outbox/"' in page


@pytest.mark.django_db
@pytest.mark.parametrize("configured", ["", "no_such_url_name"])
def test_the_app_links_no_outbox_the_site_did_not_name(
    client: Client, debug_site: Any, settings: Any, configured: str
) -> None:
    """The reusable app knows no URL of the demo site's: without the setting, no notice."""
    settings.COGNITO_LOCAL_OUTBOX_URL = configured
    response = client.get("/accounts/signin/")
    assert response.status_code == 200
    assert "cf-outbox-notice" not in response.content.decode()
