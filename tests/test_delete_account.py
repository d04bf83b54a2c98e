"""Deleting the account: a recent sign-in, a confirmation, DeleteUser, the local user removed or
deactivated (COGNITO_DELETE_LOCAL_USER), cookies cleared, a goodbye page."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from cognito_forms import exceptions as exc
from cognito_forms import gateway, signals
from cognito_forms.models import CognitoIdentity

from .account_helpers import PASSWORD, admin_client, make_sign_in_old, member, page

pytestmark = pytest.mark.django_db

DELETE = reverse("cognito_forms:delete")
DONE = reverse("cognito_forms:delete_done")
PROFILE = reverse("cognito_forms:profile")


def _exists_in_cognito(cognito: Any, email: str) -> bool:
    users = admin_client(cognito).list_users(UserPoolId=cognito.seed.pool_id)["Users"]
    return any(a["Value"] == email for u in users for a in u["Attributes"] if a["Name"] == "email")


def test_deletion_needs_a_confirmation_and_cognito_is_not_called_without_it(
    client: Client, cognito: Any
) -> None:
    member(cognito, client)

    response = client.post(DELETE, {})

    assert response.status_code == 200
    assert "Tick the box to confirm" in page(response)
    assert gateway.calls["DeleteUser"] == 0
    assert _exists_in_cognito(cognito, "ann@example.com")


def test_deletion_needs_a_recent_sign_in(
    client: Client, cognito: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    member(cognito, client)
    make_sign_in_old(cognito, monkeypatch)

    response = client.post(DELETE, {"confirm": "on"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("cognito_forms:reauth"))
    assert gateway.calls["DeleteUser"] == 0


def test_deleting_removes_the_account_signs_out_and_says_goodbye(
    client: Client, cognito: Any
) -> None:
    sub = member(cognito, client)
    received: list[dict[str, Any]] = []
    signals.account_deleted.connect(lambda **kw: received.append(kw), weak=False, dispatch_uid="d")

    try:
        response = client.post(DELETE, {"confirm": "on"})
    finally:
        signals.account_deleted.disconnect(dispatch_uid="d")

    assert response.status_code == 302
    assert response["Location"] == DONE
    assert gateway.calls["DeleteUser"] == 1
    assert not _exists_in_cognito(cognito, "ann@example.com")
    cleared = [m for name, m in response.cookies.items() if name.startswith("cf_session")]
    assert cleared
    assert all(m["max-age"] == 0 for m in cleared)
    assert received[0]["sub"] == sub
    assert received[0]["local_user_deleted"] is False
    goodbye = client.get(DONE)
    assert goodbye.status_code == 200
    assert "Your account has been deleted" in page(goodbye)
    assert client.get(PROFILE).status_code == 302
    # Deactivated by default: kept for the site's records, unable to sign in.
    identity = CognitoIdentity.objects.select_related("user").get(sub=sub)
    assert identity.user.is_active is False
    signin = Client().post(
        reverse("cognito_forms:signin"), {"email": "ann@example.com", "password": PASSWORD}
    )
    assert signin.status_code == 200


def test_the_local_user_is_deleted_when_configured(
    client: Client, cognito: Any, settings: Any
) -> None:
    settings.COGNITO_DELETE_LOCAL_USER = True
    sub = member(cognito, client)
    assert CognitoIdentity.objects.filter(sub=sub).exists()
    users_before = get_user_model().objects.count()

    client.post(DELETE, {"confirm": "on"})

    assert not CognitoIdentity.objects.filter(sub=sub).exists()
    assert get_user_model().objects.count() == users_before - 1


def test_cognito_refusing_keeps_the_account_and_the_session(
    client: Client, cognito: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    sub = member(cognito, client)

    def down(**kwargs: Any) -> None:
        raise exc.ServiceUnavailable("down")

    monkeypatch.setattr(gateway, "delete_user", down)

    response = client.post(DELETE, {"confirm": "on"})

    assert response.status_code == 503
    assert "temporarily unavailable" in page(response)
    assert _exists_in_cognito(cognito, "ann@example.com")
    assert client.get(PROFILE).status_code == 200
    assert CognitoIdentity.objects.get(sub=sub).user.is_active is True


def test_anonymous_visitor_cannot_reach_the_delete_page(client: Client, cognito: Any) -> None:
    response = client.post(DELETE, {"confirm": "on"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("cognito_forms:signin"))
    assert gateway.calls["DeleteUser"] == 0
