"""``manage.py cognito_doctor``: the pool and client settings that matter when the client ID is
public (docs/security.md A3), each with a verdict OK / WARN / FAIL.

The app client's ID is in every sign-in request, so anyone can call Cognito with it directly:
whatever the client allows (auth flows, attributes it may write, error messages that reveal
accounts) is allowed to everyone, not only to our forms. :func:`diagnose` is pure (descriptions
in, findings out) so every rule is unit-testable; :func:`run` reads the configured pool.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import gateway
from .conf import app_settings
from .exceptions import CognitoFormsError
from .types import ClientDescription, PoolDescription

OK, WARN, FAIL = "OK", "WARN", "FAIL"

#: Cognito's flows when a client lists none.
DEFAULT_FLOWS = ("ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH")
#: Custom attribute names that look like they grant rights.
PRIVILEGE_NAME = re.compile(
    r"role|group|admin|perm|staff|superuser|tenant|entitle|plan|tier|scope|level", re.I
)
GRACE_OK, GRACE_MAX = 10, 60
ACCESS_MAX = 3600


@dataclass(frozen=True)
class Finding:
    verdict: str
    check: str
    detail: str


class DoctorUnavailable(Exception):
    """The pool or client could not be read; ``str()`` says why, without a traceback."""


def _secret(client: ClientDescription) -> Finding:
    configured = bool(app_settings.CLIENT_SECRET)
    if client.has_secret and not configured:
        return Finding(FAIL, "client secret", "the client has a secret; set COGNITO_CLIENT_SECRET")
    if configured and not client.has_secret:
        return Finding(FAIL, "client secret", "COGNITO_CLIENT_SECRET is set; the client has none")
    if client.has_secret:
        return Finding(OK, "client secret", "present, and configured on the server only")
    return Finding(OK, "client secret", "none (public client), as configured")


def _flows(client: ClientDescription) -> list[Finding]:
    flows = set(client.explicit_auth_flows or DEFAULT_FLOWS)
    found: list[Finding] = []
    if "ALLOW_ADMIN_USER_PASSWORD_AUTH" in flows:
        found.append(Finding(FAIL, "auth flows", "ALLOW_ADMIN_USER_PASSWORD_AUTH is on: remove it"))
    wanted = {
        "USER_SRP_AUTH": "ALLOW_USER_SRP_AUTH",
        "USER_PASSWORD_AUTH": "ALLOW_USER_PASSWORD_AUTH",
    }
    needed = wanted.get(app_settings.AUTH_FLOW, "ALLOW_USER_SRP_AUTH")
    if needed not in flows:
        found.append(Finding(FAIL, "auth flows", f"{needed} is off but COGNITO_AUTH_FLOW needs it"))
    if app_settings.CHOICE_BASED_SIGN_IN and "ALLOW_USER_AUTH" not in flows:
        found.append(
            Finding(FAIL, "auth flows", "ALLOW_USER_AUTH is off but choice-based sign-in is on")
        )
    if "ALLOW_REFRESH_TOKEN_AUTH" not in flows:
        found.append(Finding(FAIL, "auth flows", "ALLOW_REFRESH_TOKEN_AUTH is off: no refresh"))
    if "ALLOW_USER_PASSWORD_AUTH" in flows:
        # Anyone with the client ID can then send plain passwords to Cognito, skipping SRP.
        found.append(
            Finding(WARN, "auth flows", "ALLOW_USER_PASSWORD_AUTH is on (weaker than SRP)")
        )
    if "ALLOW_CUSTOM_AUTH" in flows:
        found.append(
            Finding(WARN, "auth flows", "ALLOW_CUSTOM_AUTH is on; this site does not use it")
        )
    if not found:
        found.append(Finding(OK, "auth flows", ", ".join(sorted(flows))))
    return found


def _existence(client: ClientDescription) -> Finding:
    if client.prevent_user_existence_errors == "ENABLED":
        return Finding(OK, "PreventUserExistenceErrors", "ENABLED")
    return Finding(
        FAIL,
        "PreventUserExistenceErrors",
        f"{client.prevent_user_existence_errors}: Cognito reveals which emails have accounts",
    )


def _revocation(client: ClientDescription) -> Finding:
    if client.enable_token_revocation:
        return Finding(OK, "token revocation", "on")
    return Finding(FAIL, "token revocation", "off: sign-out cannot revoke refresh tokens")


def _rotation(client: ClientDescription) -> Finding:
    if not client.refresh_token_rotation:
        return Finding(WARN, "refresh rotation", "off: a stolen refresh token lives its whole life")
    grace = client.retry_grace_period_seconds
    if grace > GRACE_MAX:
        return Finding(FAIL, "refresh rotation", f"on, grace period {grace} s (> {GRACE_MAX} s)")
    if grace > GRACE_OK:
        return Finding(WARN, "refresh rotation", f"on, grace period {grace} s (> {GRACE_OK} s)")
    return Finding(OK, "refresh rotation", f"on, grace period {grace} s")


def privileged(name: str) -> bool:
    """Whether an attribute grants rights: configured as such, or named like a role/group."""
    if name in app_settings.PRIVILEGED_ATTRIBUTES:
        return True
    return name.startswith("custom:") and bool(PRIVILEGE_NAME.search(name))


def _attributes(pool: PoolDescription, client: ClientDescription) -> list[Finding]:
    found: list[Finding] = []
    schema = {a.name for a in pool.attributes}
    # An empty WriteAttributes lets the client write every mutable attribute.
    writable = set(client.write_attributes) or {a.name for a in pool.attributes if a.mutable}
    readable = set(client.read_attributes) or schema
    bad = sorted(name for name in writable if privileged(name))
    if bad:
        found.append(
            Finding(FAIL, "WriteAttributes", f"users can set {', '.join(bad)} on themselves")
        )
    verified = sorted(writable & {"email_verified", "phone_number_verified"})
    if verified:
        found.append(Finding(WARN, "WriteAttributes", f"{', '.join(verified)} writable"))
    # Cognito sets sub itself; developer-only attributes are never written by a client.
    required = {a.name for a in pool.attributes if a.required and not a.developer_only}
    wanted = set(app_settings.SIGNUP_ATTRIBUTES) | (required - {"sub"})
    missing = sorted(wanted - writable)
    if missing:
        found.append(
            Finding(FAIL, "WriteAttributes", f"sign-up needs {', '.join(missing)} writable")
        )
    privileged_signup = sorted(n for n in app_settings.SIGNUP_ATTRIBUTES if privileged(n))
    if privileged_signup:
        found.append(
            Finding(FAIL, "sign-up attributes", f"{', '.join(privileged_signup)} grants rights")
        )
    unknown = sorted(n for n in app_settings.SIGNUP_ATTRIBUTES if schema and n not in schema)
    if unknown:
        found.append(Finding(FAIL, "sign-up attributes", f"not in the pool: {', '.join(unknown)}"))
    if "email" not in readable:
        found.append(Finding(WARN, "ReadAttributes", "email is not readable: no email claim"))
    if not found:
        found.append(Finding(OK, "attributes", "writable set fits sign-up; nothing privileged"))
    return found


def _password_policy(pool: PoolDescription) -> Finding:
    policy = pool.password_policy
    if policy.min_length < 8:
        return Finding(FAIL, "password policy", f"minimum length {policy.min_length} (< 8)")
    if policy.min_length < 12:
        return Finding(WARN, "password policy", f"minimum length {policy.min_length} (< 12)")
    return Finding(OK, "password policy", f"minimum length {policy.min_length}")


def _mfa(pool: PoolDescription) -> Finding:
    if pool.mfa_configuration == "OFF":
        return Finding(WARN, "MFA", "OFF: users cannot add a second factor")
    return Finding(OK, "MFA", pool.mfa_configuration)


def _lifetimes(client: ClientDescription) -> list[Finding]:
    found: list[Finding] = []
    for label, seconds in (
        ("access token", client.access_token_validity_seconds),
        ("ID token", client.id_token_validity_seconds),
    ):
        minutes = seconds // 60
        if seconds > ACCESS_MAX:
            found.append(Finding(FAIL, f"{label} lifetime", f"{minutes} min (> 60 min)"))
        elif seconds <= 2 * app_settings.REFRESH_WINDOW:
            found.append(
                Finding(WARN, f"{label} lifetime", f"{minutes} min: refresh on every page")
            )
        else:
            found.append(Finding(OK, f"{label} lifetime", f"{minutes} min"))
    days = client.refresh_token_validity_seconds // 86400
    if client.refresh_token_validity_seconds > 90 * 86400:
        found.append(Finding(WARN, "refresh token lifetime", f"{days} days (> 90 days)"))
    else:
        found.append(Finding(OK, "refresh token lifetime", f"{days} days"))
    return found


def diagnose(pool: PoolDescription, client: ClientDescription) -> list[Finding]:
    """Every finding for this pool and client, in table order."""
    return [
        _secret(client),
        *_flows(client),
        _existence(client),
        _revocation(client),
        _rotation(client),
        *_attributes(pool, client),
        _password_policy(pool),
        _mfa(pool),
        *_lifetimes(client),
    ]


def run() -> list[Finding]:
    """Read the configured pool and client and diagnose them; raises DoctorUnavailable."""
    if not app_settings.USER_POOL_ID or not app_settings.CLIENT_ID:
        raise DoctorUnavailable("COGNITO_USER_POOL_ID and COGNITO_CLIENT_ID must be set.")
    try:
        pool = gateway.describe_pool()
        client = gateway.describe_client()
    except CognitoFormsError as error:
        # str(error) is the Cognito error code or the botocore error name: never a secret.
        raise DoctorUnavailable(
            f"Could not read user pool {app_settings.USER_POOL_ID} "
            f"({type(error).__name__}: {error}). Check COGNITO_ENDPOINT_URL/COGNITO_REGION, the "
            "network, and AWS credentials allowing cognito-idp:DescribeUserPool and "
            "DescribeUserPoolClient."
        ) from error
    return diagnose(pool, client)


def failed(findings: list[Finding]) -> bool:
    return any(f.verdict == FAIL for f in findings)


def table(findings: list[Finding]) -> str:
    """A plain-text table: verdict, check, detail."""
    width = max([len("check"), *(len(f.check) for f in findings)])
    lines = [f"{'verdict':<8}{'check':<{width + 2}}detail", "-" * (width + 40)]
    lines += [f"{f.verdict:<8}{f.check:<{width + 2}}{f.detail}" for f in findings]
    return "\n".join(lines)
