"""The refresh flow called directly (no test client): typed outcomes, and ``apply_refresh``,
the one way new tokens become a request's session, in the middleware and in account pages."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.test import Client, RequestFactory

from cognito_forms import cookies, gateway, request_auth, signals, tokens
from cognito_forms.exceptions import ServiceUnavailable
from cognito_forms.flows import refresh, revalidate
from cognito_forms.flows.refresh import Refreshed, SignInAgain, TryLater
from cognito_forms.middleware import CognitoAuthenticationMiddleware
from cognito_forms.models import CognitoIdentity

from .account_helpers import member
from .session_helpers import fetch_tokens, idp_client

pytestmark = pytest.mark.django_db

REFRESH = "GetTokensFromRefreshToken"
DEMO = "demo@example.com"


@pytest.fixture
def refreshed_signals() -> Iterator[list[dict[str, Any]]]:
    received: list[dict[str, Any]] = []
    signals.tokens_refreshed.connect(
        lambda **kw: received.append(kw), weak=False, dispatch_uid="test_refresh_flow"
    )
    yield received
    signals.tokens_refreshed.disconnect(dispatch_uid="test_refresh_flow")


def _session(cognito: Any) -> tuple[cookies.SessionCookies, str]:
    issued = fetch_tokens(cognito)
    id_claims, _ = tokens.verify_pair(issued.id_token, issued.access_token)
    state = cookies.SessionCookies(
        id_token=issued.id_token,
        access_token=issued.access_token,
        refresh_token=issued.refresh_token,
        auth_time=int(id_claims["auth_time"]),
        family="fam",
        written_at=time.time(),
    )
    return state, str(id_claims["sub"])


def test_the_first_request_leads_and_a_late_one_reuses_its_result(cognito: Any) -> None:
    state, sub = _session(cognito)
    first = refresh.refresh_session(RequestFactory().get("/"), state, sub=sub)
    late = refresh.refresh_session(RequestFactory().get("/"), state, sub=sub)
    assert isinstance(first, Refreshed)
    assert isinstance(late, Refreshed)
    assert (first.leader, late.leader) == (True, False)
    assert first.claims["sub"] == late.claims["sub"] == sub
    assert first.access_claims["sub"] == sub
    assert late.state.access_token == first.state.access_token != state.access_token
    assert (first.state.auth_time, first.state.family) == (state.auth_time, "fam")
    assert cognito.calls[REFRESH] == 1


def test_a_revoked_refresh_token_means_sign_in_again(cognito: Any) -> None:
    state, sub = _session(cognito)
    idp_client(cognito).admin_user_global_sign_out(
        UserPoolId=cognito.seed.pool_id, Username="demo@example.com"
    )
    assert refresh.refresh_session(RequestFactory().get("/"), state, sub=sub) == SignInAgain()


def test_cognito_away_means_try_later(cognito: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    state, sub = _session(cognito)

    def failing(**kwargs: Any) -> Any:
        raise ServiceUnavailable("down")

    monkeypatch.setattr(gateway, "refresh", failing)
    outcome = refresh.refresh_session(RequestFactory().get("/"), state, sub=sub)
    assert isinstance(outcome, TryLater)
    assert outcome.retry_after > 0


def test_apply_refresh_as_leader_updates_the_request_syncs_the_user_and_signals(
    cognito: Any, refreshed_signals: list[dict[str, Any]]
) -> None:
    state, sub = _session(cognito)
    outcome = refresh.refresh_session(RequestFactory().get("/"), state, sub=sub)
    assert isinstance(outcome, Refreshed)
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    refresh.apply_refresh(request, outcome)
    auth = request_auth.of(request)
    assert auth.session == outcome.state
    assert auth.claims == outcome.claims
    assert (auth.cookie_decision, auth.cookies_to_write) == ("write", outcome.state)
    assert request.user.is_authenticated  # the synced local user
    assert CognitoIdentity.objects.get(sub=sub).user == request.user
    assert [(s["sender"], s["sub"]) for s in refreshed_signals] == [
        (CognitoAuthenticationMiddleware, sub)
    ]


def test_apply_refresh_as_follower_neither_syncs_nor_signals(
    cognito: Any, refreshed_signals: list[dict[str, Any]]
) -> None:
    state, sub = _session(cognito)
    outcome = refresh.refresh_session(RequestFactory().get("/"), state, sub=sub)
    assert isinstance(outcome, Refreshed)
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    refresh.apply_refresh(request, Refreshed(outcome.state, outcome.claims, leader=False))
    assert request_auth.of(request).cookie_decision == "write"
    assert not request.user.is_authenticated
    assert not CognitoIdentity.objects.exists()
    assert refreshed_signals == []


def test_a_profile_save_applies_its_refresh_like_the_middleware(
    client: Client, cognito: Any, refreshed_signals: list[dict[str, Any]]
) -> None:
    """One apply_refresh: a page that refreshes after a change now sends tokens_refreshed and
    gets the new cookies the way the middleware sets them (never cached)."""
    sub = member(cognito, client, attributes={"name": "Ann Example"})
    response = client.post("/accounts/profile/", {"name": "Annabel Lee"})
    assert response.status_code == 302
    assert gateway.calls[REFRESH] == 1
    assert "cf_session" in response.cookies
    assert "no-cache" in response["Cache-Control"]
    assert [(s["sender"], s["sub"]) for s in refreshed_signals] == [
        (CognitoAuthenticationMiddleware, sub)
    ]


# --- the revalidation flow, directly (docs/security.md S5) -------------------------------------
def test_revalidation_vouches_for_a_standing_session_then_ends_a_disabled_one(
    cognito: Any, settings: Any
) -> None:
    settings.COGNITO_REVALIDATE_SECONDS = 600
    state, sub = _session(cognito)
    checked = revalidate.revalidate(RequestFactory().get("/"), state, sub=sub)
    assert isinstance(checked, revalidate.Vouched)
    assert checked.state.validated_at > state.validated_at
    assert cognito.calls["GetUser"] == 1
    cache.clear()  # the next interval
    idp_client(cognito).admin_disable_user(UserPoolId=cognito.seed.pool_id, Username=DEMO)
    assert revalidate.revalidate(RequestFactory().get("/"), state, sub=sub) == SignInAgain()


def test_revalidation_already_under_way_elsewhere_is_busy(cognito: Any, settings: Any) -> None:
    settings.COGNITO_REVALIDATE_SECONDS = 600
    state, sub = _session(cognito)
    lock_key, _ = revalidate._keys(state)
    cache.add(lock_key, 1)
    assert revalidate.revalidate(RequestFactory().get("/"), state, sub=sub) == revalidate.Busy()
    assert cognito.calls["GetUser"] == 0
