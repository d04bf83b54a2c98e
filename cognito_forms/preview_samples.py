"""The sample pool of the preview page: the real pool's cached description when there is one,
else a made-up pool with every attribute the settings mention. Never a Cognito call."""

from __future__ import annotations

from . import pool
from .conf import app_settings
from .types import AttributeSchema, ClientDescription, PasswordPolicy, PoolDescription


def sample_descriptions() -> tuple[PoolDescription, ClientDescription]:
    """The cached descriptions of the real pool if present, else a sample pool with every
    attribute the settings mention (no Cognito call either way)."""
    cached_pool, cached_client = pool.cached_descriptions()
    names = ["name", "phone_number", *app_settings.SIGNUP_ATTRIBUTES]
    names += [*app_settings.PROFILE_ATTRIBUTES, "custom:company"]
    attributes = [AttributeSchema(name="email", required=True)]
    for name in dict.fromkeys(names):
        if name != "email":
            attributes.append(AttributeSchema(name=name, max_length=64))
    sample_pool = PoolDescription(
        pool_id="preview",
        password_policy=PasswordPolicy(
            min_length=10,
            require_uppercase=True,
            require_lowercase=True,
            require_numbers=True,
            require_symbols=True,
        ),
        attributes=tuple(attributes),
        username_attributes=("email",),
    )
    sample_client = ClientDescription(
        client_id="preview",
        has_secret=False,
        explicit_auth_flows=("ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"),
        read_attributes=(),
        write_attributes=(),
        prevent_user_existence_errors="ENABLED",
        enable_token_revocation=True,
        refresh_token_rotation=True,
        retry_grace_period_seconds=10,
        access_token_validity_seconds=3600,
        id_token_validity_seconds=3600,
        refresh_token_validity_seconds=30 * 86400,
    )
    return cached_pool or sample_pool, cached_client or sample_client
