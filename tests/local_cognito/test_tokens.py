"""Tokens: signed with our JWKS, claims and lifetimes like real Cognito, opaque refresh tokens."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import jwt
import pytest

from local_cognito import LocalCognito, SeedResult

from .conftest import sign_in


def _verify(lc: LocalCognito, seed: SeedResult, token: str, **kwargs: Any) -> dict[str, Any]:
    url = f"{lc.base_url}/{seed.pool_id}/.well-known/jwks.json"
    with urllib.request.urlopen(url) as response:
        jwks = jwt.PyJWKSet.from_dict(json.load(response))
    kid = jwt.get_unverified_header(token)["kid"]
    key = next(k for k in jwks.keys if k.key_id == kid)
    return jwt.decode(
        token,
        key.key,
        algorithms=["RS256"],
        issuer=f"https://cognito-idp.us-east-1.amazonaws.com/{seed.pool_id}",
        **kwargs,
    )


def test_id_token_claims_follow_read_attributes(
    lc: LocalCognito, seed: SeedResult, idp: Any
) -> None:
    lc.create_user(
        "staff@example.com",
        "Staff-Passw0rd!",
        groups=("staff",),
        attributes={"custom:role": "admin", "custom:member_id": "M-1"},
    )
    lc.update_client(ReadAttributes=["email", "email_verified", "custom:role"])
    tokens = sign_in(idp, seed, "staff@example.com", "Staff-Passw0rd!")
    claims = _verify(lc, seed, tokens["IdToken"], audience=seed.client_id)
    assert claims["token_use"] == "id"
    assert claims["aud"] == seed.client_id
    assert claims["email"] == "staff@example.com"
    assert claims["email_verified"] is True
    assert claims["custom:role"] == "admin"
    assert "custom:member_id" not in claims  # not in ReadAttributes
    assert claims["cognito:groups"] == ["staff"]
    assert claims["cognito:username"] == claims["sub"]
    for name in ("auth_time", "iat", "exp", "jti", "origin_jti", "event_id"):
        assert name in claims
    assert jwt.get_unverified_header(tokens["IdToken"]) == {
        "alg": "RS256",
        "kid": jwt.get_unverified_header(tokens["IdToken"])["kid"],
    }


def test_access_token_claims(lc: LocalCognito, seed: SeedResult, idp: Any) -> None:
    tokens = sign_in(idp, seed)
    claims = _verify(lc, seed, tokens["AccessToken"])
    assert claims["token_use"] == "access"
    assert claims["client_id"] == seed.client_id
    assert claims["scope"] == "aws.cognito.signin.user.admin"
    assert claims["username"] == claims["sub"]
    assert "aud" not in claims
    assert "cognito:groups" not in claims
    id_claims = _verify(lc, seed, tokens["IdToken"], audience=seed.client_id)
    assert claims["origin_jti"] == id_claims["origin_jti"]
    assert claims["jti"] != id_claims["jti"]


def test_id_and_access_tokens_use_different_keys(
    lc: LocalCognito, seed: SeedResult, idp: Any
) -> None:
    tokens = sign_in(idp, seed)
    assert (
        jwt.get_unverified_header(tokens["IdToken"])["kid"]
        != jwt.get_unverified_header(tokens["AccessToken"])["kid"]
    )


def test_lifetimes_come_from_client_settings(lc: LocalCognito, seed: SeedResult, idp: Any) -> None:
    lc.update_client(
        AccessTokenValidity=5,
        IdTokenValidity=2,
        TokenValidityUnits={"AccessToken": "minutes", "IdToken": "hours", "RefreshToken": "days"},
    )
    tokens = sign_in(idp, seed)
    access = jwt.decode(tokens["AccessToken"], options={"verify_signature": False})
    ident = jwt.decode(tokens["IdToken"], options={"verify_signature": False})
    assert access["exp"] - access["iat"] == 300
    assert tokens["ExpiresIn"] == 300
    assert ident["exp"] - ident["iat"] == 7200


def test_token_times_follow_the_emulator_clock(
    lc: LocalCognito, seed: SeedResult, idp: Any
) -> None:
    lc.clock.advance(86400)
    claims = jwt.decode(sign_in(idp, seed)["AccessToken"], options={"verify_signature": False})
    assert abs(claims["iat"] - lc.clock.now()) < 5
    assert claims["auth_time"] == claims["iat"]


def test_refresh_token_is_opaque_and_cognito_sized(seed: SeedResult, idp: Any) -> None:
    refresh = sign_in(idp, seed)["RefreshToken"]
    assert len(refresh) > 1700
    assert refresh.count(".") == 4
    with pytest.raises(jwt.DecodeError):
        jwt.decode(refresh, options={"verify_signature": False})


def test_expired_access_token_is_refused(lc: LocalCognito, seed: SeedResult, idp: Any) -> None:
    tokens = sign_in(idp, seed)
    lc.clock.advance(3601)
    with pytest.raises(idp.exceptions.NotAuthorizedException, match="Access Token has expired"):
        idp.get_user(AccessToken=tokens["AccessToken"])


def test_forged_token_is_refused(seed: SeedResult, idp: Any) -> None:
    tokens = sign_in(idp, seed)
    header, payload, signature = tokens["AccessToken"].split(".")
    forged = ".".join([header, payload, signature[::-1]])
    with pytest.raises(idp.exceptions.NotAuthorizedException, match="Invalid Access Token"):
        idp.get_user(AccessToken=forged)
    with pytest.raises(idp.exceptions.NotAuthorizedException, match="Invalid Access Token"):
        idp.get_user(AccessToken=tokens["IdToken"])
