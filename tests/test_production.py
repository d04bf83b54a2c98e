"""docs/security.md R2 the way production runs: the demo site under gunicorn with two worker
processes sharing Redis and PostgreSQL. One browser whose access token expired sends 20
requests at once: all answer 200, Cognito sees exactly one refresh, the browser stays signed in.

Needs REDIS_URL and DATABASE_URL, e.g.::

    REDIS_URL=redis://127.0.0.1:6379/0 \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cognito_forms \\
    .venv/bin/python -m pytest tests/test_production.py -m production
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from cognito_forms import tokens
from cognito_forms.flows import session

from .session_helpers import fetch_tokens

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("REDIS_URL", "")
DATABASE_URL = os.environ.get("DATABASE_URL", "")
SECRET_KEY = "production-test-" + secrets.token_hex(16)

pytestmark = [
    pytest.mark.production,
    pytest.mark.skipif(not (REDIS_URL and DATABASE_URL), reason="needs REDIS_URL and DATABASE_URL"),
]


def _ensure_database(url: str) -> None:
    import psycopg

    parts = urllib.parse.urlparse(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Site:
    """gunicorn with 2 workers serving the demo site; ``restart()`` starts fresh processes."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env, self.log_path = env, log
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log_path.open("a") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "site_project.wsgi:application",
                    "--workers",
                    "2",
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--timeout",
                    "30",
                ],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(self.url + "/", timeout=10).read()
                return
            except OSError:  # refused, reset or timed out while the workers boot
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=15)
            self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()


@pytest.fixture
def site(cognito: Any, tmp_path: Path) -> Iterator[Site]:
    """The demo site under gunicorn (2 workers) against the test's embedded Cognito."""
    _ensure_database(DATABASE_URL)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "site_project.settings",
        "DEBUG": "false",
        "SECRET_KEY": SECRET_KEY,
        "REDIS_URL": REDIS_URL,
        "DATABASE_URL": DATABASE_URL,
        "CACHE_KEY_PREFIX": "cfprod-" + secrets.token_hex(4),  # no state from earlier runs
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "COGNITO_ENDPOINT_URL": cognito.url,
        "COGNITO_USER_POOL_ID": cognito.seed.pool_id,
        "COGNITO_CLIENT_ID": cognito.seed.client_id,
        "COGNITO_REGION": cognito.seed.region,
        "COGNITO_LOCAL_EMULATOR": "true",
        "LOG_LEVEL": "WARNING",
    }
    # The emulator is refused by a system check outside DEBUG: that check is not under test.
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "--skip-checks", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
    )
    server = Site(env, tmp_path / "gunicorn.log")
    server.start()
    try:
        yield server
    finally:
        server.stop()


def session_cookies(cognito: Any, settings: Any, age: int = 0) -> str:
    """A Cookie header for a browser that signed in ``age`` seconds ago."""
    settings.SECRET_KEY = SECRET_KEY  # seal the cookies with the server's key
    cognito.lc.clock.advance(-age)
    real_now = tokens.now
    tokens.now = cognito.lc.clock.now  # type: ignore[method-assign]
    try:
        tokens.reset_caches()
        response = HttpResponse()
        session.start(RequestFactory().get("/"), response, fetch_tokens(cognito))
    finally:
        tokens.now = real_now  # type: ignore[method-assign]
        cognito.lc.clock.advance(age)
    return "; ".join(f"{name}={m.value}" for name, m in response.cookies.items() if m.value)


def get(url: str, cookie: str, data: bytes | None = None) -> tuple[int, str, SimpleCookie]:
    request = urllib.request.Request(url, data=data, headers={"Cookie": cookie})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            jar: SimpleCookie = SimpleCookie()
            for header in response.headers.get_all("Set-Cookie") or []:
                jar.load(header)
            return response.status, response.read().decode(), jar
    except urllib.error.HTTPError as error:
        jar = SimpleCookie()
        for header in error.headers.get_all("Set-Cookie") or []:
            jar.load(header)
        return error.code, error.headers.get("Location", ""), jar


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@pytest.mark.django_db
def test_twenty_parallel_requests_after_expiry_on_two_workers_make_one_refresh(
    site: Site, cognito: Any, settings: Any
) -> None:
    cookie = session_cookies(cognito, settings, age=4200)  # tokens expired 10 minutes ago
    assert cognito.lc.calls["GetTokensFromRefreshToken"] == 0

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(lambda _: get(site.url + "/private/", cookie), range(20)))

    assert [status for status, _, _ in results] == [200] * 20
    assert all("demo@example.com" in body for _, body, _ in results)
    assert cognito.lc.calls["GetTokensFromRefreshToken"] == 1

    # The browser keeps the newest cookies it was given and is still signed in, refresh-free.
    jar = next(jar for _, _, jar in results if "cf_session" in jar)
    new_cookie = "; ".join(f"{name}={m.value}" for name, m in jar.items() if m.value)
    status, body, again = get(site.url + "/private/", new_cookie)
    assert status == 200
    assert "demo@example.com" in body
    assert "cf_session" not in again
    assert cognito.lc.calls["GetTokensFromRefreshToken"] == 1


@pytest.mark.django_db
def test_a_session_survives_a_restart_and_after_sign_out_its_replayed_cookies_are_anonymous(
    site: Site, cognito: Any, settings: Any
) -> None:
    cookie = session_cookies(cognito, settings)
    assert get(site.url + "/private/", cookie)[0] == 200
    site.restart()  # new worker processes: nothing in memory, keys and claims from scratch
    assert get(site.url + "/private/", cookie)[0] == 200

    status, _, jar = get(site.url + "/accounts/signout/", cookie)
    assert status == 200
    csrf = jar["csrftoken"].value
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": csrf}).encode()
    status, location, cleared = get(
        site.url + "/accounts/signout/", f"{cookie}; csrftoken={csrf}", data=form
    )
    assert status == 302
    assert cleared["cf_session"]["max-age"] == "0"
    assert cognito.lc.calls["RevokeToken"] == 1
    # The other worker may reuse its last deny-list answer for COGNITO_REVOCATION_CHECK_SECONDS
    # (2 s by default); after that, the old cookies replayed to either worker: the sign-in page.
    time.sleep(2.2)
    for _ in range(6):
        status, location, _ = get(site.url + "/private/", cookie)
        assert status == 302
        assert location.startswith("/accounts/signin/")
