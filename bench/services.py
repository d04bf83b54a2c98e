"""The services one benchmark run starts and stops: PostgreSQL database, Redis prefix, the
embedded Cognito (in-process, so its call counter and clock are at hand) and gunicorn."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
JWKS_SUFFIX = "/.well-known/jwks.json"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def ensure_database(url: str) -> str:
    """Create the database named in ``url`` if missing; return the server's version."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not found:
            conn.execute(f'CREATE DATABASE "{name}"')
        row = conn.execute("SHOW server_version").fetchone()
    return str(row[0]) if row else "?"


def redis_version(url: str) -> str:
    import redis

    client = redis.Redis.from_url(url, socket_timeout=5)
    try:
        return str(client.info("server").get("redis_version", "?"))
    finally:
        client.close()


# --- the embedded Cognito ---------------------------------------------------------------------
@dataclass
class Cognito:
    """The emulator, its seed, and every HTTP request it served (by path and method)."""

    lc: Any
    seed: Any
    url: str
    requests: Counter[str] = field(default_factory=Counter)

    def actions(self) -> Counter[str]:
        """Cognito API actions served so far (``lc.calls``), as a copy."""
        return Counter(self.lc.calls)

    def jwks_fetches(self) -> int:
        return sum(n for key, n in self.requests.items() if key.endswith(JWKS_SUFFIX))


def _count_requests(app: Any, counter: Counter[str]) -> Any:
    def counting(environ: dict[str, Any], start_response: Any) -> Any:
        counter[f"{environ.get('REQUEST_METHOD')} {environ.get('PATH_INFO')}"] += 1
        return app(environ, start_response)

    return counting


@contextlib.contextmanager
def cognito() -> Iterator[Cognito]:
    """Start the embedded Cognito on a free port, seeded, counting every request it serves."""
    from local_cognito import LocalCognito

    lc = LocalCognito()
    handle_requests: Counter[str] = Counter()
    url = _start_counted(lc, handle_requests)
    try:
        lc.reset()
        seed = lc.seed()
        yield Cognito(lc=lc, seed=seed, url=url, requests=handle_requests)
    finally:
        lc.stop_server()


def _start_counted(lc: Any, counter: Counter[str]) -> str:
    """``lc.start_server`` with its WSGI application wrapped to count requests by path (the
    emulator counts API actions itself, not JWKS GETs)."""
    from local_cognito import server

    original = server.application
    server.application = _count_requests(original, counter)
    try:
        return str(lc.start_server(host="127.0.0.1", port=0))
    finally:
        server.application = original


# --- commands and servers ---------------------------------------------------------------------
def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        check=True,
        timeout=120,
    )


def wait_http(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status < 500:
                    return
        except urllib.error.HTTPError as error:
            if error.code < 500:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


@contextlib.contextmanager
def gunicorn(
    env: dict[str, str], port: int, workers: int, worker_class: str, threads: int, log: Path
) -> Iterator[str]:
    """Serve the demo site (bench settings) on 127.0.0.1:port until the block ends."""
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "site_project.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        worker_class,
        "--threads",
        str(threads),
        "--backlog",
        "256",
        "--timeout",
        "60",
        "--log-level",
        "warning",
    ]
    with log.open("w") as out:
        process = subprocess.Popen(
            command, cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_http(base + "/")
            yield base
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=5)


def server_env(database_url: str, redis_url: str, prefix: str, cognito: Cognito) -> dict[str, str]:
    """The environment gunicorn and manage.py run with: bench settings, our services."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COGNITO_", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        CACHE_KEY_PREFIX=prefix,
        COGNITO_ENDPOINT_URL=cognito.url,
        COGNITO_USER_POOL_ID=cognito.seed.pool_id,
        COGNITO_CLIENT_ID=cognito.seed.client_id,
        COGNITO_REGION=cognito.seed.region,
        COGNITO_LOCAL_EMULATOR="True",
        PYTHONPATH=str(BASE_DIR),
    )
    return env
