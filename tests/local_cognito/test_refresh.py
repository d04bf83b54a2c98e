"""GetTokensFromRefreshToken with rotation and grace; REFRESH_TOKEN_AUTH as documented."""

from __future__ import annotations

from typing import Any

import jwt
import pytest
from botocore.exceptions import ClientError

from local_cognito import LocalCognito, SeedResult

from .conftest import error_of, sign_in


def _rotate(idp: Any, seed: SeedResult, refresh: str) -> dict[str, Any]:
    response = idp.get_tokens_from_refresh_token(ClientId=seed.client_id, RefreshToken=refresh)
    return response["AuthenticationResult"]


def _claims(token: str) -> dict[str, Any]:
    return jwt.decode(token, options={"verify_signature": False})


def test_rotation_issues_a_new_refresh_token_each_time(seed: SeedResult, idp: Any) -> None:
    first = sign_in(idp, seed)
    second = _rotate(idp, seed, first["RefreshToken"])
    third = _rotate(idp, seed, second["RefreshToken"])
    assert len({first["RefreshToken"], second["RefreshToken"], third["RefreshToken"]}) == 3
    origin = _claims(first["AccessToken"])["origin_jti"]
    assert _claims(third["AccessToken"])["origin_jti"] == origin
    assert _claims(third["IdToken"])["auth_time"] == _claims(first["IdToken"])["auth_time"]


def test_previous_token_works_within_grace_then_is_reuse(
    lc: LocalCognito, seed: SeedResult, idp: Any
) -> None:
    first = sign_in(idp, seed)
    _rotate(idp, seed, first["RefreshToken"])
    lc.clock.advance(5)
    assert _rotate(idp, seed, first["RefreshToken"])["AccessToken"]  # a retry in the grace
    lc.clock.advance(6)
    with pytest.raises(idp.exceptions.RefreshTokenReuseException):
        _rotate(idp, seed, first["RefreshToken"])


def test_zero_grace_refuses_the_old_token_at_once(
    lc: LocalCognito, seed: SeedResult, idp: Any
) -> None:
    lc.update_client(RefreshTokenRotation={"Feature": "ENABLED", "RetryGracePeriodSeconds": 0})
    first = sign_in(idp, seed)
    _rotate(idp, seed, first["RefreshToken"])
    with pytest.raises(idp.exceptions.RefreshTokenReuseException):
        _rotate(idp, seed, first["RefreshToken"])


def test_rotation_disabled_keeps_the_refresh_token(
    lc: LocalCognito, seed: SeedResult, idp: Any
) -> None:
    lc.update_client(RefreshTokenRotation={"Feature": "DISABLED"})
    first = sign_in(idp, seed)
    for _ in range(2):
        result = _rotate(idp, seed, first["RefreshToken"])
        assert "RefreshToken" not in result
        assert result["AccessToken"]
    via_initiate = idp.initiate_auth(
        ClientId=seed.client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": first["RefreshToken"]},
    )
    assert "RefreshToken" not in via_initiate["AuthenticationResult"]
    assert via_initiate["AuthenticationResult"]["IdToken"]


def test_refresh_token_auth_is_refused_when_rotation_is_on(seed: SeedResult, idp: Any) -> None:
    first = sign_in(idp, seed)
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.initiate_auth(
            ClientId=seed.client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": first["RefreshToken"]},
        )


def test_refresh_token_expires_with_the_client_validity(
    lc: LocalCognito, seed: SeedResult, idp: Any
) -> None:
    first = sign_in(idp, seed)
    lc.clock.advance(30 * 86400 + 1)
    with pytest.raises(ClientError) as excinfo:
        _rotate(idp, seed, first["RefreshToken"])
    assert error_of(excinfo) == ("NotAuthorizedException", "Refresh Token has expired")


def test_garbage_or_other_client_refresh_token_is_invalid(seed: SeedResult, idp: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        _rotate(idp, seed, "not-a-token")
    assert error_of(excinfo) == ("NotAuthorizedException", "Invalid Refresh Token.")
    other = idp.create_user_pool_client(UserPoolId=seed.pool_id, ClientName="other")
    first = sign_in(idp, seed)
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.get_tokens_from_refresh_token(
            ClientId=other["UserPoolClient"]["ClientId"], RefreshToken=first["RefreshToken"]
        )


def test_refreshed_tokens_carry_new_attribute_values(
    lc: LocalCognito, seed: SeedResult, idp: Any
) -> None:
    first = sign_in(idp, seed)
    idp.update_user_attributes(
        AccessToken=first["AccessToken"], UserAttributes=[{"Name": "name", "Value": "Renamed"}]
    )
    second = _rotate(idp, seed, first["RefreshToken"])
    assert _claims(second["IdToken"])["name"] == "Renamed"
