"""The pool's password policy, checked wherever a password is set, worded like Cognito."""

from __future__ import annotations

import hmac
import string

from moto.cognitoidp.models import CognitoIdpUser, CognitoIdpUserPool

from . import errors

# Cognito's documented special characters (the space counts when not leading or trailing).
SYMBOLS = set("^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ")
PREFIX = "Password did not conform with policy: "


def policy(pool: CognitoIdpUserPool) -> dict[str, object]:
    return (pool.extended_config.get("Policies") or {}).get("PasswordPolicy") or {}


def check_policy(pool: CognitoIdpUserPool, password: str | None) -> None:
    """Raise InvalidPasswordException naming the first rule broken."""
    rules = policy(pool)
    password = password or ""
    if len(password) > 256:
        raise errors.InvalidParameter(
            "1 validation error detected: Value at 'password' failed to satisfy constraint: "
            "Member must have length less than or equal to 256"
        )
    minimum = int(rules.get("MinimumLength", 8))  # type: ignore[call-overload]
    if len(password) < minimum:
        raise errors.InvalidPassword(PREFIX + "Password not long enough")
    checks = [
        ("RequireLowercase", string.ascii_lowercase, "Password must have lowercase characters"),
        ("RequireUppercase", string.ascii_uppercase, "Password must have uppercase characters"),
        ("RequireNumbers", string.digits, "Password must have numeric characters"),
        ("RequireSymbols", SYMBOLS, "Password must have symbol characters"),
    ]
    for key, alphabet, message in checks:
        if rules.get(key, True) and not any(ch in alphabet for ch in password):
            raise errors.InvalidPassword(PREFIX + message)


def matches(user: CognitoIdpUser, password: str | None) -> bool:
    stored = user.password or ""
    return bool(password) and hmac.compare_digest(stored.encode(), (password or "").encode())
