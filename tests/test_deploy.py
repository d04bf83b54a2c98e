"""Deployment (docs/security.md L3): production settings pass Django's deploy checks, refuse to
start without their secrets, and our own checks catch each misconfiguration they are meant to."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.checks import CheckMessage

from cognito_forms.checks import check_configuration, check_deployment

from .deploy_helpers import production_env, run_python

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_check_deploy_at_warning_level() -> None:
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_are_hardened() -> None:
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "import json; print(json.dumps([s.DEBUG, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
        "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.COGNITO_COOKIE_SECURE, s.COGNITO_LOCAL_EMULATOR, "
        "s.COGNITO_ENDPOINT_URL, s.ALLOWED_HOSTS, s.CACHES['default']['BACKEND'], "
        "s.LOGGING['loggers']['botocore']['level'], "
        "'cognito_forms.headers.SecurityHeadersMiddleware' in s.MIDDLEWARE, "
        "s.SECURE_PROXY_SSL_HEADER is None]))"
    )
    result = run_python(code, production_env(COGNITO_LOCAL_EMULATOR="True", DEBUG="True"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        '[false, true, 31536000, true, true, true, true, true, false, "", ["www.example.com"], '
        '"django.core.cache.backends.redis.RedisCache", "WARNING", true, true]'
    )


def test_proxy_ssl_header_is_trusted_only_when_configured() -> None:
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_PROXY_SSL_HEADER)"
    )
    result = run_python(code, production_env(SECURE_PROXY_SSL_HEADER="True"))
    assert result.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https')"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SECRET_KEY", None),
        ("SECRET_KEY", ""),
        ("SECRET_KEY", "insecure-local-development-key-change-me"),
        ("SECRET_KEY", "short"),
        ("ALLOWED_HOSTS", ""),
        ("REDIS_URL", ""),
        ("COGNITO_USER_POOL_ID", ""),
        ("COGNITO_CLIENT_ID", ""),
    ],
)
def test_production_settings_refuse_to_start_without_their_secrets(
    name: str, value: str | None
) -> None:
    # An empty variable wins over a developer's .env (django-environ never overrides), so
    # this holds whether or not a .env file exists.
    result = run_python("import site_project.settings_production", production_env(**{name: value}))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr


# --- our own checks, one test per id ------------------------------------------------------------
def _ids(messages: list[CheckMessage]) -> list[str]:
    return [str(m.id) for m in messages]


def test_the_test_configuration_passes_every_check(settings: Any) -> None:
    settings.DEBUG = True
    assert _ids(check_configuration()) == []


def test_e001_missing_pool_id(settings: Any) -> None:
    settings.COGNITO_USER_POOL_ID = ""
    assert "cognito_forms.E001" in _ids(check_configuration())


def test_e002_missing_client_id(settings: Any) -> None:
    settings.COGNITO_CLIENT_ID = ""
    assert "cognito_forms.E002" in _ids(check_configuration())


def test_e003_embedded_cognito_refused_when_debug_is_off(settings: Any) -> None:
    settings.DEBUG = False
    settings.COGNITO_LOCAL_EMULATOR = True
    assert "cognito_forms.E003" in _ids(check_configuration())
    settings.DEBUG = True
    assert "cognito_forms.E003" not in _ids(check_configuration())


def test_e004_plain_http_endpoint_refused_when_debug_is_off(settings: Any) -> None:
    settings.DEBUG = False
    settings.COGNITO_ENDPOINT_URL = "http://127.0.0.1:9229"
    assert "cognito_forms.E004" in _ids(check_configuration())
    settings.COGNITO_ENDPOINT_URL = ""
    assert "cognito_forms.E004" not in _ids(check_configuration())


def test_e005_unknown_auth_flow(settings: Any) -> None:
    settings.COGNITO_AUTH_FLOW = "ADMIN_USER_PASSWORD_AUTH"
    assert "cognito_forms.E005" in _ids(check_configuration())


@pytest.mark.parametrize("samesite", ["None", "", "lax-ish"])
def test_e006_token_cookies_must_be_samesite_lax_or_strict(settings: Any, samesite: str) -> None:
    settings.COGNITO_COOKIE_SAMESITE = samesite
    assert "cognito_forms.E006" in _ids(check_configuration())


@pytest.mark.parametrize("spec", ["20/minute", "5/m/user", "lots"])
def test_e007_malformed_rate_limit(settings: Any, spec: str) -> None:
    settings.COGNITO_RATE_LIMITS = {"signin": spec}
    assert "cognito_forms.E007" in _ids(check_configuration())


def test_e007_accepts_limits_turned_off(settings: Any) -> None:
    settings.COGNITO_RATE_LIMITS = {"signin": None, "signup": ""}
    assert "cognito_forms.E007" not in _ids(check_configuration())


def test_w001_insecure_token_cookies(settings: Any) -> None:
    settings.COGNITO_COOKIE_SECURE = False
    assert "cognito_forms.W001" in _ids(check_deployment())
    settings.COGNITO_COOKIE_SECURE = True
    assert "cognito_forms.W001" not in _ids(check_deployment())


def test_w002_per_process_cache_in_deployment(settings: Any) -> None:
    assert "cognito_forms.W002" in _ids(check_deployment())
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
        }
    }
    assert "cognito_forms.W002" not in _ids(check_deployment())
