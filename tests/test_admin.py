"""The Django admin of linked users: Cognito status on the change page and the actions
(disable, enable, reset password, sign out everywhere, groups), against the embedded Cognito,
through the changelist as a superuser. Failures are admin messages, never a 500."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from cognito_forms import gateway
from cognito_forms.models import CognitoIdentity

from .session_helpers import create_group, idp_client

CHANGELIST = "/admin/cognito_forms/cognitoidentity/"
EMAIL = "pat@example.com"
PASSWORD = "Correct-Horse-9!"

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked(cognito: Any, sign_in_client: Callable[..., Client]) -> tuple[CognitoIdentity, Client]:
    """A Cognito user who signed in once (so the link exists) and their signed-in browser."""
    cognito.create_user(EMAIL, PASSWORD, attributes={"name": "Pat Example"})
    browser = sign_in_client(EMAIL, PASSWORD)
    assert browser.get("/private/").status_code == 200
    identity = CognitoIdentity.objects.get(user__email=EMAIL)
    gateway.reset_counters()
    return identity, browser


@pytest.fixture
def admin_client() -> Client:
    root = get_user_model().objects.create_superuser("root", "root@example.com", "Local-Passw0rd!")
    client = Client()
    client.force_login(root)
    return client


def run_action(client: Client, action: str, identity: CognitoIdentity, group: str = "") -> Any:
    data = {"action": action, "_selected_action": [str(identity.pk)], "index": "0", "group": group}
    return client.post(CHANGELIST, data, follow=True)


def pool_user(cognito: Any, identity: CognitoIdentity) -> dict[str, Any]:
    """The user as the emulator holds it (read with our own client: not counted as the site's)."""
    return dict(idp_client(cognito).admin_get_user(UserPoolId=cognito.seed.pool_id, Username=EMAIL))


def pool_groups(cognito: Any) -> list[str]:
    answer = idp_client(cognito).admin_list_groups_for_user(
        UserPoolId=cognito.seed.pool_id, Username=EMAIL
    )
    return [g["GroupName"] for g in answer["Groups"]]


def test_change_page_shows_the_users_cognito_status_attributes_and_groups(
    cognito: Any, linked: Any, admin_client: Client
) -> None:
    identity, _browser = linked
    create_group(cognito, "editors")
    idp_client(cognito).admin_add_user_to_group(
        UserPoolId=cognito.seed.pool_id, Username=EMAIL, GroupName="editors"
    )
    page = admin_client.get(f"{CHANGELIST}{identity.pk}/change/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "In Cognito" in text
    assert "CONFIRMED" in text
    assert "Pat Example" in text
    assert EMAIL in text
    assert "editors" in text
    assert gateway.calls["AdminGetUser"] == 1
    assert gateway.calls["AdminListGroupsForUser"] == 1


def test_disable_action_disables_the_user_in_cognito_and_ends_their_sessions_here(
    cognito: Any, linked: Any, admin_client: Client
) -> None:
    identity, browser = linked
    page = run_action(admin_client, "disable_users", identity)
    assert page.status_code == 200
    assert "1 user disabled." in page.content.decode()
    assert pool_user(cognito, identity)["Enabled"] is False
    assert gateway.calls["AdminDisableUser"] == 1
    # Tokens verify locally: the site denies the user's current session at once.
    assert browser.get("/private/").status_code == 302


def test_enable_action_enables_a_disabled_user(
    cognito: Any, linked: Any, admin_client: Client
) -> None:
    identity, _browser = linked
    idp_client(cognito).admin_disable_user(UserPoolId=cognito.seed.pool_id, Username=EMAIL)
    page = run_action(admin_client, "enable_users", identity)
    assert "1 user enabled." in page.content.decode()
    assert pool_user(cognito, identity)["Enabled"] is True
    assert gateway.calls["AdminEnableUser"] == 1


def test_reset_password_action_sends_the_user_a_code_and_requires_a_new_password(
    cognito: Any, linked: Any, admin_client: Client
) -> None:
    identity, _browser = linked
    page = run_action(admin_client, "reset_passwords", identity)
    assert "Password reset for 1 user." in page.content.decode()
    assert pool_user(cognito, identity)["UserStatus"] == "RESET_REQUIRED"
    assert cognito.outbox.messages(to=EMAIL, purpose="forgot_password")
    assert gateway.calls["AdminResetUserPassword"] == 1


def test_sign_out_everywhere_action_revokes_in_cognito_and_signs_the_browser_out(
    cognito: Any, linked: Any, admin_client: Client
) -> None:
    identity, browser = linked
    page = run_action(admin_client, "sign_out_everywhere", identity)
    assert "1 user signed out everywhere." in page.content.decode()
    assert gateway.calls["AdminUserGlobalSignOut"] == 1
    assert browser.get("/private/").status_code == 302


def test_group_actions_add_and_remove_the_named_group(
    cognito: Any, linked: Any, admin_client: Client
) -> None:
    identity, _browser = linked
    create_group(cognito, "editors")
    page = run_action(admin_client, "add_to_group", identity, group="editors")
    assert "1 user added to editors." in page.content.decode()
    assert pool_groups(cognito) == ["editors"]
    page = run_action(admin_client, "remove_from_group", identity, group="editors")
    assert "1 user removed from editors." in page.content.decode()
    assert pool_groups(cognito) == []
    assert gateway.calls["AdminAddUserToGroup"] == 1
    assert gateway.calls["AdminRemoveUserFromGroup"] == 1


def test_group_action_without_a_group_name_asks_for_one_and_calls_nothing(
    cognito: Any, linked: Any, admin_client: Client
) -> None:
    identity, _browser = linked
    page = run_action(admin_client, "add_to_group", identity, group="  ")
    assert "Enter the name of a Cognito group" in page.content.decode()
    assert sum(gateway.calls.values()) == 0


def test_an_unknown_group_is_an_admin_message_not_an_error_page(
    cognito: Any, linked: Any, admin_client: Client
) -> None:
    identity, _browser = linked
    page = run_action(admin_client, "add_to_group", identity, group="no-such-group")
    assert page.status_code == 200
    assert "The user pool or the group does not exist." in page.content.decode()


def test_cognito_unreachable_is_an_admin_message_on_actions_and_the_change_page(
    cognito: Any, linked: Any, admin_client: Client, settings: Any
) -> None:
    identity, _browser = linked
    settings.COGNITO_ENDPOINT_URL = "http://127.0.0.1:9"  # nothing listens there
    page = run_action(admin_client, "disable_users", identity)
    assert page.status_code == 200
    assert "Cognito could not be reached" in page.content.decode()
    page = admin_client.get(f"{CHANGELIST}{identity.pk}/change/")
    assert page.status_code == 200
    assert "could not be read" in page.content.decode()
    assert pool_user(cognito, identity)["Enabled"] is True


def test_admin_actions_are_hidden_when_admin_calls_are_turned_off(
    cognito: Any, linked: Any, admin_client: Client, settings: Any
) -> None:
    identity, _browser = linked
    settings.COGNITO_ADMIN_ENABLED = False
    listing = admin_client.get(CHANGELIST).content.decode()
    assert "disable_users" not in listing
    assert "sign_out_everywhere" not in listing
    page = admin_client.get(f"{CHANGELIST}{identity.pk}/change/")
    assert page.status_code == 200
    assert "In Cognito" not in page.content.decode()
    run_action(admin_client, "disable_users", identity)
    assert sum(gateway.calls.values()) == 0
    assert pool_user(cognito, identity)["Enabled"] is True


def test_admin_calls_default_to_on_with_credentials_and_off_without(
    settings: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    from cognito_forms.flows import administration

    settings.COGNITO_LOCAL_EMULATOR = False
    for name in ("AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "")
    gateway.forget_admin_credentials()
    try:
        assert administration.enabled() is False
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE")
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "example")
        gateway.forget_admin_credentials()
        assert administration.enabled() is True
        settings.COGNITO_ADMIN_ENABLED = False
        assert administration.enabled() is False
    finally:
        gateway.forget_admin_credentials()
    settings.COGNITO_LOCAL_EMULATOR = True
    settings.COGNITO_ADMIN_ENABLED = None
    assert administration.enabled() is True
