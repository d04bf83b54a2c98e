"""The signed-in session: request.user from the token cookies, the link model, group sync,
Django's auth machinery (login_required, admin, permissions, LoginRequiredMiddleware)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model, user_logged_in
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cognito_forms import tokens
from cognito_forms.models import CognitoIdentity

from .session_helpers import create_group

pytestmark = pytest.mark.django_db

MIDDLEWARE_WITH_LOGIN_REQUIRED = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "cognito_forms.middleware.CognitoAuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]


def test_signed_in_browser_sees_the_private_page_with_its_claims(
    signed_in_client: Client, cognito: Any
) -> None:
    response = signed_in_client.get("/private/")
    assert response.status_code == 200
    assert "Signed in as demo@example.com" in response.content.decode()
    assert "cognito:username" in response.content.decode() or "sub" in response.content.decode()
    assert cognito.total_calls() == 0


def test_anonymous_visitor_is_sent_to_sign_in_with_next(client: Client, cognito: Any) -> None:
    response = client.get("/private/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/signin/?next=/private/"


def test_first_sign_in_links_a_new_local_user_with_name_email_and_groups(
    sign_in_client: Any, cognito: Any
) -> None:
    create_group(cognito, "editors")
    sub = cognito.create_user(
        "ann@example.com", attributes={"name": "Ann Lee"}, groups=("staff", "editors")
    )
    sign_in_client("ann@example.com", "Correct-Horse-9!")
    identity = CognitoIdentity.objects.select_related("user").get(sub=sub)
    user = identity.user
    assert user.email == "ann@example.com"
    assert (user.first_name, user.last_name) == ("Ann", "Lee")
    assert user.is_staff  # COGNITO_STAFF_GROUP = "staff"
    assert sorted(user.groups.values_list("name", flat=True)) == ["editors", "staff"]
    assert not user.has_usable_password()


def test_signing_in_again_reuses_the_linked_user(sign_in_client: Any, cognito: Any) -> None:
    sign_in_client()
    sign_in_client()
    assert CognitoIdentity.objects.count() == 1
    assert get_user_model().objects.count() == 1


def test_user_logged_in_is_sent_on_sign_in(sign_in_client: Any, cognito: Any) -> None:
    received: list[Any] = []

    def receiver(sender: Any, user: Any, request: Any, **kwargs: Any) -> None:
        received.append(user)

    user_logged_in.connect(receiver)
    try:
        sign_in_client()
    finally:
        user_logged_in.disconnect(receiver)
    assert [u.email for u in received] == ["demo@example.com"]


def test_permissions_come_from_the_synced_groups(sign_in_client: Any, cognito: Any) -> None:
    editors = Group.objects.create(name="editors")
    editors.permissions.add(Permission.objects.get(codename="view_group"))
    create_group(cognito, "editors")
    cognito.create_user("ed@example.com", groups=("editors",))
    sign_in_client("ed@example.com", "Correct-Horse-9!")
    user = get_user_model().objects.get(email="ed@example.com")
    assert user.has_perm("auth.view_group")
    assert not user.has_perm("auth.change_group")


def test_a_staff_member_from_cognito_reaches_the_admin(sign_in_client: Any, cognito: Any) -> None:
    cognito.create_user("boss@example.com", groups=("staff",))
    browser = sign_in_client("boss@example.com", "Correct-Horse-9!")
    assert browser.get("/admin/").status_code == 200


def test_a_local_superuser_without_token_cookies_uses_the_admin_through_django_sessions(
    client: Client, cognito: Any
) -> None:
    get_user_model().objects.create_superuser("root", "root@example.com", "Local-Passw0rd!")
    assert client.login(username="root", password="Local-Passw0rd!")
    assert client.get("/admin/").status_code == 200


def test_username_and_password_never_authenticate_through_the_cognito_backend(
    cognito: Any,
) -> None:
    from django.contrib.auth import authenticate

    get_user_model().objects.create_user("local", password="Local-Passw0rd!")
    user = authenticate(None, username="local", password="Local-Passw0rd!")
    assert user is not None
    assert user.backend == "django.contrib.auth.backends.ModelBackend"  # type: ignore[attr-defined]


def test_login_required_middleware_lets_signed_in_users_through(
    sign_in_client: Any, cognito: Any, settings: Any
) -> None:
    settings.MIDDLEWARE = MIDDLEWARE_WITH_LOGIN_REQUIRED
    assert sign_in_client().get("/").status_code == 200
    assert Client().get("/").status_code == 302


def test_a_page_view_makes_no_cognito_call_and_fewer_queries_than_session_auth(
    sign_in_client: Any, cognito: Any, django_assert_max_num_queries: Any
) -> None:
    local = get_user_model().objects.create_user("local", password="Local-Passw0rd!")
    session_browser = Client()
    session_browser.force_login(local, backend="django.contrib.auth.backends.ModelBackend")
    with CaptureQueriesContext(connection) as baseline:
        assert session_browser.get("/private/").status_code == 200
    session_auth_queries = len(baseline)  # read now: the next request resets the query log
    assert session_auth_queries == 2  # the session row and the user row
    browser = sign_in_client()
    browser.get("/private/")
    with django_assert_max_num_queries(session_auth_queries - 1):
        assert browser.get("/private/").status_code == 200
    assert cognito.total_calls() == 0


def test_the_session_survives_a_restart_of_the_web_server(
    signed_in_client: Client, cognito: Any
) -> None:
    assert signed_in_client.get("/private/").status_code == 200
    tokens.reset_caches()  # a new process: no keys, no verified claims in memory
    from django.core.cache import cache

    cache.clear()
    assert signed_in_client.get("/private/").status_code == 200
    assert cognito.total_calls() == 0


def test_an_unexpected_error_in_the_middleware_fails_closed(
    signed_in_client: Client, cognito: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("unexpected")

    monkeypatch.setattr(tokens, "verify_pair", boom)
    response = signed_in_client.get("/private/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/signin/")


def test_an_inactive_local_user_is_anonymous(signed_in_client: Client, cognito: Any) -> None:
    get_user_model().objects.update(is_active=False)
    assert signed_in_client.get("/private/").status_code == 302


def test_signed_in_pages_are_not_cached(signed_in_client: Client, cognito: Any) -> None:
    response = signed_in_client.get("/")
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_with_the_jwks_unreachable_and_no_cached_keys_users_are_anonymous_but_keep_cookies(
    signed_in_client: Client, cognito: Any, settings: Any
) -> None:
    import time

    from django.core.cache import cache

    tokens.reset_caches()
    cache.clear()
    settings.COGNITO_JWKS_URL = "http://127.0.0.1:9/jwks.json"  # nothing listens there
    started = time.monotonic()
    response = signed_in_client.get("/private/")
    assert time.monotonic() - started < 3.5
    assert response.status_code == 302
    assert "cf_session" not in response.cookies  # kept: the keys come back, and the user too
    del settings.COGNITO_JWKS_URL
    cache.clear()  # the fetch cool-down passes
    assert signed_in_client.get("/private/").status_code == 200
    assert cognito.total_calls() == 0
