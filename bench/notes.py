"""The notes under the table: what a missed target was, from this run's own figures."""

from __future__ import annotations

from .report import Report

SIGNED = "signed in (cognito-forms)"
SIGNED_HOME = "signed in, home page (cognito-forms)"


def _has(report: Report, label: str) -> bool:
    return any(page.label == label for page in report.pages)


def _step(report: Report, prefix: str) -> float | None:
    for step in report.breakdown:
        if step.label.strip().startswith(prefix):
            return step.us
    return None


def notes(report: Report) -> list[str]:
    found: list[str] = []
    ratio = report.ratio(SIGNED)
    shipped = _step(report, "signed in")
    memos_off = _step(report, "memos off:")
    no_deny = _step(report, "memos off, without the deny-list")
    no_query = _step(report, "memos off, without the local-user")
    no_io = _step(report, "no I/O")
    anonymous = _step(report, "anonymous")
    home = report.page(SIGNED_HOME).rps if _has(report, SIGNED_HOME) else 0.0
    anonymous_rps = report.page("anonymous home").rps
    if ratio >= 0.8:
        found.append(
            f"Signed-in / anonymous is {ratio:.2f}x (target 0.8x: met). A signed-in view makes "
            "no network round trip on most requests: the deny-list answer and the local user "
            "are reused by each worker for 2 s (COGNITO_REVOCATION_CHECK_SECONDS, "
            "COGNITO_USER_CACHE_SECONDS; a sign-out reaches other workers within that bound and "
            "at once in its own), and verified claims are cached per process, so what is left "
            "is opening the cookies (AES-GCM) and a dictionary lookup."
        )
    elif shipped and no_io and anonymous:
        found.append(
            f"Signed-in / anonymous is {ratio:.2f}x, below the 0.8x target in this run. In "
            f"process the signed-in handler costs {shipped:,.0f} us against {anonymous:,.0f} us "
            f"anonymous ({anonymous / shipped:.2f}x) and {no_io:,.0f} us with no I/O at all, so "
            "the rest is the HTTP path under load (a ~4 KB cookie header per request on two "
            "cores shared by wrk, gunicorn, Redis and PostgreSQL) and this shared machine's "
            "noise: compare the rounds column."
        )
    if home and anonymous_rps:
        found.append(
            f"The same home page with the signed-in cookies runs at "
            f"{report.ratio(SIGNED_HOME):.2f}x "
            "the anonymous one: the session layer's own cost, without /private/'s larger, "
            "never-cached page."
        )
    if shipped and memos_off and no_deny and no_query:
        found.append(
            "What the per-process memos save, in process: with them off, a view pays the "
            f"deny-list read in Redis ({max(0.0, memos_off - no_deny):,.0f} us) and the "
            f"local-user query in PostgreSQL ({max(0.0, memos_off - no_query):,.0f} us) and "
            f"costs {memos_off:,.0f} us instead of {shipped:,.0f} us. Under load on two cores "
            "each round trip also waits for the other processes to be scheduled, which is why "
            "the first benchmark run, before the memos, measured 0.35x."
        )
    django = [p for p in report.pages if p.label.startswith("Django") and p.rps]
    signed = report.page(SIGNED)
    if django and signed.rps:
        best = max(django, key=lambda p: p.rps)
        found.append(
            f"The Django baseline pays the user query too ({best.label}: "
            f"{report.ratio(best.label):.2f}x of anonymous) on every view; cognito-forms "
            f"reaches {report.ratio(SIGNED, best.label):.2f}x of it."
        )
    found.append(
        "Found and fixed by this benchmark (cognito_forms/tokens.py): two cold gunicorn workers "
        "signing users in at once - the one that lost the JWKS fetch cool-down answered "
        "'sign-in temporarily unavailable' (503) until the other's fetch landed; it now waits "
        "for that document (one JWKS timeout at most). Pinned by "
        "tests/test_jwks_cold_workers.py."
    )
    found.append(
        "The storm's tokens are past `exp` when it starts: its users sign in with the "
        "embedded Cognito's clock set back an hour, and the clock is put right before the "
        "requests, so the refreshed tokens are current."
    )
    return found
