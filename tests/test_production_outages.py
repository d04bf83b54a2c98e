"""docs/security.md S13 the way production runs: the demo site under gunicorn with two worker
processes, on a Redis and a PostgreSQL database of this test's own, which it switches off:
its own redis-server on a free port (stopped and started again), and a TCP proxy in front of
PostgreSQL that refuses or blackholes connections. Through HTTP on the workers: the health
check reports each dependency, signed-in users are served (Redis) or told to come back (the
database) instead of looping to sign-in, code forms fail closed, nothing answers 500, and no
response names the server software (S11).

Needs ``redis-server`` and a PostgreSQL reachable as DATABASE_URL (its database is not used:
this test creates ``cognito_forms_outage`` next to it)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cognito_forms \\
    .venv/bin/python -m pytest tests/test_production_outages.py -m production
"""

from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

import pytest

from tests.deploy_helpers import migrate, site_env
from tests.journeys import DEMO_EMAIL, DEMO_PASSWORD, STRONG, UNAVAILABLE
from tests.outage_services import DatabaseProxy, RedisServer
from tests.production_helpers import SECRET_KEY, Site, ensure_database, session_cookies

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get("DATABASE_URL", "")
OUTAGE_DATABASE = "cognito_forms_outage"

pytestmark = [
    pytest.mark.production,
    pytest.mark.skipif(not DATABASE_URL, reason="needs DATABASE_URL (a PostgreSQL server)"),
    pytest.mark.skipif(not RedisServer.available(), reason="needs redis-server"),
    pytest.mark.django_db,
]


@dataclass
class Answer:
    status: int
    headers: Any
    body: str
    cookies: SimpleCookie = field(default_factory=SimpleCookie)

    @property
    def location(self) -> str:
        return str(self.headers.get("Location", ""))


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def call(url: str, cookie: str = "", form: dict[str, str] | None = None) -> Answer:
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    request = urllib.request.Request(url, data=data, headers={"Cookie": cookie})
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=20) as response:
            answer = Answer(response.status, response.headers, response.read().decode())
    except urllib.error.HTTPError as error:
        answer = Answer(error.code, error.headers, error.read().decode())
    for header in answer.headers.get_all("Set-Cookie") or []:
        answer.cookies.load(header)
    # No 500 ever, and no response names the server software (S11).
    assert answer.status < 500 or answer.status == 503, (url, answer.status)
    assert "Server" not in answer.headers, answer.headers.get("Server")
    return answer


def cookie_header(*jars: SimpleCookie, base: str = "") -> str:
    values = dict(part.split("=", 1) for part in base.split("; ") if "=" in part)
    for jar in jars:
        for name, morsel in jar.items():
            if morsel.value and morsel["max-age"] != "0":
                values[name] = morsel.value
            else:
                values.pop(name, None)
    return "; ".join(f"{k}={v}" for k, v in values.items())


def post_form(site: Site, path: str, form: dict[str, str], cookie: str = "") -> Answer:
    """GET the page (for its CSRF cookie), then POST the form with it."""
    page = call(site.url + path, cookie)
    cookie = cookie_header(page.cookies, base=cookie)
    token = dict(part.split("=", 1) for part in cookie.split("; "))["csrftoken"]
    return call(site.url + path, cookie, {**form, "csrfmiddlewaretoken": token})


def health(site: Site, want: dict[str, str], within: float = 10.0) -> Answer:
    """Poll the health check (each worker reuses its report for a second) until it says
    ``want``; every answer is 200 or 503 with the three checks and nothing else."""
    deadline = time.monotonic() + within
    while True:
        answer = call(site.url + "/accounts/health/")
        report = json.loads(answer.body)
        assert set(report) == {"status", "checks"}
        assert set(report["checks"]) == {"keys", "cache", "database"}
        healthy = all(state == "ok" for state in report["checks"].values())
        assert answer.status == (200 if healthy else 503)
        if report["checks"] == want:
            return answer
        assert time.monotonic() < deadline, report
        time.sleep(0.2)


def assert_unavailable(answer: Answer) -> None:
    assert answer.status == 503, (answer.status, answer.location)
    assert int(answer.headers["Retry-After"]) > 0
    assert UNAVAILABLE in answer.body


OK = {"keys": "ok", "cache": "ok", "database": "ok"}


