"""docs/security.md R1-R5 and C7: transparent refresh, single-flight, rotation grace, dead and
failing refresh, the absolute session lifetime."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import include, path

from cognito_forms import cookies, gateway, sealed_cookies, tokens
from cognito_forms.exceptions import ServiceUnavailable, TooManyRequests

from .journeys import text
from .session_helpers import copy_cookies, create_group, idp_client

pytestmark = pytest.mark.django_db

POSTS: list[str] = []


@login_required
def record_post(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        POSTS.append(request.POST.get("item", ""))
    return HttpResponse("saved")


urlpatterns = [
    path("record/", record_post),
    path("", include("site_project.urls")),
]

REFRESH = "GetTokensFromRefreshToken"


def session_cookies(client: Client) -> dict[str, str]:
    return {k: m.value for k, m in client.cookies.items() if k.startswith("cf_session")}


def opened(response: Any) -> cookies.SessionCookies:
    """The session a response set (test-side decryption with the site's keys)."""
    sealed = response.cookies["cf_session"].value.partition("~")[2]
    sealed += response.cookies["cf_session.1"].value if "cf_session.1" in response.cookies else ""
    return cookies.SessionCookies.from_json(sealed_cookies.unseal(sealed, "session"))


def expired_browser(sign_in_client: Any, cognito: Any, seconds: int = 3700, **kw: Any) -> Client:
    """A browser whose tokens were issued ``seconds`` ago (expired if more than an hour)."""
    cognito.lc.clock.advance(-seconds)
    real_now = tokens.now
    tokens.now = cognito.lc.clock.now  # type: ignore[method-assign]  # sign-in happened back then
    try:
        browser = sign_in_client(**kw)
    finally:
        tokens.now = real_now  # type: ignore[method-assign]
        cognito.lc.clock.advance(seconds)
    return browser


def test_expired_access_token_is_refreshed_transparently_on_a_get(
    sign_in_client: Any, cognito: Any
) -> None:
    browser = expired_browser(sign_in_client, cognito)
    before = session_cookies(browser)
    response = browser.get("/private/")
    assert response.status_code == 200
    assert cognito.calls[REFRESH] == 1
    assert "cf_session" in response.cookies
    assert "no-store" in response["Cache-Control"]
    copy_cookies(browser, response)
    assert session_cookies(browser) != before
    assert browser.get("/private/").status_code == 200
    assert cognito.calls[REFRESH] == 1  # the new access token is good for an hour
    assert cognito.total_calls() == 1


@pytest.mark.urls("tests.test_refresh")
def test_expired_access_token_on_a_form_post_refreshes_and_processes_it_once(
    sign_in_client: Any, cognito: Any
) -> None:
    POSTS.clear()
    browser = expired_browser(sign_in_client, cognito)
    response = browser.post("/record/", {"item": "apples"})
    assert response.status_code == 200
    assert POSTS == ["apples"]
    assert cognito.calls[REFRESH] == 1
    assert "cf_session" in response.cookies


def test_access_token_within_the_refresh_window_is_refreshed(
    sign_in_client: Any, cognito: Any, settings: Any
) -> None:
    settings.COGNITO_REFRESH_WINDOW = 300
    browser = expired_browser(sign_in_client, cognito, seconds=3400)  # 200 s left
    assert browser.get("/private/").status_code == 200
    assert cognito.calls[REFRESH] == 1


def test_a_fresh_access_token_is_not_refreshed(signed_in_client: Client, cognito: Any) -> None:
    response = signed_in_client.get("/private/")
    assert response.status_code == 200
    assert "cf_session" not in response.cookies
    assert cognito.total_calls() == 0


def test_a_new_id_token_syncs_the_users_groups(sign_in_client: Any, cognito: Any) -> None:
    create_group(cognito, "editors")
    browser = expired_browser(sign_in_client, cognito)
    user = get_user_model().objects.get(email="demo@example.com")
    assert list(user.groups.values_list("name", flat=True)) == []
    idp_client(cognito).admin_add_user_to_group(
        UserPoolId=cognito.seed.pool_id, Username="demo@example.com", GroupName="editors"
    )
    assert browser.get("/private/").status_code == 200
    assert list(user.groups.values_list("name", flat=True)) == ["editors"]


def test_a_database_refusing_the_user_sync_after_a_refresh_keeps_the_new_session(
    sign_in_client: Any, cognito: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import OperationalError

    from cognito_forms import backends

    def locked(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("database table is locked")

    browser = expired_browser(sign_in_client, cognito)
    monkeypatch.setattr(backends, "sync_user", locked)
    response = browser.get("/private/")
    # The refresh token may have rotated: losing the new cookies would sign the user out later.
    assert response.status_code == 200
    assert "cf_session" in response.cookies
    assert cognito.calls[REFRESH] == 1


def test_parallel_requests_after_expiry_make_one_refresh_and_all_succeed(
    sign_in_client: Any, cognito: Any, transactional_db: Any
) -> None:
    browser = expired_browser(sign_in_client, cognito)
    jar = dict(browser.cookies.items())
    statuses: list[int] = []
    new_cookies: set[str] = set()
    lock = threading.Lock()

    def one() -> None:
        client = Client()
        for name, morsel in jar.items():
            client.cookies[name] = morsel.value
        response = client.get("/private/")
        with lock:
            statuses.append(response.status_code)
            if "cf_session" in response.cookies:
                new_cookies.add(response.cookies["cf_session"].value[:40])

    threads = [threading.Thread(target=one) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [200] * 20
    assert cognito.calls[REFRESH] == 1
    assert len(new_cookies) >= 1


def test_a_late_request_with_the_previous_refresh_token_gets_the_same_new_cookies(
    sign_in_client: Any, cognito: Any
) -> None:
    browser = expired_browser(sign_in_client, cognito)
    old = dict(browser.cookies.items())
    first = browser.get("/private/")
    late = Client()
    for name, morsel in old.items():
        late.cookies[name] = morsel.value
    response = late.get("/private/")
    assert response.status_code == 200
    # Never older cookies: the late request sets exactly the tokens the first one set.
    assert opened(response) == opened(first)
    assert cognito.calls[REFRESH] == 1


def test_a_late_request_within_cognitos_grace_period_succeeds(
    sign_in_client: Any, cognito: Any
) -> None:
    browser = expired_browser(sign_in_client, cognito)
    old = dict(browser.cookies.items())
    assert browser.get("/private/").status_code == 200
    cache.clear()  # the shared result is gone: Cognito answers from its grace period
    late = Client()
    for name, morsel in old.items():
        late.cookies[name] = morsel.value
    assert late.get("/private/").status_code == 200
    assert cognito.calls[REFRESH] == 2


def test_a_revoked_refresh_token_signs_out_with_a_safe_next(
    sign_in_client: Any, cognito: Any, caplog: pytest.LogCaptureFixture
) -> None:
    browser = expired_browser(sign_in_client, cognito)
    # Revoke every session of the user at Cognito (the refresh token dies).
    idp_client(cognito).admin_user_global_sign_out(
        UserPoolId=cognito.seed.pool_id, Username="demo@example.com"
    )
    caplog.set_level(logging.INFO, logger="cognito_forms.security")
    response = browser.get("/private/?tab=1")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/signin/?next=/private/%3Ftab%3D1"
    assert response.cookies["cf_session"]["max-age"] == 0
    assert "refresh_failed" in caplog.text


def test_a_reused_rotated_refresh_token_signs_out(
    sign_in_client: Any, cognito: Any, caplog: pytest.LogCaptureFixture
) -> None:
    browser = expired_browser(sign_in_client, cognito)
    old = dict(browser.cookies.items())
    assert browser.get("/private/").status_code == 200
    cache.clear()
    cognito.lc.clock.advance(60)  # past the 10 s grace period
    replay = Client()
    for name, morsel in old.items():
        replay.cookies[name] = morsel.value
    caplog.set_level(logging.INFO, logger="cognito_forms.security")
    response = replay.get("/private/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/signin/")
    assert response.cookies["cf_session"]["max-age"] == 0
    assert "refresh_reuse" in caplog.text


@pytest.mark.parametrize("error", [TooManyRequests, ServiceUnavailable])
def test_a_failing_refresh_keeps_the_cookies_and_serves_a_still_valid_token(
    sign_in_client: Any, cognito: Any, settings: Any, monkeypatch: pytest.MonkeyPatch, error: Any
) -> None:
    settings.COGNITO_REFRESH_WINDOW = 300
    browser = expired_browser(sign_in_client, cognito, seconds=3400)

    def failing(**kwargs: Any) -> Any:
        raise error("down")

    monkeypatch.setattr(gateway, "refresh", failing)
    response = browser.get("/private/")
    assert response.status_code == 200
    assert "cf_session" not in response.cookies


@pytest.mark.parametrize("error", [TooManyRequests, ServiceUnavailable])
def test_a_failing_refresh_of_an_expired_token_answers_503_with_retry_after(
    sign_in_client: Any, cognito: Any, monkeypatch: pytest.MonkeyPatch, error: Any
) -> None:
    browser = expired_browser(sign_in_client, cognito)

    def failing(**kwargs: Any) -> Any:
        raise error("down")

    monkeypatch.setattr(gateway, "refresh", failing)
    response = browser.get("/private/")
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert "cf_session" not in response.cookies  # kept: never a sign-out
    monkeypatch.undo()
    assert browser.get("/private/").status_code == 200  # recovers with the same cookies


def test_the_absolute_session_lifetime_is_enforced_and_not_extended_by_refresh(
    sign_in_client: Any, cognito: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.COGNITO_SESSION_MAX_AGE = 2 * 3600
    browser = expired_browser(sign_in_client, cognito)
    assert browser.get("/private/").status_code == 200  # refreshed
    assert cognito.calls[REFRESH] == 1
    # Later than two hours after the original sign-in: over, whatever the tokens say.
    monkeypatch.setattr(tokens, "now", lambda: time.time() + 3700)
    response = browser.get("/private/")
    assert response.status_code == 302
    assert response.cookies["cf_session"]["max-age"] == 0
    assert cognito.calls[REFRESH] == 1


# --- R1 (a product form) ------------------------------------------------------------------------
def test_an_expired_token_on_a_profile_save_saves_exactly_once_and_keeps_the_sign_in_time(
    sign_in_client: Any, cognito: Any
) -> None:
    # R1: the POST of a real form, not only a test view: one refresh, one UpdateUserAttributes.
    browser = expired_browser(sign_in_client, cognito)
    original = opened_browser_state(browser)
    response = browser.post("/accounts/profile/", {"name": "Demo Renamed"})
    assert response.status_code in (200, 302)
    # One refresh for the expired token, one more so the new name shows at once (by design).
    assert cognito.calls[REFRESH] == 2
    assert cognito.calls["UpdateUserAttributes"] == 1
    assert "cf_session" in response.cookies
    # C7: the refreshed session keeps the original sign-in time (no extension).
    assert opened(response).auth_time == original
    copy_cookies(browser, response)
    assert "Demo Renamed" in text(browser.get("/accounts/profile/"))
    assert cognito.calls[REFRESH] == 2  # the chain of refresh tokens is intact: no reuse


def opened_browser_state(browser: Client) -> int:
    request = RequestFactory().get("/")
    request.COOKIES.update({k: m.value for k, m in browser.cookies.items()})
    state = cookies.read_session(request)
    assert state is not None
    return state.auth_time


# --- X3 for the session layer: a refresh against a hanging Cognito -----------------------------
def test_an_expired_session_with_cognito_hanging_answers_within_the_budget_and_keeps_cookies(
    sign_in_client: Any, cognito: Any, settings: Any
) -> None:
    import time

    from tests.fault_servers import silent_server

    browser = expired_browser(sign_in_client, cognito)
    with silent_server() as url:
        settings.COGNITO_ENDPOINT_URL = url
        settings.COGNITO_READ_TIMEOUT = 0.5
        started = time.monotonic()
        response = browser.get("/private/")
        elapsed = time.monotonic() - started
    assert elapsed < 3, elapsed
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert "cf_session" not in response.cookies  # never a sign-out because Cognito was slow
    assert gateway.attempts["GetTokensFromRefreshToken"] == 1  # a read timeout is not retried
