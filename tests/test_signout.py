"""docs/security.md C6 and C8: sign-out is a CSRF-protected POST that revokes, clears every cookie
and deny-lists the session, even when Cognito fails."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import user_logged_out
from django.test import Client

from cognito_forms import gateway
from cognito_forms.exceptions import ServiceUnavailable

pytestmark = pytest.mark.django_db


def replay(cookies: dict[str, Any]) -> Client:
    browser = Client()
    for name, morsel in cookies.items():
        browser.cookies[name] = morsel.value
    return browser


def test_sign_out_page_asks_for_confirmation_and_signs_nobody_out(
    signed_in_client: Client, cognito: Any
) -> None:
    response = signed_in_client.get("/accounts/signout/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Sign out of all devices" in page
    assert 'method="post"' in page
    assert "csrfmiddlewaretoken" in page
    assert "no-store" in response["Cache-Control"]
    assert signed_in_client.get("/private/").status_code == 200
    assert cognito.total_calls() == 0


def test_sign_out_without_a_csrf_token_is_refused_and_calls_nothing(
    sign_in_client: Any, cognito: Any
) -> None:
    browser = sign_in_client(client=Client(enforce_csrf_checks=True))
    response = browser.post("/accounts/signout/")
    assert response.status_code == 403
    assert cognito.total_calls() == 0
    assert browser.get("/private/").status_code == 200


def test_sign_out_with_a_foreign_csrf_token_is_refused(sign_in_client: Any, cognito: Any) -> None:
    browser = sign_in_client(client=Client(enforce_csrf_checks=True))
    browser.get("/accounts/signout/")
    response = browser.post("/accounts/signout/", {"csrfmiddlewaretoken": "x" * 64})
    assert response.status_code == 403
    assert cognito.total_calls() == 0


def test_sign_out_revokes_clears_every_cookie_and_old_cookies_are_then_anonymous(
    sign_in_client: Any, cognito: Any
) -> None:
    browser = sign_in_client(client=Client(enforce_csrf_checks=True))
    page = browser.get("/accounts/signout/")
    old = dict(browser.cookies.items())
    token = page.context["csrf_token"]
    received: list[Any] = []

    def receiver(sender: Any, user: Any, **kwargs: Any) -> None:
        received.append(user)

    user_logged_out.connect(receiver)
    try:
        response = browser.post("/accounts/signout/", {"csrfmiddlewaretoken": str(token)})
    finally:
        user_logged_out.disconnect(receiver)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response["Clear-Site-Data"] == '"cookies"'
    assert cognito.calls["RevokeToken"] == 1
    expired = {name for name, m in response.cookies.items() if m["max-age"] == 0}
    assert {name for name in old if name.startswith("cf_session")} <= expired
    assert [u.email for u in received] == ["demo@example.com"]
    # Replaying the cookies from before sign-out: anonymous, sent to sign in.
    replayed = replay(old).get("/private/")
    assert replayed.status_code == 302
    assert replayed["Location"].startswith("/accounts/signin/")


def test_sign_out_everywhere_uses_global_sign_out_and_ends_other_browsers(
    sign_in_client: Any, cognito: Any
) -> None:
    other = sign_in_client()
    browser = sign_in_client()
    response = browser.post("/accounts/signout/", {"everywhere": "on"})
    assert response.status_code == 302
    assert cognito.calls["GlobalSignOut"] == 1
    assert other.get("/private/").status_code == 302


def test_sign_out_clears_the_cookies_even_when_cognito_fails(
    signed_in_client: Client, cognito: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = dict(signed_in_client.cookies.items())

    def down(**kwargs: Any) -> None:
        raise ServiceUnavailable("down")

    monkeypatch.setattr(gateway, "revoke", down)
    response = signed_in_client.post("/accounts/signout/")
    assert response.status_code == 302
    assert response.cookies["cf_session"]["max-age"] == 0
    assert signed_in_client.get("/private/").status_code == 302
    assert replay(old).get("/private/").status_code == 302


def test_signed_in_navigation_links_to_sign_out(signed_in_client: Client, cognito: Any) -> None:
    assert 'href="/accounts/signout/"' in signed_in_client.get("/").content.decode()
