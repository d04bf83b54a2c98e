"""docs/security.md S5: a user disabled, signed out everywhere or deleted outside the site (the
AWS console or CLI, here boto3 against the embedded Cognito) is signed out of this site within
COGNITO_REVALIDATE_SECONDS: each session is checked with one GetUser per interval, single-flight,
never on the page views in between, and never signs anyone out when Cognito is away."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from cognito_forms import cookies, gateway
from cognito_forms.exceptions import ServiceUnavailable, TooManyRequests

from .account_helpers import make_sign_in_old
from .session_helpers import idp_client

pytestmark = pytest.mark.django_db

EMAIL = "pat@example.com"
PASSWORD = "Correct-Horse-9!"
PRIVATE = "/private/"
SIGN_IN_AGAIN = "/accounts/signin/?next=/private/"


@pytest.fixture
def browser(cognito: Any, sign_in_client: Callable[..., Client]) -> Client:
    """Pat's signed-in browser; the call counter starts at zero."""
    cognito.create_user(EMAIL, PASSWORD)
    signed_in = sign_in_client(EMAIL, PASSWORD)
    assert signed_in.get(PRIVATE).status_code == 200
    gateway.reset_counters()
    return signed_in


def later(cognito: Any, monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    """Move the site's clock and the emulator's forward (the access token stays valid)."""
    make_sign_in_old(cognito, monkeypatch, seconds=int(seconds))


def view(browser: Client) -> Any:
    return browser.get(PRIVATE)  # the test client keeps the cookies it is sent, as a browser


OUTSIDE = {
    "AdminDisableUser": lambda idp, pool: idp.admin_disable_user(UserPoolId=pool, Username=EMAIL),
    "AdminUserGlobalSignOut": lambda idp, pool: idp.admin_user_global_sign_out(
        UserPoolId=pool, Username=EMAIL
    ),
    "AdminDeleteUser": lambda idp, pool: idp.admin_delete_user(UserPoolId=pool, Username=EMAIL),
}


@pytest.mark.parametrize("action", sorted(OUTSIDE))
def test_a_change_made_outside_the_site_signs_the_browser_out_after_the_interval(
    browser: Client,
    cognito: Any,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    action: str,
) -> None:
    OUTSIDE[action](idp_client(cognito), cognito.seed.pool_id)
    later(cognito, monkeypatch, 299)

    assert view(browser).status_code == 200  # before the interval: still signed in ...
    assert cognito.total_calls() == 0  # ... and nothing asked Cognito

    later(cognito, monkeypatch, 2)
    caplog.set_level(logging.INFO, logger="cognito_forms.security")
    before = dict(browser.cookies.items())
    response = browser.get(PRIVATE)

    assert response.status_code == 302
    assert response["Location"] == SIGN_IN_AGAIN
    assert response.cookies["cf_session"]["max-age"] == 0
    assert "session_ended_elsewhere" in caplog.text
    assert dict(cognito.calls) == {"GetUser": 1}
    # The family is on the deny list: a copy of the cookies is anonymous without asking again.
    replay = Client()
    for name, morsel in before.items():
        replay.cookies[name] = morsel.value
    assert replay.get(PRIVATE)["Location"] == SIGN_IN_AGAIN
    assert dict(cognito.calls) == {"GetUser": 1}


def test_a_live_session_is_checked_once_per_interval_and_views_between_make_no_call(
    browser: Client, cognito: Any, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    settings.COGNITO_REVALIDATE_SECONDS = 300
    later(cognito, monkeypatch, 301)
    assert view(browser).status_code == 200
    assert dict(cognito.calls) == {"GetUser": 1}
    for _ in range(5):
        later(cognito, monkeypatch, 50)
        assert view(browser).status_code == 200
    assert dict(cognito.calls) == {"GetUser": 1}  # 250 s of views: no further call
    later(cognito, monkeypatch, 51)
    assert view(browser).status_code == 200
    assert dict(cognito.calls) == {"GetUser": 2}


def test_the_check_is_single_flight_across_browsers_holding_the_same_session(
    browser: Client, cognito: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A request arriving while another one asks Cognito is served without a call of its own,
    and a late one with the old cookie (another worker, say) reuses the answer."""
    later(cognito, monkeypatch, 301)
    old_cookies = dict(browser.cookies.items())

    def clone() -> Client:
        other = Client()
        for name, morsel in old_cookies.items():
            other.cookies[name] = morsel.value
        return other

    concurrent: list[int] = []
    real_get_user = gateway.get_user

    def get_user_while_another_request_comes(**kwargs: Any) -> Any:
        if not concurrent:  # meanwhile, a request of the same session (once)
            concurrent.append(0)
            concurrent[0] = clone().get(PRIVATE).status_code
        return real_get_user(**kwargs)

    monkeypatch.setattr(gateway, "get_user", get_user_while_another_request_comes)
    assert view(browser).status_code == 200
    assert concurrent == [200]
    assert clone().get(PRIVATE).status_code == 200  # late, still with the old cookie
    assert dict(cognito.calls) == {"GetUser": 1}


@pytest.mark.parametrize("error", [TooManyRequests, ServiceUnavailable])
def test_cognito_away_or_throttled_keeps_serving_and_asks_again_next_interval(
    browser: Client,
    cognito: Any,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    error: type[Exception],
) -> None:
    failures: list[int] = []

    def failing(**kwargs: Any) -> Any:
        failures.append(1)
        raise error("cognito is away")

    monkeypatch.setattr(gateway, "get_user", failing)
    later(cognito, monkeypatch, 301)
    caplog.set_level(logging.INFO, logger="cognito_forms.security")

    assert view(browser).status_code == 200
    assert "revalidation_failed" in caplog.text
    assert view(browser).status_code == 200
    assert len(failures) == 1  # not on every view while Cognito is away
    later(cognito, monkeypatch, 301)
    assert view(browser).status_code == 200
    assert len(failures) == 2


def test_an_unreachable_cognito_is_never_a_500(
    browser: Client, cognito: Any, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    idp_client(cognito).admin_disable_user(UserPoolId=cognito.seed.pool_id, Username=EMAIL)
    settings.COGNITO_ENDPOINT_URL = "http://127.0.0.1:9"  # nothing listens there
    settings.COGNITO_MAX_ATTEMPTS = 1
    later(cognito, monkeypatch, 301)
    assert view(browser).status_code == 200  # fail open until Cognito answers again


def test_with_the_interval_at_zero_no_check_is_made(
    browser: Client, cognito: Any, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    settings.COGNITO_REVALIDATE_SECONDS = 0
    idp_client(cognito).admin_disable_user(UserPoolId=cognito.seed.pool_id, Username=EMAIL)
    later(cognito, monkeypatch, 3000)
    assert view(browser).status_code == 200
    assert cognito.total_calls() == 0


def test_a_refresh_counts_as_a_check(
    browser: Client, cognito: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    later(cognito, monkeypatch, 3600)  # the access token is past its hour: refreshed
    assert view(browser).status_code == 200
    assert dict(cognito.calls) == {"GetTokensFromRefreshToken": 1}
    later(cognito, monkeypatch, 299)
    assert view(browser).status_code == 200
    assert dict(cognito.calls) == {"GetTokensFromRefreshToken": 1}


def test_a_cookie_from_before_revalidation_is_checked_an_interval_after_it_was_written() -> None:
    """No burst of GetUser calls when this ships: old cookies count from their last write."""
    old = cookies.SessionCookies.from_json(b'{"id":"i","ac":"a","at":100,"fam":"f","w":1234.5}')
    assert old.validated_at == 1234.5
    again = cookies.SessionCookies.from_json(old.to_json())
    assert again.validated_at == 1234.5
    never = cookies.SessionCookies.from_json(dataclasses.replace(old, validated_at=0.0).to_json())
    assert never.validated_at == 0.0  # "never vouched for" is not "unknown"
