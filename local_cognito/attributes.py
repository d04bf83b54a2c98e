"""User attributes checked against the pool schema and the app client's WriteAttributes."""

from __future__ import annotations

import re
from typing import Any

from moto.cognitoidp.models import CognitoIdpUser, CognitoIdpUserPool, CognitoIdpUserPoolClient

from . import errors

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+[0-9]{4,15}$")
UNWRITABLE = {"sub", "cognito:username", "cognito:mfa_enabled", "identities"}


def _schema_error(name: str, why: str) -> errors.CognitoError:
    return errors.InvalidParameter(f"Attributes did not conform to the schema: {name}: {why}")


def _check_value(pool: CognitoIdpUserPool, name: str, value: str) -> None:
    schema = pool.schema_attributes.get(name)
    if schema is None:
        raise _schema_error(name, "Attribute does not exist in the schema.")
    if name == "email" and not EMAIL.match(value):
        raise errors.InvalidParameter("Invalid email address format.")
    if name == "phone_number" and not PHONE.match(value):
        raise errors.InvalidParameter("Invalid phone number format.")
    if schema.data_type == "Number":
        limits: dict[str, Any] = schema.number_constraints or {}
        try:
            number = float(value)
        except ValueError:
            raise _schema_error(name, "Number must be a valid number") from None
        if "MinValue" in limits and number < float(limits["MinValue"]):
            raise _schema_error(
                name, f"Number must be greater than or equal to {limits['MinValue']}"
            )
        if "MaxValue" in limits and number > float(limits["MaxValue"]):
            raise _schema_error(name, f"Number must be less than or equal to {limits['MaxValue']}")
    elif schema.data_type == "String":
        limits = schema.string_constraints or {}
        if "MaxLength" in limits and len(value) > int(limits["MaxLength"]):
            raise _schema_error(
                name, f"String must be no longer than {limits['MaxLength']} characters"
            )
        if "MinLength" in limits and len(value) < int(limits["MinLength"]):
            raise _schema_error(name, f"String must be at least {limits['MinLength']} characters")
    elif schema.data_type == "Boolean" and value not in ("true", "false"):
        raise _schema_error(name, "Boolean must be true or false")


def validate_write(
    pool: CognitoIdpUserPool,
    client: CognitoIdpUserPoolClient | None,
    attributes: list[dict[str, str]] | None,
    user: CognitoIdpUser | None = None,
) -> dict[str, str]:
    """Flatten and validate; ``client`` None means an admin write; ``user`` None a new user."""
    values: dict[str, str] = {}
    for item in attributes or []:
        name, value = item.get("Name", ""), item.get("Value", "")
        if name in UNWRITABLE:
            raise errors.InvalidParameter(f"Cannot modify the non-mutable attribute {name}")
        _check_value(pool, name, value)
        if client is not None:
            writable = client.extended_config.get("WriteAttributes")
            if writable is not None and name not in writable:
                raise errors.NotAuthorized("A client attempted to write unauthorized attribute")
        schema = pool.schema_attributes[name]
        if user is not None and not schema.mutable and name in user.attribute_lookup:
            raise errors.InvalidParameter(
                f"Cannot modify an already provided immutable attribute: {name}"
            )
        values[name] = value
    return values


def missing_required(pool: CognitoIdpUserPool, values: dict[str, str]) -> list[str]:
    return [
        name
        for name, attr in pool.schema_attributes.items()
        if attr.required and name != "sub" and name not in values
    ]
