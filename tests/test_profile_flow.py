"""The profile flow's own allow-list (docs/security.md F7, S14): called directly, without the
form that normally drops forged fields first, it still sends Cognito only attributes that the
caller allows and the pool lets the user change."""

from __future__ import annotations

from typing import Any

import pytest

from cognito_forms import gateway, pool
from cognito_forms.flows import profile as flow

from .account_helpers import PASSWORD, cognito_user, member, page, spy
from .session_helpers import fetch_tokens

pytestmark = pytest.mark.django_db

ANN = "ann@example.com"
STORED = {
    "name": "Ann Example",
    "custom:company": "Acme",
    "custom:role": "admin",
    "custom:member_id": "M-1001",
}
#: What a forged post (or a form offering too much) would like to write.
FORGED = {
    "name": "Ann Flow",  # the only one the user may change
    "custom:role": "superuser",  # readable, not in the client's WriteAttributes
    "custom:member_id": "M-0001",  # immutable in the schema
    "email_verified": "false",  # a flag Cognito sets
    "phone_number_verified": "true",
    "sub": "someone-else",  # the user's id
    "email": "mallory@example.com",  # changed only with a code (F8)
    "custom:unknown": "x",  # not in the pool's schema
}


@pytest.fixture
def ann(cognito: Any) -> str:
    cognito.create_user(ANN, PASSWORD, attributes=STORED)
    token = fetch_tokens(cognito, ANN, PASSWORD).access_token
    pool.describe_pool(), pool.describe_client()  # cached, as after any page view
    gateway.reset_counters()
    return token


def _unchanged_except_name(cognito: Any) -> None:
    stored = cognito_user(cognito, ANN)
    assert stored["name"] == "Ann Flow"
    assert stored["custom:role"] == "admin"
    assert stored["custom:member_id"] == "M-1001"
    assert stored["email"] == ANN
    assert stored["email_verified"] == "true"
    assert "phone_number_verified" not in stored


def test_attributes_outside_the_callers_allow_list_are_dropped(
    cognito: Any, ann: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    updated = spy(monkeypatch, "update_user_attributes")
    deleted = spy(monkeypatch, "delete_user_attributes")

    sent = flow.update_attributes(
        access_token=ann,
        changed=FORGED,
        cleared=["custom:role", "custom:company"],
        allowed={"name", "custom:company"},
    )

    assert updated == [{"attributes": {"name": "Ann Flow"}}]
    assert deleted == [{"names": ["custom:company"]}]
    assert sent == ["custom:company", "name"]
    assert dict(gateway.calls) == {"UpdateUserAttributes": 1, "DeleteUserAttributes": 1}
    _unchanged_except_name(cognito)
    assert "custom:company" not in cognito_user(cognito, ANN)


def test_an_allow_list_that_offers_too_much_still_sends_only_what_the_pool_permits(
    cognito: Any, ann: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A form (ours with a bug, or an operator's replacement) that lets every posted name
    through: the flow asks the pool's schema and the client's WriteAttributes itself."""
    updated = spy(monkeypatch, "update_user_attributes")
    deleted = spy(monkeypatch, "delete_user_attributes")

    sent = flow.update_attributes(
        access_token=ann,
        changed=FORGED,
        cleared=["custom:role", "sub", "email"],
        allowed=set(FORGED) | {"custom:role", "sub", "email"},
    )

    assert updated == [{"attributes": {"name": "Ann Flow"}}]
    assert deleted == []
    assert sent == ["name"]
    _unchanged_except_name(cognito)


def test_privileged_attributes_are_never_written_even_when_the_client_may(
    cognito: Any, ann: str, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.COGNITO_PRIVILEGED_ATTRIBUTES = ["custom:company"]
    updated = spy(monkeypatch, "update_user_attributes")

    sent = flow.update_attributes(
        access_token=ann,
        changed={"name": "Ann Flow", "custom:company": "Globex"},
        allowed={"name", "custom:company"},
    )

    assert updated == [{"attributes": {"name": "Ann Flow"}}]
    assert sent == ["name"]
    assert cognito_user(cognito, ANN)["custom:company"] == "Acme"


def test_nothing_permitted_makes_no_cognito_call(cognito: Any, ann: str) -> None:
    sent = flow.update_attributes(
        access_token=ann, changed={"custom:role": "superuser"}, allowed={"custom:role"}
    )

    assert sent == []
    assert sum(gateway.calls.values()) == 0


def test_the_profile_page_shows_a_privileged_attribute_read_only(
    cognito: Any, client: Any, settings: Any
) -> None:
    """The page agrees with the flow: no field that would be silently dropped."""
    settings.COGNITO_PRIVILEGED_ATTRIBUTES = ["custom:company"]
    member(cognito, client, email="bea@example.com", attributes={"custom:company": "Acme"})

    html = page(client.get("/accounts/profile/"))

    assert 'name="custom_company"' not in html
    assert "Acme" in html
    assert 'name="name"' in html
