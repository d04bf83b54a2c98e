"""docs/security.md S11, informational hardening: the CSRF cookie (to which multi-step state is
bound) carries the ``__Host-`` prefix over HTTPS in production, the CSP refuses plugin content,
and no response names the server software. (Signing out forgets the remembered email:
tests/test_remembered_email.py.)"""

from __future__ import annotations

import json
import os
import runpy
import secrets
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client

from cognito_forms.headers import SecurityHeadersMiddleware
from tests.journeys import DEMO_EMAIL, DEMO_PASSWORD

ROOT = Path(__file__).resolve().parent.parent


def _production_settings(*names: str) -> list[Any]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COGNITO_", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="site_project.settings_production",
        SECRET_KEY=secrets.token_hex(32),
        ALLOWED_HOSTS="www.example.com",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/cognito_forms",
        REDIS_URL="redis://127.0.0.1:6379/0",
        COGNITO_USER_POOL_ID="us-east-1_Placeholder1",
        COGNITO_CLIENT_ID="placeholderclient000000000",
    )
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        f"print(json.dumps([getattr(s, n) for n in {list(names)!r}]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    values: list[Any] = json.loads(result.stdout)
    return values


def test_production_names_the_csrf_cookie_with_the_host_prefix() -> None:
    assert _production_settings(
        "CSRF_COOKIE_NAME", "CSRF_COOKIE_SECURE", "CSRF_COOKIE_PATH", "CSRF_COOKIE_DOMAIN"
    ) == ["__Host-csrftoken", True, "/", None]


@pytest.mark.django_db
def test_a_host_prefixed_csrf_cookie_is_host_only_and_signing_in_works_with_it(
    cognito: Any, settings: Any
) -> None:
    settings.CSRF_COOKIE_NAME = "__Host-csrftoken"
    settings.CSRF_COOKIE_SECURE = True
    settings.COGNITO_COOKIE_SECURE = True
    browser = Client(enforce_csrf_checks=True)
    page = browser.get("/accounts/signin/", secure=True)
    cookie = page.cookies["__Host-csrftoken"]
    # What browsers require of a __Host- cookie, or they drop it.
    assert cookie["secure"]
    assert cookie["path"] == "/"
    assert not cookie["domain"]
    token = page.context["csrf_token"]
    response = browser.post(
        "/accounts/signin/",
        {"email": DEMO_EMAIL, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token},
        secure=True,
        headers={"Origin": "https://testserver", "Referer": "https://testserver/accounts/"},
    )
    assert response.status_code == 302, response.content[:300]
    assert response["Location"] == "/private/"
    # Sign-in rotates the CSRF token (C5), still under the prefixed name.
    assert response.cookies["__Host-csrftoken"].value


@pytest.mark.django_db
def test_the_content_security_policy_refuses_plugins(client: Client) -> None:
    policy = client.get("/accounts/signin/")["Content-Security-Policy"]
    assert "object-src 'none'" in [part.strip() for part in policy.split(";")]


def test_a_server_header_set_by_the_application_is_dropped(rf: Any) -> None:
    def view(request: Any) -> HttpResponse:
        response = HttpResponse("ok")
        response["Server"] = "Apache/2.4.1 (Unix)"
        return response

    response = SecurityHeadersMiddleware(view)(rf.get("/"))
    assert "Server" not in response.headers


def test_gunicorn_configuration_leaves_out_the_server_header(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from gunicorn.http import wsgi

    monkeypatch.setattr(wsgi.Response, "default_headers", wsgi.Response.default_headers)
    request = SimpleNamespace(version=(1, 1), method="GET", should_close=lambda: False)
    cfg = SimpleNamespace(protocol="http")

    def status_lines() -> list[str]:
        response = wsgi.Response(request, sock=None, cfg=cfg)
        response.status, response.status_code = "200 OK", 200
        return list(response.default_headers())

    assert any(line.startswith("Server:") for line in status_lines())
    runpy.run_path(str(ROOT / "gunicorn.conf.py"))  # what gunicorn does when it starts
    lines = status_lines()
    assert lines[0].startswith("HTTP/1.1 200")
    assert not any(line.lower().startswith("server:") for line in lines)
    assert any(line.startswith("Date:") for line in lines)
