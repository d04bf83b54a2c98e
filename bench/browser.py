"""Signing in the way a browser does: GET the form, POST it with the CSRF token, keep the
cookies. The cookies then travel as one ``Cookie`` header per user into wrk's Lua script."""

from __future__ import annotations

import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import requests

_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TIMEOUT = 30


@dataclass(frozen=True)
class SignedIn:
    email: str
    cookie_header: str
    seconds: float


class SignInFailed(RuntimeError):
    pass


def _csrf(html: str) -> str:
    found = _CSRF_INPUT.search(html)
    if not found:
        raise SignInFailed("no CSRF token in the sign-in form")
    return found.group(1)


def cookie_header(session: requests.Session) -> str:
    return "; ".join(f"{c.name}={c.value}" for c in session.cookies)


#: A 503 with Retry-After is the site's "try again in a moment" (a cold worker still waiting
#: for the pool's keys another worker is fetching): a browser's user would try again, once.
RETRY_AFTER_503_MAX = 3.0


def sign_in(base: str, form_path: str, email: str, password: str, field: str) -> SignedIn:
    """GET ``form_path``, POST it back with the CSRF token; a redirect means signed in."""
    started = time.perf_counter()
    session = requests.Session()
    url = base + form_path
    for attempt in (1, 2):
        page = session.get(url, timeout=TIMEOUT)
        page.raise_for_status()
        answer = session.post(
            url,
            data={"csrfmiddlewaretoken": _csrf(page.text), field: email, "password": password},
            headers={"Referer": url},
            allow_redirects=False,
            timeout=TIMEOUT,
        )
        if answer.status_code != 503 or attempt == 2:
            break
        wait = min(float(answer.headers.get("Retry-After") or 1), RETRY_AFTER_503_MAX)
        print(f"sign-in of {email} answered 503; trying again in {wait:.0f} s", flush=True)
        time.sleep(wait)
    if answer.status_code != 302:
        raise SignInFailed(f"sign-in of {email} answered {answer.status_code}, not a redirect")
    seconds = time.perf_counter() - started
    return SignedIn(email=email, cookie_header=cookie_header(session), seconds=seconds)


def sign_in_all(
    base: str,
    form_path: str,
    users: list[tuple[str, str]],
    field: str = "email",
    concurrency: int = 4,
) -> tuple[list[SignedIn], float]:
    """Sign every user in, ``concurrency`` at a time; return them and the wall time."""
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        done = list(pool.map(lambda u: sign_in(base, form_path, u[0], u[1], field), users))
    return done, time.perf_counter() - started


def get(base: str, path: str, cookie: str) -> requests.Response:
    """One page view with a raw Cookie header, redirects not followed."""
    return requests.get(
        base + path, headers={"Cookie": cookie}, allow_redirects=False, timeout=TIMEOUT
    )
