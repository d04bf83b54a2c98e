"""docs/security.md T1-T11: token verification against a locally generated pool key."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from cognito_forms import tokens
from cognito_forms.exceptions import KeysUnavailable, TokenError
from cognito_forms.tokens import TokenExpired

from .jwks_server import (
    CLIENT_ID,
    POOL_ID,
    JwksServer,
    b64,
    claims,
    hand_made,
    hs256_with,
    new_key,
    public_jwk,
    sign,
    verifying_against,
)

KEY = new_key()
OTHER_KEY = new_key()


@pytest.fixture(scope="module")
def server() -> Iterator[JwksServer]:
    s = JwksServer()
    s.start()
    yield s
    s.stop()


@pytest.fixture
def jwks(server: JwksServer, settings: Any) -> Iterator[JwksServer]:
    server.keys = [public_jwk(KEY, "k1")]
    server.mode = "ok"
    server.fetches = 0
    server.paths.clear()
    with verifying_against(server, settings):
        yield server


def pass_the_cool_down(monkeypatch: pytest.MonkeyPatch) -> None:
    """Move the wall clock past COGNITO_JWKS_COOLDOWN (10 s here): a re-fetch is allowed."""
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 11)


def rejected(token: Any, use: str = "id") -> str:
    with pytest.raises(TokenError) as info:
        tokens.verify(token, use)  # type: ignore[arg-type]
    return info.value.reason


def test_genuine_id_and_access_tokens_verify(jwks: JwksServer) -> None:
    id_claims = tokens.verify(sign(claims("id"), KEY), "id")
    access_claims = tokens.verify(sign(claims("access"), KEY), "access")
    assert id_claims["email"] == "ann@example.com"
    assert access_claims["client_id"] == CLIENT_ID
    assert jwks.fetches == 1


# --- T1 ---------------------------------------------------------------------------------------
def test_changed_payload_with_kept_signature_is_rejected(jwks: JwksServer) -> None:
    header, _, signature = sign(claims("id"), KEY).split(".")
    forged = b64(json.dumps(claims("id", sub="someone-else")).encode())
    assert rejected(f"{header}.{forged}.{signature}") == "signature"


def test_empty_signature_is_rejected(jwks: JwksServer) -> None:
    header, payload, _ = sign(claims("id"), KEY).split(".")
    assert rejected(f"{header}.{payload}.") in ("signature", "malformed")


def test_token_signed_by_another_key_with_the_pools_kid_is_rejected(jwks: JwksServer) -> None:
    assert rejected(sign(claims("id"), OTHER_KEY)) == "signature"


# --- T2 / T3 ----------------------------------------------------------------------------------
@pytest.mark.parametrize("alg", ["none", "None", "nOnE", None, "RS384", "PS256", "ES256", "HS256"])
def test_only_rs256_is_accepted_and_decided_before_any_key_is_used(
    jwks: JwksServer, alg: str | None
) -> None:
    header: dict[str, Any] = {"typ": "JWT", "kid": "k1"}
    if alg is not None:
        header["alg"] = alg
    assert rejected(hand_made(header, claims("id"), b"")) == "algorithm"
    assert jwks.fetches == 0


def test_properly_signed_rs384_ps256_and_es256_tokens_are_rejected(jwks: JwksServer) -> None:
    ec_key = ec.generate_private_key(ec.SECP256R1())
    for token in (
        sign(claims("id"), KEY, alg="RS384"),
        sign(claims("id"), KEY, alg="PS256"),
        sign(claims("id"), ec_key, alg="ES256"),
    ):
        assert rejected(token) == "algorithm"
    assert jwks.fetches == 0


def test_hs256_signed_with_the_pools_public_key_is_rejected(jwks: JwksServer) -> None:
    pem = KEY.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    jwk_json = json.dumps(public_jwk(KEY, "k1")).encode()
    for secret in (pem, jwk_json):
        assert rejected(hs256_with(secret, claims("id"))) == "algorithm"


# --- T4 / T5 ----------------------------------------------------------------------------------
def test_unknown_or_missing_kid_is_rejected(jwks: JwksServer) -> None:
    assert rejected(sign(claims("id"), KEY, kid="unknown")) == "unknown_kid"
    assert rejected(sign(claims("id"), KEY, kid=None)) == "kid"


def test_200_unknown_kids_in_a_burst_cause_at_most_one_jwks_fetch(jwks: JwksServer) -> None:
    started = time.monotonic()
    for n in range(200):
        assert rejected(sign(claims("id"), KEY, kid=f"unknown{n}")) == "unknown_kid"
    assert jwks.fetches <= 1
    assert time.monotonic() - started < 10


def test_a_rotated_key_is_accepted_after_one_refetch_once_the_cool_down_passed(
    jwks: JwksServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    tokens.verify(sign(claims("id"), KEY), "id")
    assert jwks.fetches == 1
    jwks.keys = [public_jwk(KEY, "k1"), public_jwk(OTHER_KEY, "k2")]
    rotated = sign(claims("id"), OTHER_KEY, kid="k2")
    assert rejected(rotated) == "unknown_kid"  # within the cool-down: no fetch
    assert jwks.fetches == 1
    pass_the_cool_down(monkeypatch)
    assert tokens.verify(rotated, "id")["sub"]
    assert jwks.fetches == 2


@pytest.mark.parametrize("field", ["jku", "x5u", "jwk", "x5c"])
def test_key_material_in_the_header_is_ignored(jwks: JwksServer, field: str) -> None:
    attacker = public_jwk(OTHER_KEY, "k1")
    values = {
        "jku": "http://127.0.0.1:9/evil.json",
        "x5u": "http://127.0.0.1:9/evil.pem",
        "jwk": attacker,
        "x5c": ["MIIBIjANBg=="],
    }
    token = sign(claims("id"), OTHER_KEY, headers={field: values[field]})
    assert rejected(token) == "signature"
    assert all(path.endswith("/.well-known/jwks.json") for path in jwks.paths)


@pytest.mark.parametrize("kid", ["../../etc/passwd", "' OR 1=1 --", "k" * 10240, "", "k1\n"])
def test_odd_kid_values_are_rejected_without_a_fetch(jwks: JwksServer, kid: str) -> None:
    assert rejected(hand_made({"alg": "RS256", "kid": kid}, claims("id"))) == "kid"
    assert jwks.fetches == 0


# --- T6 / T7 / T8 -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "iss",
    [
        "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_OtherPool",
        "https://cognito-idp.us-east-1.amazonaws.com/" + POOL_ID + "/",
        "https://evil.example/" + POOL_ID,
    ],
)
def test_issuer_must_be_exactly_the_configured_pool(jwks: JwksServer, iss: str) -> None:
    assert rejected(sign(claims("id", iss=iss), KEY)) == "issuer"


def test_id_token_where_access_token_is_expected_and_vice_versa_is_rejected(
    jwks: JwksServer,
) -> None:
    assert rejected(sign(claims("id"), KEY), "access") == "token_use"
    assert rejected(sign(claims("access"), KEY), "id") in ("token_use", "missing_aud")


@pytest.mark.parametrize("token_use", [None, "refresh", "ID"])
def test_missing_or_odd_token_use_is_rejected(jwks: JwksServer, token_use: str | None) -> None:
    reason = rejected(sign(claims("id", token_use=token_use), KEY))
    assert reason in ("token_use", "missing_token_use")


@pytest.mark.parametrize("aud", ["otherclient000000000000001", [CLIENT_ID, "other"], [CLIENT_ID]])
def test_id_token_of_another_app_client_is_rejected(jwks: JwksServer, aud: Any) -> None:
    assert rejected(sign(claims("id", aud=aud), KEY)) == "audience"


def test_access_token_of_another_or_a_machine_client_is_rejected(jwks: JwksServer) -> None:
    other = claims("access", client_id="machineclient0000000000001", scope="api/read")
    assert rejected(sign(other, KEY), "access") == "client_id"
    assert rejected(sign(claims("access", client_id=None), KEY), "access") == "client_id"


# --- T9 ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["exp", "iat"])
def test_exp_and_iat_are_required(jwks: JwksServer, name: str) -> None:
    assert rejected(sign(claims("id", **{name: None}), KEY)) == f"missing_{name}"


def test_expired_beyond_the_leeway_is_rejected_and_within_it_accepted(
    jwks: JwksServer, settings: Any
) -> None:
    settings.COGNITO_CLOCK_LEEWAY = 30
    now = int(time.time())
    with pytest.raises(TokenExpired):
        tokens.verify(sign(claims("id", iat=now - 3700, exp=now - 31), KEY), "id")
    assert tokens.verify(sign(claims("id", iat=now - 3600, exp=now - 20), KEY), "id")


def test_leeway_is_capped_at_60_seconds(jwks: JwksServer, settings: Any) -> None:
    settings.COGNITO_CLOCK_LEEWAY = 3600
    now = int(time.time())
    with pytest.raises(TokenExpired):
        tokens.verify(sign(claims("id", iat=now - 3700, exp=now - 61), KEY), "id")


def test_a_cached_verification_still_expires(
    jwks: JwksServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = sign(claims("id"), KEY)
    tokens.verify(token, "id")
    monkeypatch.setattr(tokens, "now", lambda: time.time() + 3700)
    with pytest.raises(TokenExpired):
        tokens.verify(token, "id")


@pytest.mark.parametrize("name", ["nbf", "iat"])
def test_nbf_or_iat_in_the_future_is_rejected(jwks: JwksServer, name: str) -> None:
    future = int(time.time()) + 600
    reason = rejected(sign(claims("id", **{name: future}), KEY))
    assert reason in ("not_yet_valid", "issued_in_future")


# --- T10 --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "token",
    [
        "abc.def",
        "a.b.c.d",
        "!!!.@@@.###",
        "",
        None,
        12345,
        hand_made({"alg": "RS256", "kid": "k1"}, [1, 2, 3]),
        b64(b"[1]") + "." + b64(b"{}") + ".sig",
        "x" * 1_000_000,
        "eyJ" + "A" * 1_000_000 + ".e30.sig",
    ],
)
def test_malformed_input_is_refused_quickly(jwks: JwksServer, token: Any) -> None:
    started = time.monotonic()
    rejected(token)
    assert time.monotonic() - started < 0.5


def test_id_token_of_one_user_beside_access_token_of_another_is_rejected(
    jwks: JwksServer,
) -> None:
    id_token = sign(claims("id", sub="user-a"), KEY)
    access_token = sign(claims("access", sub="user-b"), KEY)
    with pytest.raises(TokenError) as info:
        tokens.verify_pair(id_token, access_token)
    assert info.value.reason == "subject_mismatch"


# --- T11 --------------------------------------------------------------------------------------
@pytest.mark.parametrize("mode", ["down", "slow", "empty", "invalid"])
def test_with_a_warm_cache_known_keys_verify_when_the_jwks_fails(
    jwks: JwksServer, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    tokens.verify(sign(claims("id"), KEY), "id")
    jwks.mode, jwks.delay = mode, 2.0
    pass_the_cool_down(monkeypatch)
    # An unknown kid makes it try; the failure keeps the keys it had.
    assert rejected(sign(claims("id"), KEY, kid="k9")) == "unknown_kid"
    assert jwks.fetches == 2
    assert tokens.verify(sign(claims("id", jti="another"), KEY), "id")["sub"]


@pytest.mark.parametrize("mode", ["down", "slow", "empty", "invalid"])
def test_cold_cache_and_jwks_failing_means_keys_unavailable_within_the_timeout(
    jwks: JwksServer, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    jwks.mode, jwks.delay = mode, 3.0
    started = time.monotonic()
    with pytest.raises(KeysUnavailable):
        tokens.verify(sign(claims("id"), KEY), "id")
    assert time.monotonic() - started < 2.0  # JWKS timeout is 0.5 s in these tests
    # It recovers without a restart once the endpoint does and the cool-down passed.
    jwks.mode = "ok"
    pass_the_cool_down(monkeypatch)
    assert tokens.verify(sign(claims("id"), KEY), "id")["sub"]


def test_the_jwks_is_shared_through_the_django_cache(jwks: JwksServer) -> None:
    tokens.verify(sign(claims("id"), KEY), "id")
    tokens.reset_caches()  # a second worker process: empty process cache, same Django cache
    tokens.verify(sign(claims("id", jti="other"), KEY), "id")
    assert jwks.fetches == 1


def test_a_repeated_token_is_not_verified_with_rsa_again(
    jwks: JwksServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    decodes = []
    real_decode = jwt.decode
    monkeypatch.setattr(
        tokens.jwt, "decode", lambda *a, **k: decodes.append(1) or real_decode(*a, **k)
    )
    token = sign(claims("id"), KEY)
    for _ in range(5):
        tokens.verify(token, "id")
    assert len(decodes) == 1


def test_a_rejected_token_is_never_logged(
    jwks: JwksServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    token = sign(claims("id"), OTHER_KEY)
    rejected(token)
    jwks.mode = "down"
    rejected(sign(claims("id"), KEY, kid="k7"))
    assert token not in caplog.text
    assert token.split(".")[2] not in caplog.text


# --- T5 ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("field", ["jku", "x5u"])
def test_a_genuine_token_naming_a_reachable_key_url_verifies_without_fetching_it(
    jwks: JwksServer,
    field: str,
) -> None:
    # T5: the header's URL points at a live server that would answer; it is never asked.
    evil = jwks.url.replace("/.well-known/jwks.json", "/evil/jwks.json")
    token = sign(claims("id"), KEY, headers={field: evil})
    assert tokens.verify(token, "id")["sub"]
    assert jwks.paths
    assert all(p.endswith("/.well-known/jwks.json") for p in jwks.paths)
    assert not any("evil" in p for p in jwks.paths)


def test_an_embedded_jwk_of_the_pools_own_key_changes_nothing(
    jwks: JwksServer,
) -> None:
    # T5: a header jwk is never used as the key, even when it is the right one for the kid.
    token = sign(claims("id"), KEY, kid="k-unknown", headers={"jwk": public_jwk(KEY, "k-unknown")})
    with pytest.raises(tokens.TokenError) as info:
        tokens.verify(token, "id")
    assert info.value.reason == "unknown_kid"
