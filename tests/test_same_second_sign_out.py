"""docs/security.md S4: a session that began in the very second of a "sign out everywhere" is
denied like any older one (Cognito's ``auth_time`` has whole seconds, so time alone cannot tell
them apart); only the browser that made the change and signed in again stays signed in.

Time is frozen for the site and the embedded Cognito alike, so every sign-in and the sign-out
share one second."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from cognito_forms import tokens
from cognito_forms.models import CognitoIdentity
from local_cognito.clock import Clock

from .account_helpers import NEW_PASSWORD, PASSWORD, member, sign_in
from .journeys import DEMO_EMAIL, DEMO_PASSWORD

pytestmark = pytest.mark.django_db

PRIVATE = "/private/"
SIGN_IN_AGAIN = "/accounts/signin/?next=/private/"
ADMIN_LIST = "/admin/cognito_forms/cognitoidentity/"


@pytest.fixture
def one_second(cognito: Any, monkeypatch: pytest.MonkeyPatch) -> float:
    """Half past one whole second, for the site's clock and the emulator's."""
    frozen = float(int(cognito.lc.clock.now())) + 0.5
    monkeypatch.setattr(Clock, "now", lambda self: frozen)
    monkeypatch.setattr(tokens, "now", lambda: frozen)
    return frozen


def test_sign_out_everywhere_ends_a_session_begun_in_the_same_second(
    cognito: Any, one_second: float, sign_in_client: Callable[..., Client]
) -> None:
    other = sign_in_client()
    acting = sign_in_client()
    assert other.get(PRIVATE).status_code == 200

    acting.post("/accounts/signout/", {"everywhere": "on"})

    assert other.get(PRIVATE)["Location"] == SIGN_IN_AGAIN


def test_password_change_with_other_devices_keeps_only_the_acting_browser(
    client: Client, cognito: Any, one_second: float
) -> None:
    member(cognito, client)
    other = Client()
    sign_in(other, "ann@example.com")
    assert other.get(PRIVATE).status_code == 200

    client.post(
        reverse("cognito_forms:password_change"),
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "sign_out_others": "on"},
    )

    assert client.get(PRIVATE).status_code == 200  # signed in again in that same second
    assert other.get(PRIVATE)["Location"] == SIGN_IN_AGAIN


def test_reset_with_sign_out_everywhere_keeps_only_the_acting_browser(
    client: Client, cognito: Any, one_second: float
) -> None:
    other = Client()
    other.post("/accounts/signin/", {"email": DEMO_EMAIL, "password": DEMO_PASSWORD})
    assert other.get(PRIVATE).status_code == 200
    client.post("/accounts/password/forgot/", {"email": DEMO_EMAIL})
    code = cognito.code_for(DEMO_EMAIL, "forgot_password")

    client.post(
        "/accounts/password/reset/",
        {"code": code, "password": "Brand-New-Passw0rd!", "sign_out_everywhere": "on"},
    )

    assert client.get(PRIVATE).status_code == 200
    assert other.get(PRIVATE)["Location"] == SIGN_IN_AGAIN


@pytest.mark.parametrize("action", ["disable_users", "sign_out_everywhere"])
def test_an_admin_action_ends_a_session_begun_in_the_same_second(
    cognito: Any, one_second: float, sign_in_client: Callable[..., Client], action: str
) -> None:
    cognito.create_user("pat@example.com", PASSWORD)
    browser = sign_in_client("pat@example.com", PASSWORD)
    assert browser.get(PRIVATE).status_code == 200
    identity = CognitoIdentity.objects.get(user__email="pat@example.com")
    root = get_user_model().objects.create_superuser("root", "root@example.com", "Local-Pw0rd!")
    admin = Client()
    admin.force_login(root)

    admin.post(ADMIN_LIST, {"action": action, "_selected_action": [str(identity.pk)]})

    assert browser.get(PRIVATE)["Location"] == SIGN_IN_AGAIN
