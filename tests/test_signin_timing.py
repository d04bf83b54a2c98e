"""A failed sign-in tells nothing about the account (docs/security.md S9, with S6 and F2): for an
existing, unknown, unconfirmed, disabled or reset-required address the answer is the same in
status, page and cookies, and in time: every failure is padded to COGNITO_SIGNIN_FAILURE_FLOOR_MS
from the start of the POST (measured on the monotonic clock).

The suite records the padding instead of waiting (the ``sign_in_padding`` fixture);
:func:`test_failed_sign_ins_take_at_least_the_floor_for_real` waits for real."""

from __future__ import annotations

import time
from typing import Any

import pytest

from cognito_forms import timing
from tests.journeys import STRONG, signed_in
from tests.session_helpers import idp_client
from tests.signin_answers import answer, sign_in

pytestmark = pytest.mark.django_db

WRONG = "Wrong-Passw0rd-42!"
ACCOUNTS = {
    "existing": "existing@example.com",
    "unknown": "nobody@example.com",
    "unconfirmed": "pending@example.com",
    "disabled": "disabled@example.com",
    "reset-required": "reset@example.com",
}


@pytest.fixture
def accounts(cognito: Any) -> dict[str, str]:
    cognito.create_user(ACCOUNTS["existing"], STRONG)
    cognito.create_user(ACCOUNTS["unconfirmed"], STRONG, confirmed=False)
    cognito.create_user(ACCOUNTS["disabled"], STRONG, enabled=False)
    cognito.create_user(ACCOUNTS["reset-required"], STRONG)
    idp_client(cognito).admin_reset_user_password(
        UserPoolId=cognito.seed.pool_id, Username=ACCOUNTS["reset-required"]
    )
    return ACCOUNTS


def _timed(email: str, ip: str) -> tuple[Any, float]:
    started = time.monotonic()
    response = sign_in(email, WRONG, ip)
    return response, time.monotonic() - started


def test_failed_sign_ins_are_identical_whatever_the_account(
    accounts: dict[str, str], sign_in_padding: list[float], settings: Any
) -> None:
    floor = 2.0  # far above any answer of the embedded Cognito: the padding is always asked
    settings.COGNITO_SIGNIN_FAILURE_FLOOR_MS = int(floor * 1000)
    seen, padded = {}, {}
    for n, (state, email) in enumerate(accounts.items()):
        sign_in_padding.clear()
        response, took = _timed(email, f"198.51.100.{n}")
        seen[state] = answer(response, email)
        padded[state] = (took, list(sign_in_padding))
    assert seen["existing"][0] == 200
    for state, shown in seen.items():
        assert shown == seen["unknown"], state
    for state, (took, waits) in padded.items():
        # One wait, bringing the answer to the floor counted from the start of the POST.
        assert len(waits) == 1, state
        assert floor - took <= waits[0] <= floor, state


def test_failed_sign_ins_take_at_least_the_floor_for_real(
    accounts: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timing, "sleep", time.sleep)
    floor = 0.5  # the default COGNITO_SIGNIN_FAILURE_FLOOR_MS
    for n, (state, email) in enumerate(accounts.items()):
        response, took = _timed(email, f"198.51.100.{n}")
        assert response.status_code == 200, state
        assert took >= floor, (state, took)


def test_a_successful_sign_in_is_not_padded(cognito: Any, sign_in_padding: list[float]) -> None:
    assert signed_in(sign_in(cognito.seed.demo_email, cognito.seed.demo_password))
    assert sign_in_padding == []


def test_the_proven_owners_journeys_are_not_padded(
    accounts: dict[str, str], sign_in_padding: list[float]
) -> None:
    """The right password of an unconfirmed or reset-required account is not a failure: its
    owner is sent on (confirm, reset), which only the password's owner can see."""
    assert sign_in(accounts["unconfirmed"], STRONG)["Location"] == "/accounts/confirm/"
    response = sign_in(accounts["reset-required"], STRONG)
    assert response["Location"] == "/accounts/password/reset/"
    assert sign_in_padding == []


def test_a_floor_of_zero_turns_the_padding_off(
    accounts: dict[str, str], sign_in_padding: list[float], settings: Any
) -> None:
    settings.COGNITO_SIGNIN_FAILURE_FLOOR_MS = 0
    assert sign_in(accounts["existing"], WRONG).status_code == 200
    assert sign_in_padding == []


def test_pad_to_waits_out_the_rest_of_the_floor(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [100.0]
    asked: list[float] = []
    monkeypatch.setattr(timing, "monotonic", lambda: clock[0])
    monkeypatch.setattr(timing, "sleep", asked.append)
    clock[0] = 100.125
    assert timing.pad_to(100.0, 0.5) == pytest.approx(0.375)
    clock[0] = 100.75  # slower than the floor: nothing to add
    assert timing.pad_to(100.0, 0.5) == 0.0
    assert asked == [pytest.approx(0.375)]
