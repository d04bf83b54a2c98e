"""The measured phases of one run; each returns plain numbers for the report."""

from __future__ import annotations

import statistics
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import requests

from . import browser, load
from .services import Cognito

#: Cognito actions that are a refresh (the product uses GetTokensFromRefreshToken; a
#: REFRESH_TOKEN_AUTH InitiateAuth would also count).
REFRESH_ACTIONS = ("GetTokensFromRefreshToken", "InitiateAuth")


def delta(after: Counter[str], before: Counter[str]) -> Counter[str]:
    return Counter({k: after[k] - before[k] for k in after if after[k] - before[k]})


# --- page views under load ---------------------------------------------------------------------
@dataclass
class PageLoad:
    """One page across rounds: throughput from the sum, latencies averaged over rounds."""

    label: str
    path: str
    rounds: list[load.LoadResult] = field(default_factory=list)
    cognito_calls: int = 0

    @property
    def ok(self) -> int:
        return sum(r.ok for r in self.rounds)

    @property
    def not_ok(self) -> int:
        return sum(r.not_ok + r.socket_errors for r in self.rounds)

    @property
    def rps(self) -> float:
        """Median over rounds: one round disturbed by a noisy neighbour (this machine is a
        shared VM) must not decide the ratio; every round is still in ``rounds``."""
        rates = [r.rps for r in self.rounds if r.seconds]
        return statistics.median(rates) if rates else 0.0

    @property
    def rps_range(self) -> tuple[float, float]:
        rates = [r.rps for r in self.rounds if r.seconds]
        return (min(rates), max(rates)) if rates else (0.0, 0.0)

    @property
    def p50_ms(self) -> float:
        return statistics.fmean(r.p50_ms for r in self.rounds) if self.rounds else 0.0

    @property
    def p99_ms(self) -> float:
        return statistics.fmean(r.p99_ms for r in self.rounds) if self.rounds else 0.0

    @property
    def calls_per_view(self) -> float:
        return self.cognito_calls / self.ok if self.ok else 0.0


def page_load(
    cognito: Cognito,
    base: str,
    pages: list[PageLoad],
    cookie_files: dict[str, Path | None],
    *,
    seconds: float,
    warmup: float,
    rounds: int,
    connections: int,
) -> None:
    """Interleave the pages round by round (drift hits them all alike); count Cognito calls
    made during each page's runs, warm-ups included."""
    for number in range(rounds):
        for page in pages:
            before = cognito.actions()
            if number == 0 and warmup > 0:
                load.run(base, page.path, cookie_files[page.label], warmup, connections)
            result = load.run(base, page.path, cookie_files[page.label], seconds, connections)
            page.rounds.append(result)
            page.cognito_calls += sum(delta(cognito.actions(), before).values())
            print(
                f"  round {number + 1} {page.label:<28} {result.rps:8.0f} req/s  "
                f"p50 {result.p50_ms:6.2f} ms  p99 {result.p99_ms:6.2f} ms  "
                f"not-200 {result.not_ok + result.socket_errors}",
                flush=True,
            )


# --- the refresh storm ---------------------------------------------------------------------------
@dataclass
class Storm:
    users: int
    requests_per_user: int
    responses_200: int = 0
    responses_other: Counter[int] = field(default_factory=Counter)
    refresh_calls: int = 0
    responses_with_new_cookies: int = 0
    follow_up_ok: int = 0
    follow_up_calls: int = 0
    expired_by_s: float = 0.0
    seconds: float = 0.0

    @property
    def signed_out(self) -> int:
        return sum(self.responses_other.values()) + (self.users - self.follow_up_ok)


def _merged_cookie(original: str, response: requests.Response) -> str:
    jar = dict(part.split("=", 1) for part in original.split("; ") if "=" in part)
    for raw in response.raw.headers.getlist("Set-Cookie"):
        name, _, rest = raw.partition("=")
        value = rest.split(";", 1)[0]
        if value and "max-age=0" not in raw.lower():
            jar[name] = value
        else:
            jar.pop(name, None)
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def refresh_storm(
    cognito: Cognito,
    base: str,
    users: list[tuple[str, str]],
    per_user: int,
    *,
    leeway: int,
    wait_past_leeway: bool,
) -> Storm:
    """Sign ``users`` in with the emulator's clock set back so their tokens are already past
    ``exp``, put the clock right, then send ``per_user`` concurrent requests per user, all
    users at once. Each user must get 200s only, through exactly one refresh."""
    storm = Storm(users=len(users), requests_per_user=per_user)
    # Issued exp = now - (leeway - 8): still accepted at sign-in (inside the leeway), past exp.
    back = 3600 + leeway - 8
    cognito.lc.clock.advance(-back)
    try:
        signed, _ = browser.sign_in_all(base, "/accounts/signin/", users)
    finally:
        cognito.lc.clock.advance(back)
    issued_exp = time.time() - (leeway - 8)
    if wait_past_leeway:
        # Beyond the leeway too: the tokens are expired by any reading, not just nearly.
        time.sleep(max(0.0, issued_exp + leeway + 1 - time.time()))
    storm.expired_by_s = time.time() - issued_exp

    gate = threading.Barrier(len(signed) * per_user)
    answers: dict[str, list[requests.Response]] = {s.email: [] for s in signed}
    lock = threading.Lock()

    def one(user: browser.SignedIn) -> None:
        gate.wait(timeout=30)
        response = browser.get(base, "/private/", user.cookie_header)
        with lock:
            answers[user.email].append(response)

    before = cognito.actions()
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(signed) * per_user) as pool:
        for user in signed:
            for _ in range(per_user):
                pool.submit(one, user)
    storm.seconds = time.perf_counter() - started
    calls = delta(cognito.actions(), before)
    storm.refresh_calls = sum(calls[name] for name in REFRESH_ACTIONS)

    before = cognito.actions()
    for user in signed:
        replies = answers[user.email]
        for reply in replies:
            if reply.status_code == 200 and user.email in reply.text:
                storm.responses_200 += 1
            else:
                storm.responses_other[reply.status_code] += 1
        refreshed = [r for r in replies if r.raw.headers.getlist("Set-Cookie")]
        storm.responses_with_new_cookies += len(refreshed)
        cookie = _merged_cookie(user.cookie_header, refreshed[0]) if refreshed else ""
        follow = browser.get(base, "/private/", cookie) if cookie else None
        if follow is not None and follow.status_code == 200 and user.email in follow.text:
            storm.follow_up_ok += 1
    storm.follow_up_calls = sum(delta(cognito.actions(), before).values())
    return storm
