"""The profile page (F7): built from the pool's schema and the client's Read/WriteAttributes,
rendered from the ID token, saving only changed writable attributes."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from cognito_forms import exceptions as exc
from cognito_forms import gateway, signals
from cognito_forms.models import CognitoIdentity

from .account_helpers import PASSWORD, cognito_user, member, page, spy

pytestmark = pytest.mark.django_db

PROFILE = "/accounts/profile/"
ANN = {
    "name": "Ann Example",
    "custom:company": "Acme",
    "custom:role": "admin",
    "custom:member_id": "M-1001",
}


def test_profile_is_rendered_from_the_id_token_without_calling_cognito(
    client: Client, cognito: Any
) -> None:
    member(cognito, client, attributes=ANN)
    client.get(PROFILE)  # describes the pool once (cached afterwards)
    gateway.reset_counters()

    response = client.get(PROFILE)

    assert response.status_code == 200
    assert sum(gateway.calls.values()) == 0
    html = page(response)
    assert 'name="name"' in html
    assert 'value="Ann Example"' in html
    assert 'name="custom_company"' in html
    assert 'value="Acme"' in html
    assert 'name="custom_seats"' in html
    assert 'type="number"' in html
    # Readable but not writable (custom:role) and immutable (custom:member_id): shown, no input.
    assert "admin" in html
    assert "M-1001" in html
    assert 'name="custom_role"' not in html
    assert 'name="custom_member_id"' not in html
    assert "no-store" in response["Cache-Control"]


def test_profile_uses_the_operator_labels_and_attribute_choice(
    client: Client, cognito: Any, settings: Any
) -> None:
    settings.COGNITO_ATTRIBUTE_LABELS = {"custom:company": "Organisation", "custom:seats": "Seats"}
    settings.COGNITO_PROFILE_ATTRIBUTES = ["custom:seats", "custom:company"]
    member(cognito, client, attributes=ANN)

    html = page(client.get(PROFILE))

    assert "Organisation" in html
    assert "Seats" in html
    assert html.index('name="custom_seats"') < html.index('name="custom_company"')
    assert 'name="name"' not in html


def test_anonymous_visitor_is_sent_to_sign_in_and_back(client: Client, cognito: Any) -> None:
    response = client.get(PROFILE)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('cognito_forms:signin')}?next={PROFILE}"
    assert sum(gateway.calls.values()) == 0


def test_saving_sends_only_changed_attributes_and_shows_new_values_at_once(
    client: Client, cognito: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    member(cognito, client, attributes=ANN)
    sent = spy(monkeypatch, "update_user_attributes")
    received: list[dict[str, Any]] = []
    signals.profile_updated.connect(lambda **kw: received.append(kw), weak=False, dispatch_uid="t")

    try:
        response = client.post(
            PROFILE, {"name": "Ann Example", "custom_company": "Globex", "custom_seats": "12"}
        )
    finally:
        signals.profile_updated.disconnect(dispatch_uid="t")

    assert response.status_code == 302
    assert response["Location"] == PROFILE
    assert sent == [{"attributes": {"custom:company": "Globex", "custom:seats": "12"}}]
    assert gateway.calls["UpdateUserAttributes"] == 1
    assert gateway.calls["GetTokensFromRefreshToken"] == 1  # new cookies carry the new values
    stored = cognito_user(cognito, "ann@example.com")
    assert stored["custom:company"] == "Globex"
    assert stored["custom:seats"] == "12"
    assert received[0]["attributes"] == ["custom:company", "custom:seats"]
    assert received[0]["user"].is_authenticated
    assert "request" in received[0]
    gateway.reset_counters()
    html = page(client.get(PROFILE))
    assert 'value="Globex"' in html
    assert 'value="12"' in html
    assert received[0]["user"].first_name == "Ann"
    assert "Your profile has been saved." in html
    assert sum(gateway.calls.values()) == 0


def test_forged_fields_never_reach_cognito(
    client: Client, cognito: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    member(cognito, client, attributes=ANN)
    sent = spy(monkeypatch, "update_user_attributes")

    client.post(
        PROFILE,
        {
            "name": "Ann Forged",
            "custom_company": "Acme",
            "custom_role": "superuser",
            "custom:role": "superuser",
            "custom_member_id": "M-0001",
            "email_verified": "false",
            "email": "mallory@example.com",
            "sub": "someone-else",
        },
    )

    assert sent == [{"attributes": {"name": "Ann Forged"}}]
    stored = cognito_user(cognito, "ann@example.com")
    assert stored["custom:role"] == "admin"
    assert stored["custom:member_id"] == "M-1001"
    assert stored["email"] == "ann@example.com"


def test_invalid_values_are_field_errors_and_cognito_is_not_called(
    client: Client, cognito: Any
) -> None:
    member(cognito, client, attributes=ANN)
    client.get(PROFILE)
    gateway.reset_counters()

    response = client.post(
        PROFILE, {"name": "Ann Example", "custom_company": "x" * 65, "custom_seats": "5000"}
    )

    assert response.status_code == 200
    html = page(response)
    assert "There is a problem" in html
    assert "Ensure this value is less than or equal to 1000." in html
    assert "at most 64 characters" in html
    assert 'value="5000"' in html  # what the user typed is kept
    assert sum(gateway.calls.values()) == 0


def test_nothing_changed_makes_no_cognito_call(client: Client, cognito: Any) -> None:
    member(cognito, client, attributes=ANN)
    client.get(PROFILE)
    gateway.reset_counters()

    response = client.post(PROFILE, {"name": "Ann Example", "custom_company": "Acme"}, follow=True)

    assert "Nothing was changed." in page(response)
    assert sum(gateway.calls.values()) == 0


def test_clearing_an_optional_attribute_deletes_it(client: Client, cognito: Any) -> None:
    member(cognito, client, attributes=ANN)

    client.post(PROFILE, {"name": "Ann Example", "custom_company": ""})

    assert gateway.calls["DeleteUserAttributes"] == 1
    assert gateway.calls["UpdateUserAttributes"] == 0
    assert "custom:company" not in cognito_user(cognito, "ann@example.com")


def test_cognito_refusing_shows_a_message_and_keeps_the_input(client: Client, cognito: Any) -> None:
    member(cognito, client, attributes=ANN)
    client.get(PROFILE)  # the cached client description still says custom:company is writable
    cognito.lc.update_client(WriteAttributes=["email", "name", "phone_number"])
    gateway.reset_counters()

    response = client.post(PROFILE, {"name": "Ann Example", "custom_company": "Globex"})

    assert response.status_code == 200
    html = page(response)
    assert "That did not work" in html
    assert 'value="Globex"' in html
    assert gateway.calls["GetTokensFromRefreshToken"] == 0
    assert cognito_user(cognito, "ann@example.com")["custom:company"] == "Acme"


@pytest.mark.parametrize("failure", [exc.ServiceUnavailable, exc.TooManyRequests])
def test_cognito_unreachable_or_throttling_gives_503_and_keeps_the_input(
    client: Client, cognito: Any, monkeypatch: pytest.MonkeyPatch, failure: type[Exception]
) -> None:
    member(cognito, client, attributes=ANN)

    def refuse(**kwargs: Any) -> None:
        raise failure("down")

    monkeypatch.setattr(gateway, "update_user_attributes", refuse)

    response = client.post(PROFILE, {"name": "Ann Example", "custom_company": "Globex"})

    assert response.status_code == 503
    assert response["Retry-After"]
    assert "temporarily unavailable" in page(response)
    assert 'value="Globex"' in page(response)
    assert cognito_user(cognito, "ann@example.com")["custom:company"] == "Acme"


@pytest.mark.parametrize(
    ("url", "data"),
    [
        (PROFILE, {"name": "Mallory"}),
        ("/accounts/profile/email/change/", {"value": "mallory@example.com"}),
        ("/accounts/password/change/", {"current_password": "x", "new_password": "y"}),
        ("/accounts/mfa/", {"action": "disable:totp"}),
        ("/accounts/delete/", {"confirm": "on"}),
        ("/accounts/reauth/", {"password": "x"}),
    ],
)
def test_account_forms_refuse_a_post_without_csrf_token(
    cognito: Any, sign_in_client: Any, url: str, data: dict[str, str]
) -> None:
    cognito.create_user("ann@example.com", PASSWORD, attributes=ANN)
    browser = sign_in_client("ann@example.com", PASSWORD, Client(enforce_csrf_checks=True))
    gateway.reset_counters()

    response = browser.post(url, data)

    assert response.status_code == 403
    assert sum(gateway.calls.values()) == 0


def test_a_new_name_reaches_the_local_user_at_once(client: Client, cognito: Any) -> None:
    sub = member(cognito, client, attributes=ANN)

    client.post(PROFILE, {"name": "Annabel Lee", "custom_company": "Acme"})

    user = CognitoIdentity.objects.select_related("user").get(sub=sub).user
    assert user.first_name == "Annabel"
    assert user.last_name == "Lee"
