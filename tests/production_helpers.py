"""The demo site the way production runs it, for the ``production`` tests: gunicorn with two
workers (:class:`Site`), the server's SECRET_KEY, its PostgreSQL database created on demand,
and the Cookie header of a browser that signed in."""

from __future__ import annotations

import secrets
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from django.http import HttpResponse
from django.test import RequestFactory

from cognito_forms import tokens
from cognito_forms.flows import session

from .session_helpers import fetch_tokens

ROOT = Path(__file__).resolve().parent.parent
SECRET_KEY = "production-test-" + secrets.token_hex(16)


def ensure_database(url: str) -> None:
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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Site:
    """gunicorn with 2 workers serving the demo site; ``restart()`` starts fresh processes."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env, self.log_path = env, log
        self.port = free_port()
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
