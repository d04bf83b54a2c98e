"""Lookups on moto's data model, across every account and region (Cognito ids are global)."""

from __future__ import annotations

from collections.abc import Iterator

from moto.cognitoidp.models import (
    CognitoIdpBackend,
    CognitoIdpUser,
    CognitoIdpUserPool,
    CognitoIdpUserPoolClient,
    cognitoidp_backends,
)

from . import errors


def backends() -> Iterator[CognitoIdpBackend]:
    for account_backends in list(cognitoidp_backends.values()):
        for region, backend in list(account_backends.items()):
            if region not in ("global", "aws"):
                yield backend


def pools() -> Iterator[CognitoIdpUserPool]:
    for backend in backends():
        yield from list(backend.user_pools.values())


def find_pool(pool_id: str) -> CognitoIdpUserPool | None:
    return next((p for p in pools() if p.id == pool_id), None)


def require_pool(pool_id: str | None) -> CognitoIdpUserPool:
    """The pool, or ResourceNotFoundException like Cognito."""
    pool = find_pool(pool_id or "")
    if pool is None:
        raise errors.ResourceNotFound(f"User pool {pool_id} does not exist.")
    return pool


def require_user(pool: CognitoIdpUserPool, username: str | None) -> CognitoIdpUser:
    """The user (by any alias), or UserNotFoundException like the Admin* calls."""
    user = find_user(pool, username)
    if user is None:
        raise errors.UserNotFound("User does not exist.")
    return user


def backend_of_pool(pool_id: str) -> CognitoIdpBackend | None:
    return next((b for b in backends() if pool_id in b.user_pools), None)


def client_and_pool(client_id: str | None) -> tuple[CognitoIdpUserPoolClient, CognitoIdpUserPool]:
    """The app client and its pool, or ResourceNotFoundException like Cognito."""
    for pool in pools():
        client = pool.clients.get(client_id or "")
        if client is not None:
            return client, pool
    raise errors.ResourceNotFound(f"User pool client {client_id} does not exist.")


def attrs(user: CognitoIdpUser) -> dict[str, str]:
    return {a["Name"]: a["Value"] for a in user.attributes}


def find_user(pool: CognitoIdpUserPool, username: str | None) -> CognitoIdpUser | None:
    """By username, or by an alias from UsernameAttributes (emails compare case-insensitively)."""
    if not username:
        return None
    case_sensitive = pool.extended_config.get("UsernameConfiguration", {}).get(
        "CaseSensitive", True
    )
    for key, user in pool.users.items():
        if key == username or (not case_sensitive and key.lower() == username.lower()):
            return user
    for alias in pool.extended_config.get("UsernameAttributes", []) or []:
        for user in pool.users.values():
            value = attrs(user).get(alias)
            if value is None:
                continue
            if value == username or (alias == "email" and value.lower() == username.lower()):
                return user
    return None


def user_by_sub(pool: CognitoIdpUserPool, sub: str) -> CognitoIdpUser | None:
    return next((u for u in pool.users.values() if u.id == sub), None)


def set_attrs(user: CognitoIdpUser, values: dict[str, str]) -> None:
    user.update_attributes([{"Name": k, "Value": v} for k, v in values.items()])


def delete_attrs(user: CognitoIdpUser, names: list[str]) -> None:
    current = attrs(user)
    for name in names:
        current.pop(name, None)
    user.attributes = [{"Name": k, "Value": v} for k, v in current.items()]
    user.attribute_lookup = current


def prevent_existence_errors(client: CognitoIdpUserPoolClient) -> bool:
    return client.extended_config.get("PreventUserExistenceErrors") == "ENABLED"


def mask_destination(value: str, medium: str) -> str:
    """Cognito's CodeDeliveryDetails.Destination: ``d***@e***`` or ``+*******1234``."""
    if medium == "SMS":
        return "+" + "*" * max(len(value) - 5, 1) + value[-4:]
    local, _, domain = value.partition("@")
    return f"{local[:1]}***@{domain[:1]}***"
