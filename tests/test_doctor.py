"""cognito_doctor (docs/security.md A3): verdicts on the pool and client settings that matter
when the client ID is public; zero exit on the seeded pool, non-zero on each misconfiguration."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from cognito_forms import doctor
from cognito_forms.types import AttributeSchema, ClientDescription, PasswordPolicy, PoolDescription

ROOT = Path(__file__).resolve().parent.parent

POOL = PoolDescription(
    pool_id="us-east-1_LocalDemo",
    password_policy=PasswordPolicy(min_length=12, require_uppercase=True),
    attributes=(
        AttributeSchema("sub", required=True, mutable=False),
        AttributeSchema("email", required=True),
        AttributeSchema("name"),
        AttributeSchema("custom:company"),
        AttributeSchema("custom:role"),
        AttributeSchema("custom:member_id", mutable=False),
    ),
    username_attributes=("email",),
    mfa_configuration="OPTIONAL",
)
CLIENT = ClientDescription(
    client_id="localdemoclient00000000000",
    has_secret=False,
    explicit_auth_flows=("ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"),
    read_attributes=("email", "name", "custom:company", "custom:role"),
    write_attributes=("email", "name", "custom:company"),
    prevent_user_existence_errors="ENABLED",
    enable_token_revocation=True,
    refresh_token_rotation=True,
    retry_grace_period_seconds=10,
    access_token_validity_seconds=3600,
    id_token_validity_seconds=3600,
    refresh_token_validity_seconds=30 * 86400,
)


def _verdicts(pool: PoolDescription = POOL, **client_changes: Any) -> dict[str, set[str]]:
    client = dataclasses.replace(CLIENT, **client_changes)
    result: dict[str, set[str]] = {}
    for finding in doctor.diagnose(pool, client):
        result.setdefault(finding.verdict, set()).add(finding.check)
    return result


def _details(pool: PoolDescription = POOL, **client_changes: Any) -> str:
    client = dataclasses.replace(CLIENT, **client_changes)
    return "\n".join(f"{f.verdict} {f.detail}" for f in doctor.diagnose(pool, client))


# --- rules, unit level --------------------------------------------------------------------------
def test_a_well_configured_client_has_no_warning_or_failure() -> None:
    assert set(_verdicts()) == {"OK"}


def test_admin_password_flow_fails() -> None:
    flows = (*CLIENT.explicit_auth_flows, "ALLOW_ADMIN_USER_PASSWORD_AUTH")
    assert "auth flows" in _verdicts(explicit_auth_flows=flows)["FAIL"]


def test_password_flow_is_flagged_as_weaker() -> None:
    flows = (*CLIENT.explicit_auth_flows, "ALLOW_USER_PASSWORD_AUTH")
    verdicts = _verdicts(explicit_auth_flows=flows)
    assert "auth flows" in verdicts["WARN"]
    assert "FAIL" not in verdicts


def test_srp_must_be_allowed_when_the_site_signs_in_with_srp() -> None:
    verdicts = _verdicts(
        explicit_auth_flows=("ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH")
    )
    assert "auth flows" in verdicts["FAIL"]


def test_password_flow_must_be_allowed_when_configured(settings: Any) -> None:
    settings.COGNITO_AUTH_FLOW = "USER_PASSWORD_AUTH"
    assert "ALLOW_USER_PASSWORD_AUTH is off" in _details()


def test_refresh_flow_must_be_allowed() -> None:
    assert "auth flows" in _verdicts(explicit_auth_flows=("ALLOW_USER_SRP_AUTH",))["FAIL"]


def test_an_empty_flow_list_means_cognitos_defaults() -> None:
    verdicts = _verdicts(explicit_auth_flows=())
    assert "FAIL" not in verdicts
    assert "ALLOW_CUSTOM_AUTH is on" in _details(explicit_auth_flows=())


@pytest.mark.parametrize("value", ["LEGACY", ""])
def test_user_existence_errors_must_be_prevented(value: str) -> None:
    assert "PreventUserExistenceErrors" in _verdicts(prevent_user_existence_errors=value)["FAIL"]


def test_token_revocation_must_be_on() -> None:
    assert "token revocation" in _verdicts(enable_token_revocation=False)["FAIL"]


def test_rotation_off_is_a_warning() -> None:
    assert "refresh rotation" in _verdicts(refresh_token_rotation=False)["WARN"]


@pytest.mark.parametrize(("grace", "verdict"), [(0, "OK"), (10, "OK"), (30, "WARN"), (61, "FAIL")])
def test_rotation_grace_period(grace: int, verdict: str) -> None:
    assert "refresh rotation" in _verdicts(retry_grace_period_seconds=grace)[verdict]


def test_a_writable_role_attribute_fails() -> None:
    writes = (*CLIENT.write_attributes, "custom:role")
    assert "users can set custom:role" in _details(write_attributes=writes)


def test_an_empty_write_list_means_every_mutable_attribute_including_the_role() -> None:
    assert "users can set custom:role" in _details(write_attributes=())


def test_a_configured_privileged_attribute_fails_whatever_its_name(settings: Any) -> None:
    settings.COGNITO_PRIVILEGED_ATTRIBUTES = ["custom:company"]
    assert "users can set custom:company" in _details()


def test_sign_up_attributes_must_be_writable(settings: Any) -> None:
    settings.COGNITO_SIGNUP_ATTRIBUTES = ["name", "custom:company"]
    details = _details(write_attributes=("email", "name"))
    assert "sign-up needs custom:company writable" in details


def test_sign_up_attributes_must_not_grant_rights(settings: Any) -> None:
    settings.COGNITO_SIGNUP_ATTRIBUTES = ["custom:role"]
    assert "custom:role grants rights" in _details()


def test_sign_up_attributes_must_exist_in_the_pool(settings: Any) -> None:
    settings.COGNITO_SIGNUP_ATTRIBUTES = ["custom:nickname"]
    assert "not in the pool: custom:nickname" in _details()


def test_verified_flags_writable_is_a_warning() -> None:
    writes = (*CLIENT.write_attributes, "email_verified")
    assert "email_verified writable" in _details(write_attributes=writes)


@pytest.mark.parametrize(
    ("length", "verdict"), [(6, "FAIL"), (8, "WARN"), (10, "WARN"), (12, "OK")]
)
def test_password_minimum_length(length: int, verdict: str) -> None:
    pool = dataclasses.replace(POOL, password_policy=PasswordPolicy(min_length=length))
    assert "password policy" in _verdicts(pool)[verdict]


def test_mfa_off_is_a_warning() -> None:
    pool = dataclasses.replace(POOL, mfa_configuration="OFF")
    assert "MFA" in _verdicts(pool)["WARN"]


def test_access_tokens_longer_than_an_hour_fail() -> None:
    assert "access token lifetime" in _verdicts(access_token_validity_seconds=2 * 3600)["FAIL"]


def test_very_short_access_tokens_warn_of_constant_refresh() -> None:
    assert "access token lifetime" in _verdicts(access_token_validity_seconds=60)["WARN"]


def test_a_client_secret_must_match_the_settings(settings: Any) -> None:
    assert "client secret" in _verdicts(has_secret=True)["FAIL"]
    settings.COGNITO_CLIENT_SECRET = "s3cr3t"
    assert "client secret" in _verdicts(has_secret=False)["FAIL"]
    assert "client secret" in _verdicts(has_secret=True)["OK"]


def test_the_table_has_a_verdict_on_every_line() -> None:
    text = doctor.table(doctor.diagnose(POOL, CLIENT))
    rows = text.splitlines()[2:]
    assert len(rows) >= 10
    assert all(row.split()[0] in {"OK", "WARN", "FAIL"} for row in rows)


# --- the command against the embedded Cognito ----------------------------------------------------
def test_the_seeded_local_pool_passes(cognito: Any) -> None:
    out = StringIO()
    call_command("cognito_doctor", stdout=out)
    text = out.getvalue()
    assert "PreventUserExistenceErrors" in text
    assert "FAIL" not in text.replace(" 0 FAIL", "")
    assert cognito.calls["DescribeUserPool"] == 1
    assert cognito.calls["DescribeUserPoolClient"] == 1


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"PreventUserExistenceErrors": "LEGACY"}, "LEGACY: Cognito reveals"),
        ({"EnableTokenRevocation": False}, "sign-out cannot revoke"),
        (
            {"ExplicitAuthFlows": ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]},
            "ALLOW_ADMIN_USER_PASSWORD_AUTH is on",
        ),
        ({"WriteAttributes": ["email", "name", "custom:company", "custom:role"]}, "custom:role"),
        (
            {"AccessTokenValidity": 4, "TokenValidityUnits": {"AccessToken": "hours"}},
            "access token lifetime",
        ),
    ],
)
def test_a_misconfigured_local_client_fails(
    cognito: Any, change: dict[str, Any], expected: str
) -> None:
    cognito.lc.update_client(**change)
    out = StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("cognito_doctor", stdout=out)
    assert failed.value.returncode == 1
    assert expected in out.getvalue()


def test_an_unreachable_cognito_is_a_clear_message_without_traceback() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COGNITO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.settings",
        COGNITO_ENDPOINT_URL="http://127.0.0.1:9",
        COGNITO_USER_POOL_ID="us-east-1_LocalDemo",
        COGNITO_CLIENT_ID="localdemoclient00000000000",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "cognito_doctor"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "Could not read user pool us-east-1_LocalDemo" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
