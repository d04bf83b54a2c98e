"""Strangers cannot lock an owner out (docs/security.md S7): failed sign-ins are counted per
address *and network*, under a per-address ceiling across all networks that a browser the
address signed in from before is spared. Brute force stays stopped: 429 with Retry-After,
Cognito not called, and every limit expires.

The embedded Cognito has Cognito's own lockout (five wrong passwords, then waits doubling from
1 s); the tests lift it as an administrator would, as it is none of the site's doing."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client

from cognito_forms import gateway, ratelimit
from tests.journeys import STRONG, signed_in, text
from tests.session_helpers import idp_client

pytestmark = pytest.mark.django_db

OWNER = "owner@example.com"
URL = "/accounts/signin/"
STRANGER_NET = "198.51.100.7"
OWNER_NET = "203.0.113.50"


@pytest.fixture
def now(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The rate limits' clock, frozen inside one window (windows are fixed) and movable."""
    clock = [2_000_000_101.0]
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: clock[0]))
    return clock


@pytest.fixture
def owner(cognito: Any) -> str:
    cognito.create_user(OWNER, STRONG)
    return OWNER


def _post(client: Client, ip: str, password: str, email: str = OWNER) -> Any:
    return client.post(URL, {"email": email, "password": password}, REMOTE_ADDR=ip)


def _past_cognitos_own_lockout(cognito: Any) -> None:
    idp_client(cognito).admin_set_user_password(
        UserPoolId=cognito.seed.pool_id, Username=OWNER, Password=STRONG, Permanent=True
    )


def _refused(response: Any, cognito_calls_before: int) -> None:
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 3600
    assert "Too many attempts" in text(response)
    assert sum(gateway.calls.values()) == cognito_calls_before  # Cognito not asked


def test_the_owner_signs_in_from_another_network_while_a_stranger_hammers_the_address(
    cognito: Any, owner: str, now: list[float]
) -> None:
    stranger = Client()
    for n in range(5):  # the default: 5 failures per address per network in 5 minutes
        assert _post(stranger, STRANGER_NET, f"Guess-{n}-Passw0rd!").status_code == 200
    before = sum(gateway.calls.values())
    _refused(_post(stranger, STRANGER_NET, "Guess-5-Passw0rd!"), before)
    _past_cognitos_own_lockout(cognito)
    response = _post(Client(), OWNER_NET, STRONG)  # a browser never used before
    assert response.status_code == 302
    assert signed_in(response)
    before = sum(gateway.calls.values())
    _refused(_post(stranger, STRANGER_NET, STRONG), before)  # still stopped on its network


def test_the_ceiling_stops_a_distributed_attack_but_not_the_owners_known_browser(
    cognito: Any, owner: str, now: list[float], settings: Any
) -> None:
    # The default ceiling is 50 an hour; a smaller one keeps the test short.
    settings.COGNITO_RATE_LIMITS = {"signin_failed": "10/m/ip,5/300s/key_ip,6/h/key"}
    known = Client()
    assert signed_in(_post(known, OWNER_NET, STRONG))
    known.post("/accounts/signout/")
    for n in range(6):  # one guess from each of six networks
        assert _post(Client(), f"192.0.2.{n}", f"Guess-{n}-Passw0rd!").status_code == 200
    before = sum(gateway.calls.values())
    _refused(_post(Client(), "192.0.2.77", "Guess-7-Passw0rd!"), before)
    _refused(_post(Client(), "192.0.2.78", STRONG), before)  # a new browser: ceiling applies
    _past_cognitos_own_lockout(cognito)
    response = _post(known, "192.0.2.99", STRONG)  # from a café: another network
    assert response.status_code == 302
    assert signed_in(response)


def test_a_known_browser_is_still_stopped_per_network(
    cognito: Any, owner: str, now: list[float]
) -> None:
    known = Client()
    assert signed_in(_post(known, OWNER_NET, STRONG))
    known.post("/accounts/signout/")
    for n in range(5):
        assert _post(known, OWNER_NET, f"Typo-{n}-Passw0rd!").status_code == 200
    before = sum(gateway.calls.values())
    _refused(_post(known, OWNER_NET, STRONG), before)


def test_the_marker_is_for_one_address_and_cannot_be_forged(
    cognito: Any, owner: str, now: list[float], settings: Any
) -> None:
    settings.COGNITO_RATE_LIMITS = {"signin_failed": "10/m/ip,5/300s/key_ip,1/h/key"}
    cognito.create_user("other@example.com", STRONG)
    browser = Client()
    assert signed_in(_post(browser, OWNER_NET, STRONG))
    browser.post("/accounts/signout/")
    _post(Client(), STRANGER_NET, "Guess-Passw0rd-1!", email="other@example.com")
    before = sum(gateway.calls.values())
    # Known for owner@, not for other@: the ceiling applies to other@.
    _refused(_post(browser, OWNER_NET, STRONG, email="other@example.com"), before)
    forged = Client()
    forged.cookies["cf_device"] = browser.cookies["cf_device"].value[:-4]
    _post(Client(), STRANGER_NET, "Guess-Passw0rd-2!")
    before = sum(gateway.calls.values())
    _refused(_post(forged, OWNER_NET, STRONG), before)


def test_the_marker_cookie_is_httponly_and_holds_no_address(
    cognito: Any, owner: str, now: list[float]
) -> None:
    response = _post(Client(), OWNER_NET, STRONG)
    cookie = response.cookies["cf_device"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) >= 30 * 24 * 3600
    assert "owner" not in cookie.value
    assert "cf_device" not in _post(Client(), OWNER_NET, "Wrong-Passw0rd!").cookies


def test_limits_expire(cognito: Any, owner: str, now: list[float], settings: Any) -> None:
    settings.COGNITO_RATE_LIMITS = {"signin_failed": "10/m/ip,2/300s/key_ip,3/h/key"}
    stranger = Client()
    for n in range(2):
        _post(stranger, STRANGER_NET, f"Guess-{n}-Passw0rd!")
    response = _post(stranger, STRANGER_NET, "Guess-2-Passw0rd!")
    assert response.status_code == 429
    now[0] += int(response["Retry-After"])
    assert _post(stranger, STRANGER_NET, "Guess-3-Passw0rd!").status_code == 200  # 3 of 3/h
    response = _post(Client(), "192.0.2.1", "Guess-4-Passw0rd!")
    assert response.status_code == 429  # the ceiling, now
    now[0] += int(response["Retry-After"])
    _past_cognitos_own_lockout(cognito)
    assert signed_in(_post(Client(), "192.0.2.1", STRONG))
