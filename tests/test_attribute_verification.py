"""Email and phone number changes (F8): a recent sign-in, a code to the new address, and the
old address in effect until the code is verified (AttributesRequireVerificationBeforeUpdate)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from cognito_forms import gateway, signals

from .account_helpers import cognito_user, make_sign_in_old, member, page

pytestmark = pytest.mark.django_db

CHANGE_EMAIL = reverse("cognito_forms:change_attribute", args=["email"])
VERIFY_EMAIL = reverse("cognito_forms:verify_attribute", args=["email"])
CHANGE_PHONE = reverse("cognito_forms:change_attribute", args=["phone_number"])
VERIFY_PHONE = reverse("cognito_forms:verify_attribute", args=["phone_number"])
PROFILE = reverse("cognito_forms:profile")
NEW = "ann.new@example.com"


def test_changing_email_needs_a_recent_sign_in(
    client: Client, cognito: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    member(cognito, client)
    make_sign_in_old(cognito, monkeypatch)

    response = client.post(CHANGE_EMAIL, {"value": NEW})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("cognito_forms:reauth") + "?next=")
    assert gateway.calls["UpdateUserAttributes"] == 0
    assert cognito_user(cognito, "ann@example.com")["email"] == "ann@example.com"


def test_new_email_takes_effect_only_once_its_code_is_verified(
    client: Client, cognito: Any
) -> None:
    member(cognito, client)
    received: list[dict[str, Any]] = []
    signals.profile_updated.connect(lambda **kw: received.append(kw), weak=False, dispatch_uid="v")

    response = client.post(CHANGE_EMAIL, {"value": NEW})

    assert response.status_code == 302
    assert response["Location"] == VERIFY_EMAIL
    assert gateway.calls["UpdateUserAttributes"] == 1
    # The old address stays in effect (and verified) meanwhile; the code went to the new one.
    stored = cognito_user(cognito, "ann@example.com")
    assert stored["email"] == "ann@example.com"
    assert stored["email_verified"] == "true"
    code = cognito.code_for(NEW, "verify_email")
    profile = page(client.get(PROFILE))
    assert "Pending verification: ann.new@example.com" in profile
    verify_page = page(client.get(VERIFY_EMAIL))
    assert "ann.new@example.com" in verify_page
    assert code not in verify_page

    try:
        response = client.post(VERIFY_EMAIL, {"code": code})
    finally:
        signals.profile_updated.disconnect(dispatch_uid="v")

    assert response.status_code == 302
    assert response["Location"] == PROFILE
    stored = cognito_user(cognito, NEW)
    assert stored["email"] == NEW
    assert stored["email_verified"] == "true"
    assert received[0]["attributes"] == ["email"]
    profile = page(client.get(PROFILE))
    assert "Your email address has been verified." in profile
    assert NEW in profile
    assert "Pending verification" not in profile


def test_wrong_code_is_a_field_error_and_the_old_email_stays(client: Client, cognito: Any) -> None:
    member(cognito, client)
    client.post(CHANGE_EMAIL, {"value": NEW})
    right = cognito.code_for(NEW, "verify_email")
    wrong = "000000" if right != "000000" else "111111"

    response = client.post(VERIFY_EMAIL, {"code": wrong})

    assert response.status_code == 200
    assert "That code is not right" in page(response)
    assert cognito_user(cognito, "ann@example.com")["email"] == "ann@example.com"


def test_a_code_that_is_not_digits_is_refused_without_calling_cognito(
    client: Client, cognito: Any
) -> None:
    member(cognito, client)
    client.post(CHANGE_EMAIL, {"value": NEW})
    gateway.reset_counters()

    response = client.post(VERIFY_EMAIL, {"code": "abc"})

    assert response.status_code == 200
    assert "digits only" in page(response)
    assert gateway.calls["VerifyUserAttribute"] == 0


def test_resend_sends_a_new_code_once_per_cooldown(client: Client, cognito: Any) -> None:
    member(cognito, client)
    client.post(CHANGE_EMAIL, {"value": NEW})
    cognito.lc.outbox.clear()

    too_soon = client.post(VERIFY_EMAIL, {"resend": "1"}, follow=True)

    assert "Please wait a little" in page(too_soon)
    assert gateway.calls["GetUserAttributeVerificationCode"] == 0

    with pytest.MonkeyPatch.context() as mp:
        from cognito_forms.flows import attempts

        mp.setattr(attempts, "cooldown_remaining", lambda kind, value: 0)
        resent = client.post(VERIFY_EMAIL, {"resend": "1"}, follow=True)

    assert "We have sent you a new code." in page(resent)
    assert gateway.calls["GetUserAttributeVerificationCode"] == 1
    code = cognito.code_for(NEW, "verify_email")
    client.post(VERIFY_EMAIL, {"code": code})
    assert cognito_user(cognito, NEW)["email"] == NEW


def test_invalid_email_is_a_field_error_and_cognito_is_not_called(
    client: Client, cognito: Any
) -> None:
    member(cognito, client)
    client.get(CHANGE_EMAIL)  # the pool description is cached from here on
    gateway.reset_counters()

    response = client.post(CHANGE_EMAIL, {"value": "not-an-email"})

    assert response.status_code == 200
    assert "Enter a valid email address." in page(response)
    assert 'value="not-an-email"' in page(response)
    assert sum(gateway.calls.values()) == 0


def test_same_email_is_a_field_error(client: Client, cognito: Any) -> None:
    member(cognito, client)
    client.get(CHANGE_EMAIL)
    gateway.reset_counters()

    response = client.post(CHANGE_EMAIL, {"value": "Ann@Example.com"})

    assert "This is already your email address." in page(response)
    assert sum(gateway.calls.values()) == 0


def test_email_of_another_account_is_refused_and_nothing_changes(
    client: Client, cognito: Any
) -> None:
    cognito.create_user("bob@example.com")
    member(cognito, client)

    response = client.post(CHANGE_EMAIL, {"value": "bob@example.com"})

    assert response.status_code == 200
    assert "This email address cannot be used" in page(response)
    assert 'value="bob@example.com"' in page(response)
    assert cognito_user(cognito, "ann@example.com")["email"] == "ann@example.com"


def test_new_phone_number_is_unverified_until_its_sms_code(client: Client, cognito: Any) -> None:
    member(cognito, client)

    response = client.post(CHANGE_PHONE, {"value": "+14155550123"})

    assert response.status_code == 302
    assert response["Location"] == VERIFY_PHONE
    stored = cognito_user(cognito, "ann@example.com")
    assert stored["phone_number"] == "+14155550123"
    assert stored["phone_number_verified"] == "false"
    assert "not verified" in page(client.get(PROFILE))
    code = cognito.code_for("+14155550123", "verify_phone_number")

    client.post(VERIFY_PHONE, {"code": code})

    assert cognito_user(cognito, "ann@example.com")["phone_number_verified"] == "true"
    profile = page(client.get(PROFILE))
    assert "Your phone number has been verified." in profile
    assert "not verified" not in profile


def test_badly_formatted_phone_number_is_a_field_error(client: Client, cognito: Any) -> None:
    member(cognito, client)
    client.get(CHANGE_PHONE)
    gateway.reset_counters()

    response = client.post(CHANGE_PHONE, {"value": "0155 555"})

    assert response.status_code == 200
    assert "international format" in page(response)
    assert sum(gateway.calls.values()) == 0


def test_other_attributes_have_no_change_page(client: Client, cognito: Any) -> None:
    member(cognito, client)

    response = client.get("/accounts/profile/custom:role/change/")

    assert response.status_code == 404
