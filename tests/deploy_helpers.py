"""Running Django in a child process the way a deployment does: the production settings with
placeholder values, and the demo site's settings for a gunicorn test site."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def clean_environ() -> dict[str, str]:
    """This process's environment without our own settings (a child must not inherit them)."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("COGNITO_", "DJANGO_"))}


def production_env(**overrides: str | None) -> dict[str, str]:
    """The production settings with the values a real deployment sets; ``None`` removes one."""
    env = clean_environ()
    env.update(
        DJANGO_SETTINGS_MODULE="site_project.settings_production",
        SECRET_KEY=secrets.token_hex(32),
        ALLOWED_HOSTS="www.example.com",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/cognito_forms",
        REDIS_URL="redis://127.0.0.1:6379/0",
        COGNITO_USER_POOL_ID="us-east-1_Placeholder1",
        COGNITO_CLIENT_ID="placeholderclient000000000",
    )
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def production_settings(*names: str) -> list[Any]:
    """The values of settings ``names`` as the production settings module computes them."""
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        f"print(json.dumps([getattr(s, n) for n in {list(names)!r}]))"
    )
    result = run_python(code, production_env())
    assert result.returncode == 0, result.stderr
    values: list[Any] = json.loads(result.stdout)
    return values


def site_env(
    cognito: Any,
    *,
    secret_key: str,
    redis_url: str,
    database_url: str,
    log_level: str = "WARNING",
    **extra: str,
) -> dict[str, str]:
    """The demo site's settings, DEBUG off, against the test's embedded Cognito."""
    return {
        **clean_environ(),
        "DJANGO_SETTINGS_MODULE": "site_project.settings",
        "DEBUG": "false",
        "SECRET_KEY": secret_key,
        "REDIS_URL": redis_url,
        "DATABASE_URL": database_url,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "COGNITO_ENDPOINT_URL": cognito.url,
        "COGNITO_USER_POOL_ID": cognito.seed.pool_id,
        "COGNITO_CLIENT_ID": cognito.seed.client_id,
        "COGNITO_REGION": cognito.seed.region,
        "COGNITO_LOCAL_EMULATOR": "true",
        "LOG_LEVEL": log_level,
        **extra,
    }


def migrate(env: dict[str, str]) -> None:
    # The emulator is refused by a system check outside DEBUG: that check is not under test.
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "--skip-checks", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
    )
