"""The signed-in hot path: repeated page views reuse this process's recent answers (the local
user, the deny-list check) for a few seconds instead of paying a database query and a shared
cache round trip each; changes still show at once in the process that made them and within the
configured bound everywhere else."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from cognito_forms import process_memo, revocation
from cognito_forms.process_memo import ProcessMemo


class FakeClock:
    def __init__(self) -> None:
        self.now = time.monotonic()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(process_memo.time, "monotonic", fake)
    return fake


def test_repeated_signed_in_page_views_make_no_query_and_no_cognito_call(
    signed_in_client: Client, cognito: Any, django_assert_num_queries: Any
) -> None:
    assert signed_in_client.get("/private/").status_code == 200
    with django_assert_num_queries(0):
        response = signed_in_client.get("/private/")
    assert response.status_code == 200
    assert "demo@example.com" in response.content.decode()
    assert cognito.total_calls() == 0


def test_with_the_user_memo_off_every_view_reads_the_user(
    signed_in_client: Client, settings: Any, django_assert_num_queries: Any
) -> None:
    settings.COGNITO_USER_CACHE_SECONDS = 0
    assert signed_in_client.get("/private/").status_code == 200
    with django_assert_num_queries(1):
        assert signed_in_client.get("/private/").status_code == 200


def test_a_user_deactivated_in_this_process_is_signed_out_on_the_next_view(
    signed_in_client: Client,
) -> None:
    assert signed_in_client.get("/private/").status_code == 200
    get_user_model().objects.filter(email="demo@example.com").update(is_active=False)
    user = get_user_model().objects.get(email="demo@example.com")
    user.save()  # a save (the admin, a view) in this process forgets the memo at once
    response = signed_in_client.get("/private/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/signin/")


def test_a_change_made_by_another_process_shows_within_the_user_cache_seconds(
    signed_in_client: Client, clock: FakeClock, settings: Any
) -> None:
    settings.COGNITO_USER_CACHE_SECONDS = 2
    assert signed_in_client.get("/private/").status_code == 200
    # Another worker deactivates the user: this process's memo does not hear of it...
    get_user_model().objects.filter(email="demo@example.com").update(is_active=False)
    assert signed_in_client.get("/private/").status_code == 200
    clock.now += 2.1
    # ...for at most COGNITO_USER_CACHE_SECONDS.
    assert signed_in_client.get("/private/").status_code == 302


def _revoke_in_another_process(monkeypatch: pytest.MonkeyPatch, family: str) -> None:
    # Another worker shares the cache (Redis) but has its own memo.
    with monkeypatch.context() as other:
        other.setattr(revocation, "_families", ProcessMemo())
        revocation.revoke_family(family, auth_time=int(time.time()))


def test_a_sign_out_in_another_worker_is_honoured_within_the_check_interval(
    clock: FakeClock, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    settings.COGNITO_REVOCATION_CHECK_SECONDS = 2
    now = int(time.time())
    assert not revocation.is_revoked(family="fam-1", sub="sub-1", auth_time=now)
    _revoke_in_another_process(monkeypatch, "fam-1")
    assert not revocation.is_revoked(family="fam-1", sub="sub-1", auth_time=now)
    clock.now += 2.1
    assert revocation.is_revoked(family="fam-1", sub="sub-1", auth_time=now)


def test_with_the_check_interval_at_zero_a_sign_out_elsewhere_is_honoured_at_once(
    monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    settings.COGNITO_REVOCATION_CHECK_SECONDS = 0
    now = int(time.time())
    assert not revocation.is_revoked(family="fam-2", sub="sub-2", auth_time=now)
    _revoke_in_another_process(monkeypatch, "fam-2")
    assert revocation.is_revoked(family="fam-2", sub="sub-2", auth_time=now)


def test_a_sign_out_in_this_process_is_honoured_at_once(settings: Any) -> None:
    settings.COGNITO_REVOCATION_CHECK_SECONDS = 60
    now = int(time.time())
    assert not revocation.is_revoked(family="fam-3", sub="sub-3", auth_time=now)
    revocation.revoke_family("fam-3", auth_time=now)
    assert revocation.is_revoked(family="fam-3", sub="sub-3", auth_time=now)
    revocation.revoke_user_sessions("sub-4")
    assert revocation.is_revoked(family="other", sub="sub-4", auth_time=now - 5)


def test_the_memo_is_bounded() -> None:
    memo = ProcessMemo(max_entries=3)
    for key in range(5):
        memo.set(key, key)
    assert memo.get(0, 10) is process_memo.MISSING
    assert memo.get(4, 10) == 4


def test_the_acting_browser_is_spared_in_every_process_others_of_that_second_are_not(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/security.md S4: the shared cache carries the exemption, not only this memo."""
    settings.COGNITO_REVOCATION_CHECK_SECONDS = 60
    signed_out_at = int(time.time())
    monkeypatch.setattr(revocation.tokens, "now", lambda: signed_out_at + 0.5)
    revocation.revoke_user_sessions("sub-5")
    revocation.spare_family("acting", auth_time=signed_out_at)
    process_memo.clear_all()  # another worker: only the shared cache
    assert not revocation.is_revoked(family="acting", sub="sub-5", auth_time=signed_out_at)
    assert revocation.is_revoked(family="other", sub="sub-5", auth_time=signed_out_at)
    assert revocation.is_revoked(family="older", sub="sub-5", auth_time=signed_out_at - 1)
    assert not revocation.is_revoked(family="later", sub="sub-5", auth_time=signed_out_at + 1)
