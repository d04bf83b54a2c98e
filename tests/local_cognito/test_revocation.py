"""RevokeToken and GlobalSignOut revoke whole token families."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from local_cognito import LocalCognito, SeedResult

from .conftest import error_of, make_client, sign_in

REVOKED = ("NotAuthorizedException", "Access Token has been revoked")


def _access_apis(idp: Any, token: str) -> list[Any]:
    return [
        lambda: idp.get_user(AccessToken=token),
        lambda: idp.update_user_attributes(
            AccessToken=token, UserAttributes=[{"Name": "name", "Value": "x"}]
        ),
        lambda: idp.change_password(
            AccessToken=token, PreviousPassword="Demo-Passw0rd!", ProposedPassword="Other-Passw0rd!"
        ),
        lambda: idp.get_user_attribute_verification_code(AccessToken=token, AttributeName="email"),
        lambda: idp.associate_software_token(AccessToken=token),
        lambda: idp.delete_user(AccessToken=token),
    ]


def test_revoke_token_kills_the_family(seed: SeedResult, idp: Any) -> None:
    mine, other = sign_in(idp, seed), sign_in(idp, seed)
    idp.revoke_token(ClientId=seed.client_id, Token=mine["RefreshToken"])
    for call in _access_apis(idp, mine["AccessToken"]):
        with pytest.raises(ClientError) as excinfo:
            call()
        assert error_of(excinfo) == REVOKED
    with pytest.raises(ClientError) as excinfo:
        idp.get_tokens_from_refresh_token(
            ClientId=seed.client_id, RefreshToken=mine["RefreshToken"]
        )
    assert error_of(excinfo) == ("NotAuthorizedException", "Refresh Token has been revoked")
    assert idp.get_user(AccessToken=other["AccessToken"])  # another sign-in is untouched


def test_revoke_token_also_revokes_rotated_descendants(seed: SeedResult, idp: Any) -> None:
    first = sign_in(idp, seed)
    rotated = idp.get_tokens_from_refresh_token(
        ClientId=seed.client_id, RefreshToken=first["RefreshToken"]
    )["AuthenticationResult"]
    idp.revoke_token(ClientId=seed.client_id, Token=rotated["RefreshToken"])
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.get_user(AccessToken=first["AccessToken"])


def test_revoke_token_refuses_access_tokens_and_other_clients(seed: SeedResult, idp: Any) -> None:
    tokens = sign_in(idp, seed)
    with pytest.raises(idp.exceptions.UnsupportedTokenTypeException):
        idp.revoke_token(ClientId=seed.client_id, Token=tokens["AccessToken"])
    other = idp.create_user_pool_client(UserPoolId=seed.pool_id, ClientName="other")
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.revoke_token(ClientId=other["UserPoolClient"]["ClientId"], Token=tokens["RefreshToken"])
    idp.revoke_token(ClientId=seed.client_id, Token="unknown-token")  # RFC 7009: no error


def test_revoke_token_unsupported_when_revocation_disabled(
    lc: LocalCognito, seed: SeedResult, idp: Any
) -> None:
    lc.update_client(EnableTokenRevocation=False)
    tokens = sign_in(idp, seed)
    with pytest.raises(idp.exceptions.UnsupportedOperationException):
        idp.revoke_token(ClientId=seed.client_id, Token=tokens["RefreshToken"])


@pytest.mark.parametrize("region", ["us-east-1", "eu-central-1"])
def test_global_sign_out_revokes_every_family_in_any_region(
    lc: LocalCognito, seed: SeedResult, region: str
) -> None:
    idp = make_client(lc, region)
    first, second = sign_in(idp, seed), sign_in(idp, seed)
    idp.global_sign_out(AccessToken=first["AccessToken"])
    for tokens in (first, second):
        with pytest.raises(ClientError) as excinfo:
            idp.get_user(AccessToken=tokens["AccessToken"])
        assert error_of(excinfo) == REVOKED
        with pytest.raises(idp.exceptions.NotAuthorizedException):
            idp.get_tokens_from_refresh_token(
                ClientId=seed.client_id, RefreshToken=tokens["RefreshToken"]
            )
    assert sign_in(idp, seed)["AccessToken"]  # signing in again works


def test_admin_global_sign_out_and_disable_revoke(seed: SeedResult, idp: Any) -> None:
    tokens = sign_in(idp, seed)
    idp.admin_user_global_sign_out(UserPoolId=seed.pool_id, Username=seed.demo_email)
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.get_user(AccessToken=tokens["AccessToken"])
    tokens = sign_in(idp, seed)
    idp.admin_disable_user(UserPoolId=seed.pool_id, Username=seed.demo_email)
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.get_user(AccessToken=tokens["AccessToken"])


def test_get_user_says_why_a_session_ended_outside_the_app(
    lc: LocalCognito, seed: SeedResult, idp: Any
) -> None:
    """What a site's periodic revalidation reads (docs/security.md S5), worded as AWS does:
    a signed-out or disabled user's token is revoked, a deleted user does not exist."""
    signed_out = sign_in(idp, seed)
    idp.admin_user_global_sign_out(UserPoolId=seed.pool_id, Username=seed.demo_email)
    with pytest.raises(ClientError) as excinfo:
        idp.get_user(AccessToken=signed_out["AccessToken"])
    assert error_of(excinfo) == REVOKED
    disabled = sign_in(idp, seed)
    idp.admin_disable_user(UserPoolId=seed.pool_id, Username=seed.demo_email)
    with pytest.raises(ClientError) as excinfo:
        idp.get_user(AccessToken=disabled["AccessToken"])
    assert error_of(excinfo) == REVOKED  # AdminDisableUser revokes the user's tokens
    idp.admin_enable_user(UserPoolId=seed.pool_id, Username=seed.demo_email)
    deleted = sign_in(idp, seed)
    idp.admin_delete_user(UserPoolId=seed.pool_id, Username=seed.demo_email)
    with pytest.raises(ClientError) as excinfo:
        idp.get_user(AccessToken=deleted["AccessToken"])
    assert error_of(excinfo) == ("UserNotFoundException", "User does not exist.")
    lc.clock.advance(3600)  # an expired token no longer tells: revoked, like the others
    with pytest.raises(ClientError) as excinfo:
        idp.get_user(AccessToken=deleted["AccessToken"])
    assert error_of(excinfo) == ("NotAuthorizedException", "Access Token has been revoked")