@pytest.fixture(scope="module")
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def database() -> Iterator[tuple[DatabaseProxy, str]]:
    """This test's own database, reached through a proxy it can switch off."""
    parts = urllib.parse.urlparse(DATABASE_URL)
    own = parts._replace(path=f"/{OUTAGE_DATABASE}").geturl()
    ensure_database(own)
    proxy = DatabaseProxy((parts.hostname or "127.0.0.1", parts.port or 5432))
    netloc = f"{parts.username or 'postgres'}@127.0.0.1:{proxy.port}"
    if parts.password:
        netloc = f"{parts.username}:{parts.password}@127.0.0.1:{proxy.port}"
    url = parts._replace(
        netloc=netloc, path=f"/{OUTAGE_DATABASE}", query="connect_timeout=2"
    ).geturl()
    try:
        yield proxy, url
    finally:
        proxy.close()


@pytest.fixture
def site(
    cognito: Any, redis_server: RedisServer, database: tuple[DatabaseProxy, str], tmp_path: Path
) -> Iterator[Site]:
    proxy, database_url = database
    proxy.set_mode("forward")
    if redis_server.process is None:
        redis_server.start()
    env = site_env(
        cognito,
        secret_key=SECRET_KEY,
        redis_url=redis_server.url,
        database_url=database_url,
        log_level="CRITICAL",
    )
    migrate(env)
    subprocess.run(["redis-cli", "-p", str(redis_server.port), "FLUSHALL"], check=False)
    server = Site(env, tmp_path / "gunicorn.log")
    server.start()
    try:
        yield server
    finally:
        server.stop()


def test_redis_stopped_signed_in_users_stay_signed_in_and_code_forms_fail_closed(
    site: Site, redis_server: RedisServer, cognito: Any, settings: Any
) -> None:
    health(site, OK)
    cookie = session_cookies(cognito, settings)
    assert call(site.url + "/private/", cookie).status == 200

    redis_server.stop()
    health(site, {"keys": "ok", "cache": "unavailable", "database": "ok"})
    for _ in range(6):  # both workers: the deny list fails open on its last answers
        assert call(site.url + "/private/", cookie).status == 200

    # A sign-in through the form, then the next page: signed in, not sent back to sign in.
    signin = post_form(site, "/accounts/signin/", {"email": DEMO_EMAIL, "password": DEMO_PASSWORD})
    assert signin.status == 302
    assert signin.location == "/private/"
    fresh = cookie_header(signin.cookies)
    for _ in range(4):
        page = call(site.url + "/private/", fresh)
        assert page.status == 200
        assert DEMO_EMAIL in page.body

    signup = post_form(
        site, "/accounts/signup/", {"email": "new@example.com", "password": STRONG, "name": "N"}
    )
    assert signup.status == 302  # the account is created; confirming it waits for Redis
    assert_unavailable(
        post_form(site, "/accounts/confirm/", {"email": "new@example.com", "code": "123456"})
    )
    assert_unavailable(
        post_form(
            site,
            "/accounts/password/reset/",
            {"email": DEMO_EMAIL, "code": "123456", "password": STRONG},
        )
    )
    assert cognito.calls["ConfirmSignUp"] == 0
    assert cognito.calls["ConfirmForgotPassword"] == 0

    redis_server.start()
    health(site, OK)
    assert call(site.url + "/private/", cookie).status == 200


def test_database_away_signed_in_pages_and_sign_in_answer_503_not_a_sign_in_loop(
    site: Site, database: tuple[DatabaseProxy, str], cognito: Any, settings: Any
) -> None:
    proxy, _url = database
    health(site, OK)
    cookie = session_cookies(cognito, settings)
    assert call(site.url + "/private/", cookie).status == 200

    proxy.set_mode("refuse")
    health(site, {"keys": "ok", "cache": "ok", "database": "unavailable"})
    time.sleep(2.1)  # past COGNITO_USER_CACHE_SECONDS: no worker reuses the user it loaded
    for _ in range(4):
        assert_unavailable(call(site.url + "/private/", cookie))
    assert call(site.url + "/accounts/brand.css", cookie).status == 200
    signin = post_form(site, "/accounts/signin/", {"email": DEMO_EMAIL, "password": DEMO_PASSWORD})
    assert_unavailable(signin)
    assert DEMO_EMAIL in signin.body  # the address is kept
    calls_before = cognito.calls["InitiateAuth"]
    assert calls_before == 0  # checked before Cognito was asked

    # A blackholed database: bounded by the connect timeout, the same answers.
    proxy.set_mode("blackhole")
    started = time.monotonic()
    assert_unavailable(call(site.url + "/private/", cookie))
    assert time.monotonic() - started < 10
    health(site, {"keys": "ok", "cache": "ok", "database": "unavailable"})

    proxy.set_mode("forward")
    health(site, OK)
    assert call(site.url + "/private/", cookie).status == 200
