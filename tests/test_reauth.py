"""Re-authentication: sensitive pages need a sign-in younger than COGNITO_REAUTH_MAX_AGE; the
re-auth page proves the password again (SRP), replaces the tokens and returns."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from cognito_forms import gateway
from local_cognito import totp

from .account_helpers import PASSWORD, make_sign_in_old, member, page, sign_in

pytestmark = pytest.mark.django_db

REAUTH = reverse("cognito_forms:reauth")
DELETE = reverse("cognito_forms:delete")
MFA = reverse("cognito_forms:mfa")
PROFILE = reverse("cognito_forms:profile")
CHANGE_EMAIL = reverse("cognito_forms:change_attribute", args=["email"])


def test_recent_sign_in_needs_no_password_again(client: Client, cognito: Any) -> None:
    member(cognito, client)

    response = client.get(DELETE)

    assert response.status_code == 200
    assert "Delete your account" in page(response)


def test_old_sign_in_is_sent_to_re_authenticate_and_back(
    client: Client, cognito: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    member(cognito, client)
    make_sign_in_old(cognito, monkeypatch)

    response = client.get(DELETE)

    assert response.status_code == 302
    assert response["Location"] == f"{REAUTH}?next=%2Faccounts%2Fdelete%2F"
    form = client.get(response["Location"])
    assert "ann@example.com" in page(form)
    assert 'name="next" value="/accounts/delete/"' in page(form)

    response = client.post(REAUTH, {"password": PASSWORD, "next": DELETE})

    assert response.status_code == 302
    assert response["Location"] == DELETE
    assert gateway.calls["InitiateAuth"] == 1
    assert gateway.calls["RespondToAuthChallenge"] == 1  # SRP: the password is never sent
    assert client.get(DELETE).status_code == 200


def test_reauth_honours_the_configured_max_age(
    client: Client, cognito: Any, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    settings.COGNITO_REAUTH_MAX_AGE = 3600
    member(cognito, client)
    make_sign_in_old(cognito, monkeypatch, seconds=600)

    assert client.get(DELETE).status_code == 200


def test_wrong_password_is_a_field_error_and_keeps_the_old_session(
    client: Client, cognito: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    member(cognito, client)
    make_sign_in_old(cognito, monkeypatch)
    client.get(REAUTH)  # ten minutes on: this view revalidates the session (new cookie)
    before = dict(client.cookies.items())

    response = client.post(REAUTH, {"password": "Wrong-Passw0rd!", "next": DELETE})

    assert response.status_code == 200
    assert "That password is not right." in page(response)
    assert "Wrong-Passw0rd!" not in page(response)
    assert not any(name.startswith("cf_session") for name in response.cookies)
    assert dict(client.cookies.items()).keys() == before.keys()
    assert client.get(DELETE).status_code == 302  # still not recent


def test_unsafe_next_falls_back_to_the_profile(
    client: Client, cognito: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    member(cognito, client)
    make_sign_in_old(cognito, monkeypatch)

    response = client.post(REAUTH, {"password": PASSWORD, "next": "//evil.example/"})

    assert response.status_code == 302
    assert response["Location"] == reverse("cognito_forms:profile")


def test_password_guesses_on_reauth_are_rate_limited(
    client: Client, cognito: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    member(cognito, client)
    make_sign_in_old(cognito, monkeypatch)
    for _ in range(10):
        client.post(REAUTH, {"password": "Wrong-Passw0rd!"})
    gateway.reset_counters()

    response = client.post(REAUTH, {"password": PASSWORD})

    assert response.status_code == 429
    assert response["Retry-After"]
    assert sum(gateway.calls.values()) == 0


def test_reauth_with_mfa_answers_the_code_and_returns(
    client: Client, cognito: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = totp.new_secret()
    cognito.create_user("ann@example.com", PASSWORD, totp_secret=secret)
    response = client.post(
        reverse("cognito_forms:signin"), {"email": "ann@example.com", "password": PASSWORD}
    )
    code_page = reverse("cognito_forms:signin_code")
    assert response["Location"] == code_page
    client.post(code_page, {"code": totp.code_at(secret, cognito.lc.clock.now())})
    make_sign_in_old(cognito, monkeypatch)

    response = client.post(REAUTH, {"password": PASSWORD, "next": MFA})

    assert response.status_code == 302
    assert response["Location"] == code_page
    # A new time step: the emulator refuses a TOTP code that was used already.
    cognito.lc.clock.advance(30)
    response = client.post(code_page, {"code": totp.code_at(secret, cognito.lc.clock.now())})
    assert response.status_code == 302
    assert response["Location"] == MFA
    assert client.get(MFA).status_code == 200


def test_anonymous_visitor_on_reauth_goes_to_sign_in(client: Client, cognito: Any) -> None:
    response = client.get(REAUTH)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("cognito_forms:signin"))


def test_signing_in_again_from_the_sign_in_page_also_counts(
    client: Client, cognito: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    member(cognito, client)
    make_sign_in_old(cognito, monkeypatch)

    sign_in(client, "ann@example.com")

    assert client.get(DELETE).status_code == 200


def test_a_refresh_does_not_make_an_old_sign_in_recent(
    client: Client, cognito: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/security.md S14(b): past a refresh the tokens are new (``iat`` is now) but the
    password was proved long ago (``auth_time``): the age counts from ``auth_time``."""
    member(cognito, client)
    make_sign_in_old(cognito, monkeypatch, seconds=3700)  # past the access token's hour

    assert client.get(PROFILE).status_code == 200
    assert gateway.calls["GetTokensFromRefreshToken"] == 1  # fresh tokens, a fresh iat

    response = client.get(DELETE)
    assert response["Location"] == f"{REAUTH}?next=%2Faccounts%2Fdelete%2F"
    response = client.post(CHANGE_EMAIL, {"value": "ann.new@example.com"})
    assert response["Location"].startswith(f"{REAUTH}?next=")
    assert gateway.calls["UpdateUserAttributes"] == 0
    assert gateway.calls["DeleteUser"] == 0
