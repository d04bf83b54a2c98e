"""Rate limits (docs/security.md A1, A2): parsing, counting in the shared cache, expiry and the
client IP."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from cognito_forms import ratelimit
from cognito_forms.exceptions import RateLimited
from cognito_forms.ratelimit import Rate, parse_rates
from cognito_forms.request_meta import client_ip, email_digest, request_id


@pytest.fixture
def rf() -> RequestFactory:
    return RequestFactory()


def _request(rf: RequestFactory, ip: str = "203.0.113.7", **meta: Any) -> Any:
    return rf.post("/accounts/forgot/", REMOTE_ADDR=ip, **meta)


@pytest.fixture
def frozen_time(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    now = [1_000_000.0]
    monkeypatch.setattr(ratelimit.time, "time", lambda: now[0])
    return now


def test_rates_parse_units_counts_and_scopes() -> None:
    assert parse_rates("20/m/ip,5/300s/key") == (Rate(20, 60, "ip"), Rate(5, 300, "key"))
    assert parse_rates("3/h/key, 7/d") == (Rate(3, 3600, "key"), Rate(7, 86400, "ip"))
    assert parse_rates("10/5m/ip") == (Rate(10, 300, "ip"),)
    assert parse_rates("1/s/ip") == (Rate(1, 1, "ip"),)
    assert parse_rates("5/300s/key_ip,50/h/key") == (Rate(5, 300, "key_ip"), Rate(50, 3600, "key"))


@pytest.mark.parametrize("spec", [None, ""])
def test_empty_rate_means_no_limit(spec: str | None) -> None:
    assert parse_rates(spec) == ()


@pytest.mark.parametrize(
    "spec", ["20", "20/x/ip", "a/m/ip", "5/m/user", "5/0s/ip", "5/m/ip,", "5/m/ip_key"]
)
def test_malformed_rates_are_refused(spec: str) -> None:
    with pytest.raises(ValueError, match="rate"):
        parse_rates(spec)


def test_the_attempt_after_the_limit_is_refused_with_retry_after(
    rf: RequestFactory, settings: Any, frozen_time: list[float]
) -> None:
    settings.COGNITO_RATE_LIMITS = {"forgot": "3/m/ip"}
    request = _request(rf)
    for _ in range(3):
        ratelimit.hit(request, "forgot")
    with pytest.raises(RateLimited) as refused:
        ratelimit.hit(request, "forgot")
    assert 1 <= refused.value.retry_after <= 60
    assert refused.value.status == 429


def test_limits_expire_with_their_window(
    rf: RequestFactory, settings: Any, frozen_time: list[float]
) -> None:
    settings.COGNITO_RATE_LIMITS = {"forgot": "2/m/ip"}
    request = _request(rf)
    ratelimit.hit(request, "forgot")
    ratelimit.hit(request, "forgot")
    with pytest.raises(RateLimited) as refused:
        ratelimit.hit(request, "forgot")
    frozen_time[0] += refused.value.retry_after
    ratelimit.hit(request, "forgot")  # a new window: no permanent lockout


def test_per_key_limit_follows_the_email_across_addresses_and_spelling(
    rf: RequestFactory, settings: Any, frozen_time: list[float]
) -> None:
    settings.COGNITO_RATE_LIMITS = {"forgot": "100/m/ip,2/m/key"}
    ratelimit.hit(_request(rf, "198.51.100.1"), "forgot", key="Alice@Example.com")
    ratelimit.hit(_request(rf, "198.51.100.2"), "forgot", key="  alice@example.com ")
    with pytest.raises(RateLimited):
        ratelimit.hit(_request(rf, "198.51.100.3"), "forgot", key="ALICE@example.COM")
    ratelimit.hit(_request(rf, "198.51.100.3"), "forgot", key="bob@example.com")


def test_per_ip_limit_applies_whatever_the_email(
    rf: RequestFactory, settings: Any, frozen_time: list[float]
) -> None:
    settings.COGNITO_RATE_LIMITS = {"signup": "2/m/ip"}
    ratelimit.hit(_request(rf), "signup", key="a@example.com")
    ratelimit.hit(_request(rf), "signup", key="b@example.com")
    with pytest.raises(RateLimited):
        ratelimit.hit(_request(rf), "signup", key="c@example.com")
    ratelimit.hit(_request(rf, "203.0.113.8"), "signup", key="c@example.com")


@pytest.mark.parametrize("off", [None, ""])
def test_a_limit_set_to_none_or_empty_is_off(
    rf: RequestFactory, settings: Any, off: str | None
) -> None:
    settings.COGNITO_RATE_LIMITS = {"signin": off}
    for _ in range(100):
        ratelimit.hit(_request(rf), "signin")


def test_failures_are_counted_only_when_recorded(
    rf: RequestFactory, settings: Any, frozen_time: list[float]
) -> None:
    settings.COGNITO_RATE_LIMITS = {"signin_failed": "10/m/ip,3/300s/key"}
    request = _request(rf)
    for _ in range(20):  # checks alone never count
        ratelimit.check(request, "signin_failed", key="alice@example.com")
    for _ in range(3):
        ratelimit.record_failure(request, "signin_failed", key="alice@example.com")
    with pytest.raises(RateLimited) as refused:
        ratelimit.check(request, "signin_failed", key="alice@example.com")
    assert 1 <= refused.value.retry_after <= 300
    ratelimit.check(request, "signin_failed", key="bob@example.com")


def test_clear_forgets_this_networks_failures_of_the_address_only(
    rf: RequestFactory, settings: Any, frozen_time: list[float]
) -> None:
    """After a success: the owner's own typos from this network are forgotten; the per-address
    ceiling (a distributed attack) and the per-network count (S7) are not."""
    settings.COGNITO_RATE_LIMITS = {"signin_failed": "3/m/ip,2/300s/key_ip,4/h/key"}
    request = _request(rf)
    ratelimit.record_failure(request, "signin_failed", key="alice@example.com")
    ratelimit.record_failure(request, "signin_failed", key="alice@example.com")
    ratelimit.clear(request, "signin_failed", key="alice@example.com")
    ratelimit.check(request, "signin_failed", key="alice@example.com")
    for n in range(2):  # two more networks fill the ceiling: 2 + 2 = 4
        elsewhere = _request(rf, f"198.51.100.{n}")
        ratelimit.record_failure(elsewhere, "signin_failed", key="alice@example.com")
    with pytest.raises(RateLimited):
        ratelimit.check(_request(rf, "198.51.100.9"), "signin_failed", key="alice@example.com")
    ratelimit.record_failure(request, "signin_failed", key="mallory@example.com")
    with pytest.raises(RateLimited):
        ratelimit.check(request, "signin_failed", key="carol@example.com")


def test_key_ip_counts_one_address_from_one_network(
    rf: RequestFactory, settings: Any, frozen_time: list[float]
) -> None:
    settings.COGNITO_RATE_LIMITS = {"signin_failed": "100/m/ip,2/300s/key_ip"}
    stranger = _request(rf, "198.51.100.1")
    for _ in range(2):
        ratelimit.record_failure(stranger, "signin_failed", key="Alice@Example.com")
    with pytest.raises(RateLimited) as refused:
        ratelimit.check(stranger, "signin_failed", key="alice@example.com")
    assert 1 <= refused.value.retry_after <= 300
    ratelimit.check(_request(rf, "203.0.113.50"), "signin_failed", key="alice@example.com")
    ratelimit.check(stranger, "signin_failed", key="bob@example.com")
    # One IPv6 host owns its /64: moving inside it is the same network.
    ipv6 = _request(rf, "2001:db8:5:6::1")
    for _ in range(2):
        ratelimit.record_failure(ipv6, "signin_failed", key="alice@example.com")
    with pytest.raises(RateLimited):
        ratelimit.check(_request(rf, "2001:db8:5:6::99"), "signin_failed", key="alice@example.com")


def test_check_can_skip_a_scope_that_still_counts(
    rf: RequestFactory, settings: Any, frozen_time: list[float]
) -> None:
    settings.COGNITO_RATE_LIMITS = {"signin_failed": "100/m/ip,1/h/key"}
    ratelimit.record_failure(_request(rf), "signin_failed", key="alice@example.com")
    ratelimit.check(_request(rf), "signin_failed", key="alice@example.com", skip=("key",))
    with pytest.raises(RateLimited):
        ratelimit.check(_request(rf), "signin_failed", key="alice@example.com")


def test_the_default_failed_sign_in_limits_are_per_network_with_a_per_address_ceiling() -> None:
    assert ratelimit.rates_for("signin_failed") == (
        Rate(10, 60, "ip"),
        Rate(5, 300, "key_ip"),
        Rate(50, 3600, "key"),
    )


def test_cache_keys_hold_neither_the_email_nor_the_ip(rf: RequestFactory, settings: Any) -> None:
    settings.COGNITO_RATE_LIMITS = {"forgot": "5/m/ip,5/m/key,5/m/key_ip"}
    ratelimit.hit(_request(rf, "203.0.113.99"), "forgot", key="Secret.Person@Example.com")
    keys = list(cache._cache.keys())  # type: ignore[attr-defined]
    assert len(keys) == 3
    for stored in keys:
        assert "secret.person" not in stored.lower()
        assert "203.0.113.99" not in stored
    assert any(email_digest("secret.person@example.com") in stored for stored in keys)


def test_a_broken_cache_does_not_lock_people_out(
    rf: RequestFactory, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.COGNITO_RATE_LIMITS = {"forgot": "1/m/ip"}

    class Down:
        def __getattr__(self, name: str) -> Any:
            raise ConnectionError("cache down")

    monkeypatch.setattr(ratelimit, "_cache", lambda: Down())
    for _ in range(3):
        ratelimit.hit(_request(rf), "forgot")
        ratelimit.check(_request(rf), "forgot")


def test_ipv6_addresses_of_one_network_share_a_limit(
    rf: RequestFactory, settings: Any, frozen_time: list[float]
) -> None:
    settings.COGNITO_RATE_LIMITS = {"signup": "2/m/ip"}
    ratelimit.hit(_request(rf, "2001:db8:1:2::1"), "signup")
    ratelimit.hit(_request(rf, "2001:db8:1:2::ffff"), "signup")
    with pytest.raises(RateLimited):
        ratelimit.hit(_request(rf, "2001:db8:1:2:abcd::9"), "signup")
    ratelimit.hit(_request(rf, "2001:db8:1:3::1"), "signup")


# --- the client IP (A2) -------------------------------------------------------------------------
def test_forwarded_for_is_ignored_without_trusted_proxies(rf: RequestFactory) -> None:
    request = _request(rf, "10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert client_ip(request) == "10.0.0.5"


def test_behind_one_proxy_the_right_most_entry_is_the_client(
    rf: RequestFactory, settings: Any
) -> None:
    settings.COGNITO_TRUSTED_PROXY_COUNT = 1
    request = _request(rf, "10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.1")
    assert client_ip(request) == "198.51.100.1"


def test_behind_two_proxies_the_second_from_the_right_is_the_client(
    rf: RequestFactory, settings: Any
) -> None:
    settings.COGNITO_TRUSTED_PROXY_COUNT = 2
    request = _request(rf, "10.0.0.5", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.1, 10.0.0.4")
    assert client_ip(request) == "198.51.100.1"


@pytest.mark.parametrize("header", ["", "198.51.100.1", "not-an-ip, 10.0.0.4"])
def test_a_short_or_garbled_forwarded_for_falls_back_to_the_peer(
    rf: RequestFactory, settings: Any, header: str
) -> None:
    settings.COGNITO_TRUSTED_PROXY_COUNT = 2
    request = _request(rf, "10.0.0.5", HTTP_X_FORWARDED_FOR=header)
    assert client_ip(request) == "10.0.0.5"


def test_a_spoofed_forwarded_for_cannot_escape_the_ip_limit(
    rf: RequestFactory, settings: Any, frozen_time: list[float]
) -> None:
    settings.COGNITO_TRUSTED_PROXY_COUNT = 1
    settings.COGNITO_RATE_LIMITS = {"signup": "2/m/ip"}
    for n in range(2):
        spoofed = _request(rf, "10.0.0.5", HTTP_X_FORWARDED_FOR=f"9.9.9.{n}, 198.51.100.1")
        ratelimit.hit(spoofed, "signup")
    with pytest.raises(RateLimited):
        ratelimit.hit(
            _request(rf, "10.0.0.5", HTTP_X_FORWARDED_FOR="9.9.9.9, 198.51.100.1"), "signup"
        )


def test_request_id_keeps_a_sane_header_and_replaces_anything_else(rf: RequestFactory) -> None:
    assert request_id(rf.get("/", HTTP_X_REQUEST_ID="abc-123.X:y_z")) == "abc-123.X:y_z"
    forged = request_id(rf.get("/", HTTP_X_REQUEST_ID="x\r\nevent=signin_ok"))
    assert "event" not in forged
    assert len(forged) == 32
    request = rf.get("/")
    assert request_id(request) == request_id(request)


# --- several processes sharing Redis ------------------------------------------------------------
_WORKER = """
import os, sys, time
os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
from django.conf import settings
settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                               "LOCATION": os.environ["REDIS_URL"], "KEY_PREFIX": sys.argv[1]}}
settings.COGNITO_RATE_LIMITS = {"forgot": "12/100000s/ip,1000/100000s/key"}
import django
django.setup()
from django.test import RequestFactory
from cognito_forms import ratelimit
from cognito_forms.exceptions import RateLimited
start = float(sys.argv[2])
while time.time() < start:
    time.sleep(0.005)
allowed = refused = 0
for n in range(10):
    request = RequestFactory().post("/", REMOTE_ADDR="198.51.100.77")
    try:
        ratelimit.hit(request, "forgot", key=f"user{n}@example.com")
        allowed += 1
    except RateLimited as error:
        assert error.retry_after > 0
        refused += 1
print(allowed, refused)
"""


@pytest.mark.production
def test_two_processes_sharing_redis_enforce_one_limit() -> None:
    if not os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL is not set")
    root = Path(__file__).resolve().parent.parent
    prefix = f"cf-test-{uuid.uuid4().hex}"
    start = str(time.time() + 2.0)
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", _WORKER, prefix, start],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = []
    for worker in workers:
        out, err = worker.communicate(timeout=60)
        assert worker.returncode == 0, err
        results.append(tuple(int(n) for n in out.split()))
    assert sum(allowed for allowed, _refused in results) == 12
    assert sum(refused for _allowed, refused in results) == 8
    import redis

    connection = redis.Redis.from_url(os.environ["REDIS_URL"])
    stale = list(connection.scan_iter(f"{prefix}:*"))
    assert stale  # the counters really lived in Redis
    connection.delete(*stale)
